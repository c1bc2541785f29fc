  // widget part: handoff — live 转人工: a person's messages fetched by polling the intake service
  parts.push(function handoff(w) {
    // While a person answers, the widget polls the intake service (beside widget.js) for their
    // messages: POST {assetBase}handoff {"sender", "after"} as text/plain (no CORS preflight).
    var handoffUrl = w.assetBase + "handoff";
    var HANDOFF_POLL_MS = 2500;
    var handoffTimer = null;

    /** Messages of a person who took the conversation (and the bot's, once handed back). */
    function pollHandoff() {
      var sender = w.state.sender;
      if (handoffTimer) clearTimeout(handoffTimer);
      handoffTimer = null;
      fetch(handoffUrl, {
        method: "POST",
        headers: { "Content-Type": "text/plain" },
        body: JSON.stringify({ sender: sender, after: w.state.handoffCursor || null }),
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (answer) {
          if (!answer || sender !== w.state.sender) return;
          (answer.messages || []).forEach(function (m) {
            w.add({ from: "bot", text: String(m.text || ""), staff: m.staff ? String(m.staff) : null });
          });
          var live = answer.state === "waiting" || answer.state === "taken";
          w.state.handoff = live;
          if (typeof answer.cursor === "number") w.state.handoffCursor = answer.cursor;
          w.save();
          if (live) handoffTimer = setTimeout(pollHandoff, HANDOFF_POLL_MS);
        })
        .catch(function () {
          if (w.state.handoff) handoffTimer = setTimeout(pollHandoff, HANDOFF_POLL_MS * 2);
        });
    }

    w.pollHandoff = pollHandoff;
  });

