  // widget part: state — the embed tag's settings and the conversation kept in localStorage
  parts.push(function state(w) {
    var script = w.script;
    var data = (script && script.dataset) || {};
    var config = {
      rasaUrl: (data.rasaUrl || location.protocol + "//" + location.hostname + ":" + (data.rasaPort || "5005"))
        .replace(/\/+$/, ""),
      title: data.title || "在线受理",
      welcome:
        data.welcome ||
        "您好，我是综治中心的智能受理助手。\n请用几句话说说您遇到的问题，比如：“老板拖欠我三个月工资”。" +
          "\n我会问清几个关键情况，帮您登记并告诉您去哪个窗口办理。",
      phone: data.phone || "",
      storageKey: data.storageKey || "zz-intake-widget",
      startOpen: data.open === "true",
      timeoutMs: 30000,
      expireMs: (parseFloat(data.expireMinutes) > 0 ? parseFloat(data.expireMinutes) : 30) * 60000,
      maxStored: 200,
      followDays: parseFloat(data.followDays) >= 0 ? parseFloat(data.followDays) : 30,
    };
    var assetBase = script && script.src ? script.src.replace(/[^\/]*$/, "") : "/widget/";
    config.uploadUrl = data.uploadUrl || assetBase.replace(/widget\/$/, "") + "api/public/evidence";
    w.config = config;
    w.assetBase = assetBase; // the folder this script came from: widget.css, the hand-off poll
    w.intakeBase = assetBase.replace(/widget\/$/, ""); // the intake service serving this script

    // The conversation id is the only key to the conversation: "w-" + 32 random hex digits, the one
    // format Rasa's REST channel accepts (connectors/channels/senders.py).
    var SENDER_ID = /^w-[0-9a-f]{32}$/;

    function randomId() {
      var bytes = new Uint8Array(16);
      if (window.crypto && window.crypto.getRandomValues) {
        window.crypto.getRandomValues(bytes);
      } else {
        for (var i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
      }
      return (
        "w-" +
        Array.prototype.map
          .call(bytes, function (b) {
            return ("0" + b.toString(16)).slice(-2);
          })
          .join("")
      );
    }

    function fresh(open, large) {
      return { sender: randomId(), messages: [], open: !!open, large: !!large, active: Date.now() };
    }

    function expired(saved) {
      return !(typeof saved.active === "number" && Date.now() - saved.active < config.expireMs);
    }

    var memoryOnly = {};
    function load() {
      var saved = null;
      try {
        saved = JSON.parse(window.localStorage.getItem(config.storageKey) || "null");
      } catch (e) {
        saved = memoryOnly.state || null;
      }
      if (
        !saved ||
        typeof saved.sender !== "string" ||
        !SENDER_ID.test(saved.sender) ||
        !Array.isArray(saved.messages)
      ) {
        saved = fresh(false, false);
      } else if (expired(saved)) {
        saved = fresh(false, saved.large); // idle too long: someone else may be holding the device
      }
      return saved;
    }

    /** Keep ``w.state`` (replaced whole by a new conversation, so always read through ``w``). */
    function save() {
      w.state.messages = w.state.messages.slice(-config.maxStored);
      try {
        window.localStorage.setItem(config.storageKey, JSON.stringify(w.state));
      } catch (e) {
        memoryOnly.state = w.state; // private mode or storage full: keep the page's session at least
      }
    }

    /** Nothing of the saved conversation left on this device (结束并清除). */
    function forgetSaved() {
      memoryOnly.state = null;
      try {
        window.localStorage.removeItem(config.storageKey);
      } catch (e) {}
    }

    w.fresh = fresh;
    w.expired = expired;
    w.save = save;
    w.forgetSaved = forgetSaved;
    w.state = load();
    save(); // an expired transcript is overwritten at once, not only at the next message
  });

