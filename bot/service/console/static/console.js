// 受理工作台: the queue reloads itself when tickets arrive or change (polls a small JSON endpoint).
(function () {
  "use strict";
  var queue = document.getElementById("queue");
  if (!queue) return;
  var version = queue.getAttribute("data-version");
  var url = queue.getAttribute("data-version-url");
  var note = document.getElementById("refresh-note");
  var INTERVAL = 20000;

  function busy() {
    var el = document.activeElement;
    return el && (el.tagName === "SELECT" || el.tagName === "INPUT");
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (resp) {
        if (resp.status === 401 || resp.status === 403) {
          window.location.reload();
          return null;
        }
        return resp.ok ? resp.json() : null;
      })
      .then(function (data) {
        if (data && data.version && data.version !== version) {
          if (note) note.textContent = "有新的案件或变动，正在刷新…";
          if (!busy()) window.location.reload();
        }
      })
      .catch(function () {
        if (note) note.textContent = "暂时连不上服务，稍后重试";
      })
      .then(function () {
        window.setTimeout(poll, INTERVAL);
      });
  }
  window.setTimeout(poll, INTERVAL);
})();

// 研判: the print button of the printable report (no inline script under the CSP).
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();

// 人工对话: the chat pane shows the citizen's new messages (polls the conversation every 2 s); the
// 等待人工 list reloads itself every 10 s.
(function () {
  "use strict";
  var list = document.getElementById("handoffs");
  if (list) {
    window.setTimeout(function () {
      window.location.reload();
    }, 1000 * Number(list.getAttribute("data-refresh") || 10));
  }
  var chat = document.getElementById("handoff-chat");
  if (!chat) return;
  var url = chat.getAttribute("data-poll-url");
  chat.scrollTop = chat.scrollHeight;

  function render(messages) {
    while (chat.firstChild) chat.removeChild(chat.firstChild);
    messages.forEach(function (m) {
      var li = document.createElement("li");
      li.className = m.who;
      var who = document.createElement("span");
      who.className = "who";
      who.textContent = m.speaker;
      var text = document.createElement("span");
      text.className = "text";
      text.textContent = m.text;
      li.appendChild(who);
      li.appendChild(text);
      chat.appendChild(li);
    });
    chat.scrollTop = chat.scrollHeight;
  }

  var shown = chat.children.length;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (resp) {
        return resp.ok ? resp.json() : null;
      })
      .then(function (data) {
        if (data && data.messages && data.messages.length !== shown) {
          shown = data.messages.length;
          render(data.messages);
        }
      })
      .catch(function () {})
      .then(function () {
        window.setTimeout(poll, 2000);
      });
  }
  window.setTimeout(poll, 2000);
})();
