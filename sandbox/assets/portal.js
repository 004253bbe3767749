// The parent side of the Bitrix24 frame protocol, as the portal plays it.
//
// Messages are accepted only as strings, only from the widget handler's origin and only with this
// opening's APP_SID; anything else is ignored without a reply, as on the portal. So are commands
// the portal does not know or does not allow here.
(() => {
  "use strict";
  const config = JSON.parse(document.getElementById("portal-config").textContent);
  const frame = document.getElementById("app-frame");

  function record(command, params) {
    fetch("/__sandbox/frame", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session: config.appSid, command, params }),
      keepalive: true,
    }).catch(() => {});
  }

  const status = document.getElementById("portal-status");
  function show(text) {
    status.textContent = text;
  }
  // openPath opens only these portal pages; anything else is refused.
  const openable = [
    /^\/crm\/(deal|lead|contact|company|type)\//,
    /^\/marketplace\//,
    /^\/company\/personal\/user\/\d+\/?$/,
    /^\/workgroups\/group\/\d+\/?$/,
  ];

  const commands = {
    openPath: (params) => {
      const path = params && typeof params.path === "string" ? params.path : "";
      if (!openable.some((re) => re.test(path))) {
        return { result: "error", errorCode: "PATH_NOT_AVAILABLE" };
      }
      show("Opened " + path);
      return { result: "close" };
    },
    imPhoneTo: (params) => {
      show("Calling " + String(params && params.phone));
      return undefined;
    },
    getInitData: () => config.initData,
    resizeWindow: (params) => {
      const height = parseInt(params && params.height, 10);
      if (height > 0) {
        frame.style.height = Math.min(height, 4000) + "px";
      }
      return undefined;
    },
  };

  window.addEventListener("message", (event) => {
    if (event.origin !== config.widgetOrigin || typeof event.data !== "string") return;
    // COMMAND:PARAMS_JSON:CALLBACK_ID:APP_SID, where PARAMS_JSON may be empty or left out and may
    // itself contain colons: the first field is the command, the last the APP_SID, the one before
    // it the callback id, and everything between is JSON.
    const parts = event.data.split(":");
    if (parts.length < 3) return;
    const command = parts[0];
    const appSid = parts[parts.length - 1];
    const callback = parts[parts.length - 2];
    const json = parts.slice(1, parts.length - 2).join(":");
    if (appSid !== config.appSid) return;
    let params = null;
    if (json !== "") {
      try { params = JSON.parse(json); } catch (e) { return; }
    }
    record(command, params);
    const handler = Object.prototype.hasOwnProperty.call(commands, command) ? commands[command] : null;
    if (!handler) return;
    const result = handler(params);
    if (callback) {
      event.source.postMessage(callback + ":" + (result === undefined ? "" : JSON.stringify(result)), config.widgetOrigin);
    }
  });

  document.getElementById("app-form").submit();
})();
