// Runs the official Bitrix24 JS SDK, unchanged, inside the sandbox's call card and writes what it
// saw into <main data-results>; the end-to-end test reads and judges it. If the SDK and the
// sandbox disagree, the sandbox is wrong.
(async () => {
  "use strict";
  const main = document.querySelector("main");
  const results = {};
  const settle = (state) => {
    main.dataset.results = JSON.stringify(results);
    main.dataset.state = state;
  };
  try {
    const b24 = await B24Js.initializeB24Frame();
    results.placement = b24.placement.placement;
    const auth = b24.auth.getAuthData();
    results.auth = auth && { access_token: auth.access_token, refresh_token: auth.refresh_token, member_id: auth.member_id, domain: auth.domain };

    const contact = await b24.callMethod("crm.contact.get", { id: 1 });
    results.contact = contact.getData().result.LAST_NAME;

    const batch = await b24.callBatch({
      match: { method: "crm.duplicate.findbycomm", params: { type: "PHONE", values: ["301234567"] } },
      first: { method: "crm.contact.get", params: { id: "$result[match][CONTACT][0]" } },
    }, true);
    results.batch = batch.getData();

    results.status = await b24.placement.call("getStatus", {});

    // After the test expires the session's tokens: the SDK must refresh through the frame.
    window.judgeAfterExpiry = async () => {
      const again = await b24.callMethod("crm.contact.get", { id: 2 });
      const now = b24.auth.getAuthData();
      return { contact: again.getData().result.LAST_NAME, access_token: now && now.access_token };
    };
    settle("ready");
  } catch (error) {
    results.error = String((error && (error.message || error.description)) || error);
    settle("error");
  }
})();
