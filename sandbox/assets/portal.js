// The parent side of the Bitrix24 frame protocol, as the portal plays it.
//
// Messages are accepted only from the widget handler's origin and only with this opening's
// APP_SID, as strings (`cmd:json:cb:sid`, `cmd::cb:sid`, `cmd:cb:sid`) or in the object form
// (`{method, params, callback, appSid}`); anything else is ignored without a reply, as on the
// portal. So are commands the portal does not know or does not allow here.
(() => {
  "use strict";
  const config = JSON.parse(document.getElementById("portal-config").textContent);
  const frame = document.getElementById("app-frame");
  const status = document.getElementById("portal-status");
  const stateLabel = document.getElementById("portal-call-state");
  const sid = config.appSid;
  const q = (path) => path + (path.includes("?") ? "&" : "?") + "session=" + encodeURIComponent(sid);

  function show(text) {
    status.textContent = text;
  }

  let recorded = 0; // numbers the records: their requests may arrive out of order
  function record(command, params) {
    recorded += 1;
    fetch("/__sandbox/frame", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session: sid, command, params, seq: recorded }),
      keepalive: true,
    }).catch(() => {});
  }

  function reply(target, callback, result) {
    if (callback && target) {
      target.postMessage(callback + ":" + (result === undefined ? "" : JSON.stringify(result)), config.widgetOrigin);
    }
  }

  // --- Call card state, events and auto-close --------------------------------------------------
  const subscriptions = {}; // event name -> [callback ids]
  let appWindow = null; // the frame's window, learned from its first message
  let holdUntil = 0; // disableAutoClose keeps the card open until then
  let closeTimer = null;
  let closed = false;
  const HOLD_MS = 65000; // how long one disableAutoClose holds the card open
  const AUTO_CLOSE_MS = config.autoCloseMs; // after a hang-up, when nothing holds it

  function fire(event, data) {
    for (const callback of subscriptions[event] || []) {
      reply(appWindow, callback, data);
    }
  }

  function closeCard() {
    if (closed) return;
    fire("CallCard::BeforeClose", undefined);
    closed = true;
    frame.style.display = "none";
    show("The call card closed.");
    document.body.dataset.cardClosed = "true";
  }

  function scheduleClose() {
    clearTimeout(closeTimer);
    if (config.status.CALL_STATE !== "idle" || closed) return;
    const wait = Math.max(AUTO_CLOSE_MS, holdUntil - Date.now());
    if (holdUntil > Date.now()) {
      show("Held open by the app until " + new Date(holdUntil).toLocaleTimeString());
    }
    closeTimer = setTimeout(() => {
      if (holdUntil > Date.now()) scheduleClose(); else closeCard();
    }, wait);
  }

  function setCallState(state) {
    config.status.CALL_STATE = state;
    stateLabel.textContent = state;
    fire("CallCard::CallStateChanged", state);
    if (state === "idle") scheduleClose(); else clearTimeout(closeTimer);
  }

  function nextClient(data) {
    config.status.PHONE_NUMBER = data.PHONE_NUMBER;
    config.status.CRM_ENTITY_TYPE = data.CRM_ENTITY_TYPE;
    config.status.CRM_ENTITY_ID = Number(data.CRM_ENTITY_ID) || 0;
    document.querySelector("[data-testid=portal-number]").textContent = "+" + data.PHONE_NUMBER;
    fire("CallCard::EntityChanged", data);
  }

  function event(name, data) {
    if (name === "CallCard::CallStateChanged") setCallState(String(data));
    else if (name === "CallCard::EntityChanged") nextClient(data);
    else if (name === "CallCard::BeforeClose") closeCard();
  }

  // Controls on the page, and the same for tests through /__sandbox/event.
  for (const button of document.querySelectorAll("[data-event]")) {
    button.addEventListener("click", () => event(button.dataset.event, JSON.parse(button.dataset.payload)));
  }
  setInterval(() => {
    fetch(q("/__sandbox/events")).then((r) => r.json()).then((list) => {
      for (const e of list) event(e.event, e.data);
    }).catch(() => {});
  }, 250);

  // --- Commands ----------------------------------------------------------------------------------
  const openable = [
    /^\/crm\/(deal|lead|contact|company|type)\//,
    /^\/marketplace\//,
    /^\/company\/personal\/user\/\d+\/?$/,
    /^\/workgroups\/group\/\d+\/?$/,
  ];
  const isDefault = config.initData.PLACEMENT === "DEFAULT";

  // The portal's slider: a record opened by openPath covers the page until the agent closes it;
  // only then does the app hear {result: 'close'}.
  function openSlider(path) {
    return new Promise((resolve) => {
      const slider = document.createElement("div");
      slider.className = "portal-slider";
      slider.dataset.testid = "portal-slider";
      slider.setAttribute("role", "dialog");
      slider.setAttribute("aria-label", "Portal slider");
      const title = document.createElement("p");
      title.dataset.testid = "portal-slider-path";
      title.textContent = path;
      const close = document.createElement("button");
      close.type = "button";
      close.dataset.testid = "portal-slider-close";
      close.textContent = "Close the slider";
      close.addEventListener("click", () => {
        slider.remove();
        show("Closed " + path);
        resolve({ result: "close" });
      });
      slider.append(title, close);
      document.body.append(slider);
      show("Opened " + path);
    });
  }
  const isCallCard = config.initData.PLACEMENT === "CALL_CARD";
  const NO_REPLY = Symbol("no reply");

  const commands = {
    getInitData: () => config.initData,
    // applayout.js resizeWindow: sets the size, answers the frame's resulting {width, height}.
    resizeWindow: (params) => {
      const height = parseInt(params && params.height, 10);
      if (height > 0) frame.style.height = Math.min(height, 4000) + "px";
      const box = frame.getBoundingClientRect();
      return { width: box.width, height: box.height };
    },
    refreshAuth: async () => {
      if (config.refreshNeverAnswers) {
        show("Could not refresh the application's access (the portal shows an alert and never answers).");
        return NO_REPLY;
      }
      const r = await fetch(q("/__sandbox/refresh"), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_id: config.initData.REFRESH_ID }),
      });
      if (!r.ok) return NO_REPLY;
      const auth = await r.json();
      Object.assign(config.initData, auth);
      return auth;
    },
    // applayout.js BX.rest.AppLayout.openPath: a path it does not allow is refused at once; an
    // allowed one opens in the portal's slider and is answered {result: 'close'} only when the
    // slider closes (the slider's onClose event), however long the agent keeps it open.
    openPath: (params) => {
      if (config.mobile) return { result: "error", errorCode: "METHOD_NOT_SUPPORTED_ON_DEVICE" };
      const path = params && typeof params.path === "string" ? params.path : "";
      if (!openable.some((re) => re.test(path))) {
        return { result: "error", errorCode: "PATH_NOT_AVAILABLE" };
      }
      return openSlider(path);
    },
    imPhoneTo: (params) => {
      show("Calling " + String(params && params.phone));
      return undefined;
    },
    imCallTo: (params) => {
      show("Calling user " + String(params && params.userId));
      return undefined;
    },
    // The app says it runs its own installation (the official SDK sends this in install mode).
    // applayout.js setInstall saves the flag and answers with the parameters it was given.
    setInstall: (params) => {
      if (config.initData.INSTALL && params && params.install) document.body.dataset.installing = "true";
      return params || {};
    },
    // Only the installation step finishes an installation; elsewhere it changes nothing.
    setInstallFinish: async () => {
      if (!config.initData.INSTALL) return undefined;
      const r = await fetch(q("/portal/install-finished"), { method: "POST" }).catch(() => null);
      if (r && r.ok) {
        document.body.dataset.installed = "true";
        show("Installation finished: call cards opened from now on show the app's tab.");
      }
      return undefined;
    },
    // applayout.js getInterface: the commands of this placement's own interface (not the ones
    // every placement has) and its events; the app's own page (DEFAULT) has none of either.
    getInterface: () => ({
      command: isCallCard ? ["getStatus", "disableAutoClose", "enableAutoClose"] : [],
      event: isCallCard ? ["CallCard::EntityChanged", "CallCard::BeforeClose", "CallCard::CallStateChanged"] : [],
    }),
    // applayout.js setAppOption: administrators only (others get no answer), one {name, value}
    // saved through the portal's ajax; what that ajax answers is not in the public code: the
    // sandbox answers true (a guess).
    setAppOption: (params) => {
      if (!config.initData.IS_ADMIN || !params || typeof params.name !== "string") return NO_REPLY;
      config.initData.APP_OPTIONS[params.name] = params.value;
      return true;
    },
    // applayout.js setUserOption: one {name, value}, saved for this user, answered with the
    // parameters themselves.
    setUserOption: (params) => {
      if (params && typeof params.name === "string") {
        if (Array.isArray(config.initData.USER_OPTIONS)) config.initData.USER_OPTIONS = {};
        config.initData.USER_OPTIONS[params.name] = params.value;
        fetch("/portal/user-option", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ name: params.name, value: params.value }),
        }).catch(() => {});
      }
      return params || {};
    },
    openApplication: () => undefined,
    closeApplication: () => undefined,
    placementBindEvent: (params, callback) => {
      const name = params && params.event;
      if (!isCallCard || typeof name !== "string") return NO_REPLY;
      (subscriptions[name] = subscriptions[name] || []).includes(callback) || subscriptions[name].push(callback);
      return NO_REPLY; // the callback answers each event, not the binding
    },
  };
  if (isCallCard) {
    // getStatus: the call as the call card knows it (docs: widgets/ui-interaction/call-card/
    // get-status.md). The status object itself is built by the sandbox's server (portal.rs).
    commands.getStatus = async () => {
      if (config.statusDelayMs > 0) await new Promise((done) => setTimeout(done, config.statusDelayMs));
      return config.status;
    };
    commands.disableAutoClose = () => {
      holdUntil = Date.now() + HOLD_MS;
      document.body.dataset.autoClose = "disabled";
      scheduleClose();
      return [];
    };
    // disableAutoClose and enableAutoClose answer an empty array (the call card's placement
    // interface calls back with []).
    commands.enableAutoClose = () => {
      holdUntil = 0;
      document.body.dataset.autoClose = "enabled";
      scheduleClose();
      return [];
    };
  }
  if (isDefault) {
    commands.setTitle = (params) => { document.title = String(params && params.title); return undefined; };
    commands.setScroll = () => undefined;
    commands.reloadWindow = () => { frame.contentWindow.location.reload(); return NO_REPLY; };
  }

  function parse(data) {
    if (typeof data === "string") {
      // COMMAND:PARAMS_JSON:CALLBACK_ID:APP_SID: the first field is the command, the last the
      // APP_SID, the one before it the callback id, and everything between is JSON (colons in
      // it are safe). PARAMS_JSON may be empty or left out.
      const parts = data.split(":");
      if (parts.length < 3) return null;
      const json = parts.slice(1, parts.length - 2).join(":");
      let params = null;
      if (json !== "") {
        try { params = JSON.parse(json); } catch (e) { return null; }
      }
      return { command: parts[0], params, callback: parts[parts.length - 2], appSid: parts[parts.length - 1] };
    }
    if (data && typeof data === "object" && typeof data.method === "string") {
      let params = data.params;
      if (typeof params === "string" && params !== "") {
        try { params = JSON.parse(params); } catch (e) { /* a raw value */ }
      }
      return { command: data.method, params: params || null, callback: String(data.callback || ""), appSid: String(data.appSid || "") };
    }
    return null;
  }

  window.addEventListener("message", async (e) => {
    if (e.origin !== config.widgetOrigin) return;
    const m = parse(e.data);
    if (!m || m.appSid !== sid) return;
    appWindow = e.source;
    record(m.command, m.params);
    const handler = Object.prototype.hasOwnProperty.call(commands, m.command) ? commands[m.command] : null;
    if (!handler) return;
    const result = await handler(m.params, m.callback);
    if (result !== NO_REPLY) reply(e.source, m.callback, result);
  });

  // A call the app registers with SHOW pops up as the portal's call card would: here, a link to
  // the card (calls shown before this page opened are not offered again).
  if (isDefault) {
    const seen = new Set(config.shownCalls);
    const popups = document.createElement("div");
    popups.className = "shown-calls";
    frame.before(popups);
    setInterval(() => {
      fetch("/portal/shown-calls").then((r) => r.json()).then((calls) => {
        for (const call of calls.filter((c) => !seen.has(c.CALL_ID))) {
          seen.add(call.CALL_ID);
          const link = document.createElement("a");
          link.href = "/?call=" + encodeURIComponent(call.CALL_ID);
          link.dataset.testid = "portal-shown-call";
          link.textContent = "Incoming call +" + call.PHONE_NUMBER + ": open the call card";
          popups.append(link);
        }
      }).catch(() => {});
    }, 300);
  }

  if (config.openByGet) {
    frame.src = config.openByGet;
  } else {
    document.getElementById("app-form").submit();
  }
})();
