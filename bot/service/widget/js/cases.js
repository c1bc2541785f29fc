  // widget part: cases — progress of the cases filed here ("您的案件有新进展") and the rating after 办结
  parts.push(function cases(w) {
    // Conversations of this browser that filed a case are followed for data-follow-days (30; 0: only
    // the current conversation): on opening, a changed status shows "您的案件有新进展" and a closed
    // case asks for a rating 1-5 (/api/public/updates, /api/public/rating of the intake service).
    var config = w.config;
    var casesKey = config.storageKey + ":cases";
    var CASE_CODE = /\d{6}-\d{8}-\d{4}/;
    var INITIAL = { received: 1, awaiting_staff: 1, routed: 1 };
    var followed = loadCases();

    function loadCases() {
      var saved = null;
      try {
        saved = JSON.parse(window.localStorage.getItem(casesKey) || "null");
      } catch (e) {}
      var invalid = !saved || !Array.isArray(saved.senders) || !saved.seen || typeof saved.seen !== "object";
      if (invalid || Date.now() - (saved.at || 0) > config.followDays * 86400000) {
        return { senders: [], seen: {}, at: Date.now() };
      }
      return saved;
    }

    function saveCases() {
      followed.at = Date.now();
      try {
        window.localStorage.setItem(casesKey, JSON.stringify(followed));
      } catch (e) {}
    }

    /** Nothing of the followed cases left on this device (结束并清除). */
    function forgetCases() {
      followed = { senders: [], seen: {}, at: Date.now() };
      try {
        window.localStorage.removeItem(casesKey);
      } catch (e) {}
    }

    function follow(sender) {
      if (followed.senders.indexOf(sender) >= 0) return;
      followed.senders = followed.senders.concat([sender]).slice(-5);
      saveCases();
    }

    /** A bot message carrying a case code: this conversation filed a case, follow it. */
    function noteFiled(message) {
      if (message.from === "bot" && CASE_CODE.test(message.text || "")) follow(w.state.sender);
    }

    function fill(template, update) {
      return String(template || "").replace("{code}", update.code).replace("{status_name}", update.status_name);
    }

    var lastCheck = 0;
    function checkUpdates() {
      if (Date.now() - lastCheck < 20000) return; // opening and closing again is not news
      lastCheck = Date.now();
      var senders = followed.senders.slice();
      if (senders.indexOf(w.state.sender) < 0) senders.push(w.state.sender);
      var query = senders
        .map(function (sender) {
          return "sender_id=" + encodeURIComponent(sender);
        })
        .join("&");
      fetch(w.intakeBase + "api/public/updates?" + query)
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (body) {
          if (body) showUpdates(body);
        })
        .catch(function () {}); // progress is a courtesy: the conversation works without it
    }

    function showUpdates(body) {
      (body.updates || []).forEach(function (update) {
        var sender = update.sender_id;
        var seen = followed.seen[update.code];
        followed.seen[update.code] = update.status;
        if (seen === update.status || (seen === undefined && INITIAL[update.status])) return;
        follow(sender);
        var message = { from: "bot", text: fill(body.texts.widget_update, update), buttons: [] };
        if (update.can_rate) {
          message.text += "\n" + fill(body.texts.widget_rate, update);
          for (var n = 1; n <= 5; n++) {
            message.buttons.push({ title: n + "分", payload: "", rate: n, code: update.code, sender: sender });
          }
        }
        w.add(message);
      });
      saveCases();
    }

    function rate(message, button) {
      message.answered = true;
      w.renderAll();
      w.add({ from: "user", text: button.title });
      fetch(w.intakeBase + "api/public/rating", {
        method: "POST",
        headers: { "Content-Type": "text/plain;charset=UTF-8" }, // a simple request: no preflight
        body: JSON.stringify({ sender_id: button.sender, code: button.code, rating: button.rate }),
      })
        .then(function (response) {
          return response.json();
        })
        .then(function (body) {
          w.add({ from: "bot", text: body.message || "感谢您的评价。" });
        })
        .catch(function () {
          w.add({ from: "bot", text: "评价暂时没有提交成功，请稍后再试，或打开进度查询页评价。" });
        });
    }

    w.noteFiled = noteFiled;
    w.checkUpdates = checkUpdates;
    w.rate = rate;
    w.forgetCases = forgetCases;
  });

