  // widget part: session — opening and closing the panel, its header's tools, restart, end & clear, idle expiry
  parts.push(function session(w) {
    var config = w.config;

    function setOpen(open, keepFocus) {
      w.state.open = open;
      w.save();
      w.panel.hidden = !open;
      w.root.classList.toggle("zzw-open", open);
      w.launcher.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        expireIfIdle();
        if (!w.state.messages.length) w.add({ from: "bot", text: config.welcome });
        w.scrollDown();
        w.checkUpdates();
        if (!keepFocus) w.input.focus();
      } else if (!keepFocus) {
        w.launcher.focus();
      }
    }

    function restart() {
      if (w.busy) return;
      w.state = w.fresh(true, w.state.large);
      w.save();
      w.renderAll();
      w.add({ from: "bot", text: config.welcome });
      w.input.focus();
    }

    /** End the conversation on this device now: a new id, nothing of the old one kept or shown. */
    function endAndClear() {
      w.state = w.fresh(false, w.state.large);
      w.forgetSaved();
      w.forgetCases();
      w.renderAll();
      setOpen(false);
    }

    /** After data-expire-minutes without a message, the next look shows a new, empty conversation. */
    function expireIfIdle() {
      if (w.busy || !w.expired(w.state)) return;
      w.state = w.fresh(w.state.open, w.state.large);
      w.save();
      w.renderAll();
      if (w.state.open) w.add({ from: "bot", text: config.welcome });
    }

    w.launcher.addEventListener("click", function () {
      setOpen(!w.state.open);
    });
    w.largeButton.addEventListener("click", function () {
      w.state.large = !w.state.large;
      w.largeButton.setAttribute("aria-pressed", w.state.large ? "true" : "false");
      w.root.classList.toggle("zzw-large", w.state.large);
      w.save();
    });
    w.restartButton.addEventListener("click", restart);
    w.clearButton.addEventListener("click", endAndClear);
    w.closeButton.addEventListener("click", function () {
      setOpen(false);
    });
    w.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.stopPropagation();
        setOpen(false);
      }
    });

    setInterval(expireIfIdle, 15000);
    window.addEventListener("focus", expireIfIdle);
    document.addEventListener("visibilitychange", expireIfIdle);

    w.setOpen = setOpen;
    w.restart = restart;
    w.endAndClear = endAndClear;
    w.expireIfIdle = expireIfIdle;
  });

