  // widget part: start — runs the parts on one shared context, mounts the widget, closes the closure
  var w = { script: document.currentScript };
  if (window.ZZIntakeWidget) return; // embedded twice: keep the first

  parts.forEach(function (part) {
    part(w);
  });

  function mount() {
    document.body.appendChild(w.root);
    w.renderAll();
    // The log announces new messages only: history rendered before it became live is not re-read.
    w.log.setAttribute("role", "log");
    w.log.setAttribute("aria-live", "polite");
    w.log.setAttribute("aria-relevant", "additions");
    if (w.state.open || w.config.startOpen) w.setOpen(true, true);
    if (w.state.handoff) w.pollHandoff(); // reloaded while a person answers
  }

  window.ZZIntakeWidget = {
    open: function () {
      w.setOpen(true);
    },
    close: function () {
      w.setOpen(false);
    },
    restart: w.restart,
    clear: w.endAndClear,
    sessionId: function () {
      return w.state.sender;
    },
  };

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
