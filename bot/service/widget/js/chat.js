  // widget part: chat — the citizen's words sent to Rasa's REST channel, the answers, retry, the input box
  parts.push(function chat(w) {
    var config = w.config;
    w.busy = false;

    function setBusy(value) {
      w.busy = value;
      w.typing.hidden = !value;
      w.sendButton.disabled = value;
      w.log.setAttribute("aria-busy", value ? "true" : "false");
      w.status.textContent = value ? "助手正在输入" : "";
      if (value) w.scrollDown();
    }

    function answerButtons() {
      var changed = false;
      w.state.messages.forEach(function (message) {
        if (message.buttons && message.buttons.length && !message.answered) {
          message.answered = true;
          changed = true;
        }
      });
      if (changed) {
        Array.prototype.forEach.call(w.log.querySelectorAll(".zzw-buttons"), function (group) {
          group.parentNode.removeChild(group);
        });
      }
    }

    function dropErrors() {
      var before = w.state.messages.length;
      w.state.messages = w.state.messages.filter(function (m) {
        return m.kind !== "error";
      });
      if (w.state.messages.length !== before) w.renderAll();
    }

    /** Show the citizen's words (or the chosen button's title) and send ``payload``. */
    function send(payload, shown) {
      w.expireIfIdle();
      if (w.busy || !payload.trim()) return;
      dropErrors();
      answerButtons();
      w.add({ from: "user", text: shown || payload });
      deliver(payload);
    }

    function deliver(payload) {
      var sender = w.state.sender; // an answer to a conversation cleared meanwhile is dropped
      setBusy(true);
      var controller = window.AbortController ? new AbortController() : null;
      var timer = setTimeout(function () {
        if (controller) controller.abort();
      }, config.timeoutMs);
      fetch(config.rasaUrl + "/webhooks/rest/webhook", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: w.state.sender, message: payload }),
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (replies) {
          clearTimeout(timer);
          setBusy(false);
          if (sender !== w.state.sender) return;
          var shown = 0;
          (replies || []).forEach(function (reply) {
            if (!reply.text && !reply.image && !(reply.buttons && reply.buttons.length)) return;
            shown++;
            w.add({
              from: "bot",
              text: reply.text || "",
              image: reply.image || null,
              buttons: (reply.buttons || []).map(function (b) {
                return { title: String(b.title || b.payload || ""), payload: String(b.payload || b.title || "") };
              }),
            });
          });
          // a conversation handed to a person gets no answer from the bot: the person's comes by the poll
          if (!shown && !w.state.handoff) w.add({ from: "bot", text: "抱歉，我没有听明白，能换个说法再说一遍吗？" });
          w.pollHandoff();
        })
        .catch(function () {
          clearTimeout(timer);
          setBusy(false);
          if (sender !== w.state.sender) return;
          var text = "暂时连不上受理服务，您的话还没有送达。请检查网络后点“重试”。";
          if (config.phone) text += "\n着急的话请拨打中心电话 " + config.phone + "。";
          w.add({ from: "bot", kind: "error", text: text, retryPayload: payload });
          var retryButton = w.log.querySelector(".zzw-msg-error:last-child .zzw-retry");
          if (retryButton) retryButton.focus();
        });
    }

    function retry(index) {
      var message = w.state.messages[index];
      if (w.busy || !message || message.kind !== "error") return;
      var payload = message.retryPayload;
      dropErrors();
      w.input.focus();
      if (payload) deliver(payload);
    }

    // ---------------------------------------------------------------- the input box

    var input = w.input;

    function onSubmit(event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text || w.busy) return;
      input.value = "";
      autosize();
      send(text);
    }
    w.form.addEventListener("submit", onSubmit);

    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.shiftKey) return;
      // A Chinese IME confirms its candidate with Enter: that must not send the message.
      if (event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      if (w.form.requestSubmit) w.form.requestSubmit();
      else onSubmit(event);
    });

    function autosize() {
      input.style.height = "auto";
      input.style.height = Math.min(input.scrollHeight, 160) + "px";
    }
    input.addEventListener("input", autosize);

    w.setBusy = setBusy;
    w.send = send;
    w.retry = retry;
  });

