/*!
 * 综治中心智能受理助手 · 网页对话组件 (no dependencies, no build step)
 *
 * Embed with one tag:
 *   <script src="/widget/widget.js" data-rasa-url="https://rasa.example.gov.cn" defer></script>
 * Without data-rasa-url: this page's host with data-rasa-port (default 5005).
 * Optional attributes: data-title, data-welcome, data-phone (shown when the server is unreachable),
 * data-open="true" (start opened), data-storage-key (to run two assistants on one site),
 * data-expire-minutes (default 30), data-upload-url (evidence uploads; default: the intake service the
 * script came from, /api/public/evidence), data-follow-days (default 30: how long the progress of
 * cases filed here is shown, "您的案件有新进展", with the rating after 办结; 0 for kiosks).
 *
 * Talks to Rasa's REST channel: POST {rasaUrl}/webhooks/rest/webhook {"sender", "message"}.
 * The session id and the transcript live in localStorage, so a reload keeps the conversation; after
 * data-expire-minutes without a message (kiosks, shared phones) the next look starts a new one, and
 * "结束并清除" clears it at once.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (window.ZZIntakeWidget) return; // embedded twice: keep the first

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
  var UPLOAD_TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf"];
  var UPLOAD_MAX = 10 * 1024 * 1024; // the server checks again, on the content
  // Live 转人工: while a person answers, the widget polls the intake service (beside widget.js) for
  // their messages: POST {assetBase}handoff {"sender", "after"} as text/plain (no CORS preflight).
  var handoffUrl = assetBase + "handoff";
  var HANDOFF_POLL_MS = 2500;
  var intakeBase = assetBase.replace(/widget\/$/, ""); // the intake service serving this script

  // ------------------------------------------------------------------ storage

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
    var state = null;
    try {
      state = JSON.parse(window.localStorage.getItem(config.storageKey) || "null");
    } catch (e) {
      state = memoryOnly.state || null;
    }
    if (
      !state ||
      typeof state.sender !== "string" ||
      !SENDER_ID.test(state.sender) ||
      !Array.isArray(state.messages)
    ) {
      state = fresh(false, false);
    } else if (expired(state)) {
      state = fresh(false, state.large); // idle too long: someone else may be holding the device
    }
    return state;
  }

  function save() {
    state.messages = state.messages.slice(-config.maxStored);
    try {
      window.localStorage.setItem(config.storageKey, JSON.stringify(state));
    } catch (e) {
      memoryOnly.state = state; // private mode or storage full: keep the page's session at least
    }
  }

  var state = load();
  save(); // an expired transcript is overwritten at once, not only at the next message

  // ------------------------------------------------------------------ DOM helpers

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  var LINK = /\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"'，。；！？）」]+)/g;

  /** Text with line breaks kept (CSS pre-wrap) and links made clickable; never innerHTML. */
  function richText(text) {
    var fragment = document.createDocumentFragment();
    var last = 0;
    var match;
    LINK.lastIndex = 0;
    while ((match = LINK.exec(text))) {
      if (match.index > last) fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
      var href = match[2] || match[3];
      fragment.appendChild(
        el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: match[1] || href })
      );
      last = LINK.lastIndex;
    }
    if (last < text.length) fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  // ------------------------------------------------------------------ build

  var link = el("link", { rel: "stylesheet", href: assetBase + "widget.css" });
  document.head.appendChild(link);

  var launcher = el("button", {
    type: "button",
    className: "zzw-launcher",
    "aria-expanded": "false",
    "aria-controls": "zzw-panel",
    onclick: function () {
      setOpen(!state.open);
    },
  }, [el("span", { className: "zzw-launcher-icon", "aria-hidden": "true", text: "💬" }), config.title]);

  var log = el("div", { className: "zzw-log", tabindex: "0", "aria-label": "对话记录" });
  var typing = el("div", { className: "zzw-typing", hidden: true }, [
    el("span", { className: "zzw-dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]),
    "助手正在输入…",
  ]);
  var status = el("div", { className: "zzw-sr", role: "status", "aria-live": "polite" });
  var input = el("textarea", {
    id: "zzw-input",
    className: "zzw-input",
    rows: "1",
    maxlength: "1000",
    placeholder: "请说说您遇到的问题…",
    autocomplete: "off",
    enterkeyhint: "send",
  });
  var sendButton = el("button", { type: "submit", className: "zzw-send", text: "发送" });
  var fileInput = el("input", {
    type: "file",
    className: "zzw-sr",
    accept: UPLOAD_TYPES.join(","),
    tabindex: "-1",
    "aria-hidden": "true",
    onchange: onFileChosen,
  });
  var attachButton = el("button", {
    type: "button",
    className: "zzw-attach",
    title: "上传照片或 PDF（欠条、合同、现场照片等）",
    "aria-label": "上传照片或文件",
    text: "上传",
    onclick: chooseFile,
  });
  var form = el("form", { className: "zzw-form", onsubmit: onSubmit }, [
    el("label", { for: "zzw-input", className: "zzw-sr", text: "输入您要反映的问题，按回车发送" }),
    attachButton,
    fileInput,
    input,
    sendButton,
  ]);
  var largeButton = el("button", {
    type: "button",
    className: "zzw-tool",
    "aria-pressed": state.large ? "true" : "false",
    title: "切换大字",
    text: "大字",
    onclick: function () {
      state.large = !state.large;
      largeButton.setAttribute("aria-pressed", state.large ? "true" : "false");
      root.classList.toggle("zzw-large", state.large);
      save();
    },
  });
  var clearButton = el("button", {
    type: "button",
    className: "zzw-tool",
    title: "结束对话，并清除本机上的记录（公用电脑、别人的手机请用）",
    text: "结束并清除",
    onclick: endAndClear,
  });
  var restartButton = el("button", {
    type: "button",
    className: "zzw-tool",
    title: "清空记录，重新开始",
    text: "重新开始",
    onclick: restart,
  });
  var closeButton = el("button", {
    type: "button",
    className: "zzw-tool zzw-close",
    "aria-label": "关闭对话窗口",
    text: "×",
    onclick: function () {
      setOpen(false);
    },
  });
  var panel = el("div", {
    id: "zzw-panel",
    className: "zzw-panel",
    role: "dialog",
    "aria-labelledby": "zzw-title",
    hidden: true,
  }, [
    el("div", { className: "zzw-header" }, [
      el("h2", { id: "zzw-title", className: "zzw-title", text: config.title }),
      largeButton,
      restartButton,
      clearButton,
      closeButton,
    ]),
    log,
    typing,
    status,
    form,
    el("p", { className: "zzw-note", text: "正在发生危险请立即拨打 110。您的信息仅用于办理本次纠纷。" }),
  ]);
  var root = el("div", { className: "zzw" + (state.large ? " zzw-large" : ""), lang: "zh-CN" }, [
    panel,
    launcher,
  ]);

  // ------------------------------------------------------------------ rendering

  function renderMessage(message, index) {
    var who = message.from === "user" ? "user" : "bot";
    var bubble = el("div", { className: "zzw-msg zzw-msg-" + who });
    bubble.appendChild(el("span", { className: "zzw-sr", text: who === "user" ? "我说：" : "助手说：" }));
    if (message.staff) {
      bubble.className += " zzw-msg-staff";
      bubble.appendChild(el("div", { className: "zzw-staff", text: "工作人员 " + message.staff }));
    }
    if (message.text) bubble.appendChild(el("div", { className: "zzw-text" }, [richText(message.text)]));
    if (message.image) bubble.appendChild(el("img", { src: message.image, alt: "助手发送的图片" }));
    if (message.kind === "error") {
      bubble.className += " zzw-msg-error";
      bubble.appendChild(
        el("button", {
          type: "button",
          className: "zzw-retry",
          text: "重试",
          onclick: function () {
            retry(index);
          },
        })
      );
    }
    if (who === "bot" && message.text && /证据|材料|照片|凭证/.test(message.text) && index === state.messages.length - 1) {
      bubble.appendChild(
        el("button", { type: "button", className: "zzw-choice", text: "上传照片或文件", onclick: chooseFile })
      );
    }
    if (message.buttons && message.buttons.length && !message.answered) {
      var group = el("div", { className: "zzw-buttons", role: "group", "aria-label": "可选回复" });
      message.buttons.forEach(function (button) {
        group.appendChild(
          el("button", {
            type: "button",
            className: "zzw-choice",
            text: button.title,
            onclick: function () {
              if (button.rate) rate(message, button);
              else send(button.payload || button.title, button.title);
            },
          })
        );
      });
      bubble.appendChild(group);
    }
    return bubble;
  }

  function renderAll() {
    log.textContent = "";
    state.messages.forEach(function (message, index) {
      log.appendChild(renderMessage(message, index));
    });
    scrollDown();
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function add(message) {
    if (message.from === "bot" && CASE_CODE.test(message.text || "")) follow(state.sender);
    state.messages.push(message);
    state.active = Date.now();
    save();
    log.appendChild(renderMessage(message, state.messages.length - 1));
    scrollDown();
  }

  // ------------------------------------------------------------------ talking to Rasa

  var busy = false;

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    sendButton.disabled = value;
    log.setAttribute("aria-busy", value ? "true" : "false");
    status.textContent = value ? "助手正在输入" : "";
    if (value) scrollDown();
  }

  function answerButtons() {
    var changed = false;
    state.messages.forEach(function (message) {
      if (message.buttons && message.buttons.length && !message.answered) {
        message.answered = true;
        changed = true;
      }
    });
    if (changed) {
      Array.prototype.forEach.call(log.querySelectorAll(".zzw-buttons"), function (group) {
        group.parentNode.removeChild(group);
      });
    }
  }

  function dropErrors() {
    var before = state.messages.length;
    state.messages = state.messages.filter(function (m) {
      return m.kind !== "error";
    });
    if (state.messages.length !== before) renderAll();
  }

  /** Show the citizen's words (or the chosen button's title) and send ``payload``. */
  function send(payload, shown) {
    expireIfIdle();
    if (busy || !payload.trim()) return;
    dropErrors();
    answerButtons();
    add({ from: "user", text: shown || payload });
    deliver(payload);
  }

  function deliver(payload) {
    var sender = state.sender; // an answer to a conversation cleared meanwhile is dropped
    setBusy(true);
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () {
      if (controller) controller.abort();
    }, config.timeoutMs);
    fetch(config.rasaUrl + "/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: state.sender, message: payload }),
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (replies) {
        clearTimeout(timer);
        setBusy(false);
        if (sender !== state.sender) return;
        var shown = 0;
        (replies || []).forEach(function (reply) {
          if (!reply.text && !reply.image && !(reply.buttons && reply.buttons.length)) return;
          shown++;
          add({
            from: "bot",
            text: reply.text || "",
            image: reply.image || null,
            buttons: (reply.buttons || []).map(function (b) {
              return { title: String(b.title || b.payload || ""), payload: String(b.payload || b.title || "") };
            }),
          });
        });
        // a conversation handed to a person gets no answer from the bot: the person's comes by the poll
        if (!shown && !state.handoff) add({ from: "bot", text: "抱歉，我没有听明白，能换个说法再说一遍吗？" });
        pollHandoff();
      })
      .catch(function () {
        clearTimeout(timer);
        setBusy(false);
        if (sender !== state.sender) return;
        var text = "暂时连不上受理服务，您的话还没有送达。请检查网络后点“重试”。";
        if (config.phone) text += "\n着急的话请拨打中心电话 " + config.phone + "。";
        add({ from: "bot", kind: "error", text: text, retryPayload: payload });
        var retryButton = log.querySelector(".zzw-msg-error:last-child .zzw-retry");
        if (retryButton) retryButton.focus();
      });
  }

  var handoffTimer = null;
  /** Messages of a person who took the conversation (and the bot's, once handed back). */
  function pollHandoff() {
    var sender = state.sender;
    if (handoffTimer) clearTimeout(handoffTimer);
    handoffTimer = null;
    fetch(handoffUrl, {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ sender: sender, after: state.handoffCursor || null }),
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (!answer || sender !== state.sender) return;
        (answer.messages || []).forEach(function (m) {
          add({ from: "bot", text: String(m.text || ""), staff: m.staff ? String(m.staff) : null });
        });
        var live = answer.state === "waiting" || answer.state === "taken";
        state.handoff = live;
        if (typeof answer.cursor === "number") state.handoffCursor = answer.cursor;
        save();
        if (live) handoffTimer = setTimeout(pollHandoff, HANDOFF_POLL_MS);
      })
      .catch(function () {
        if (state.handoff) handoffTimer = setTimeout(pollHandoff, HANDOFF_POLL_MS * 2);
      });
  }

  function retry(index) {
    var message = state.messages[index];
    if (busy || !message || message.kind !== "error") return;
    var payload = message.retryPayload;
    dropErrors();
    input.focus();
    if (payload) deliver(payload);
  }

  // ------------------------------------------------------------------ evidence uploads

  function chooseFile() {
    if (busy) return;
    fileInput.value = "";
    fileInput.click();
  }

  function onFileChosen() {
    var file = fileInput.files && fileInput.files[0];
    if (!file) return;
    if (file.size > UPLOAD_MAX) {
      add({ from: "bot", text: "文件太大了，每个文件请不要超过 10 MB。照片可以截图或压缩后再发。" });
      return;
    }
    upload(file);
  }

  /** Send one file to the intake service under this conversation's id (the only key to it). */
  function upload(file) {
    expireIfIdle();
    var sender = state.sender;
    add({ from: "user", text: "发送了" + (file.type === "application/pdf" ? "文件" : "照片") + "：" + file.name });
    var body = new FormData();
    body.append("sender", sender);
    body.append("file", file);
    setBusy(true);
    fetch(config.uploadUrl, { method: "POST", body: body })
      .then(function (response) {
        return response.json().then(
          function (json) {
            return { ok: response.ok, json: json || {} };
          },
          function () {
            return { ok: false, json: {} };
          }
        );
      })
      .then(function (result) {
        setBusy(false);
        if (sender !== state.sender) return;
        add({
          from: "bot",
          text: result.json.message || (result.ok ? "已收到您的文件。" : "上传没有成功，请稍后再试。"),
        });
      })
      .catch(function () {
        setBusy(false);
        if (sender !== state.sender) return;
        add({ from: "bot", text: "暂时连不上服务，文件没有上传成功。请检查网络后再试一次。" });
      });
  }

  // ------------------------------------------------------------------ input

  function onSubmit(event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || busy) return;
    input.value = "";
    autosize();
    send(text);
  }

  input.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.shiftKey) return;
    // A Chinese IME confirms its candidate with Enter: that must not send the message.
    if (event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    if (form.requestSubmit) form.requestSubmit();
    else onSubmit(event);
  });

  function autosize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 160) + "px";
  }
  input.addEventListener("input", autosize);

  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.stopPropagation();
      setOpen(false);
    }
  });

  // ------------------------------------------------------------------ open / close

  function setOpen(open, keepFocus) {
    state.open = open;
    save();
    panel.hidden = !open;
    root.classList.toggle("zzw-open", open);
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      expireIfIdle();
      if (!state.messages.length) add({ from: "bot", text: config.welcome });
      scrollDown();
      checkUpdates();
      if (!keepFocus) input.focus();
    } else if (!keepFocus) {
      launcher.focus();
    }
  }

  function restart() {
    if (busy) return;
    state = fresh(true, state.large);
    save();
    renderAll();
    add({ from: "bot", text: config.welcome });
    input.focus();
  }

  /** End the conversation on this device now: a new id, nothing of the old one kept or shown. */
  function endAndClear() {
    state = fresh(false, state.large);
    memoryOnly.state = null;
    cases = { senders: [], seen: {}, at: Date.now() };
    try {
      window.localStorage.removeItem(config.storageKey);
      window.localStorage.removeItem(config.storageKey + ":cases");
    } catch (e) {}
    renderAll();
    setOpen(false);
  }

  /** After data-expire-minutes without a message, the next look shows a new, empty conversation. */
  function expireIfIdle() {
    if (busy || !expired(state)) return;
    state = fresh(state.open, state.large);
    save();
    renderAll();
    if (state.open) add({ from: "bot", text: config.welcome });
  }

  // ------------------------------------------------------------------ progress of filed cases

  // Conversations of this browser that filed a case are followed for data-follow-days (30; 0: only
  // the current conversation): on opening, a changed status shows "您的案件有新进展" and a closed
  // case asks for a rating 1-5 (/api/public/updates, /api/public/rating of the intake service).
  var CASE_CODE = /\d{6}-\d{8}-\d{4}/;
  var INITIAL = { received: 1, awaiting_staff: 1, routed: 1 };
  var cases = loadCases();

  function loadCases() {
    var saved = null;
    try {
      saved = JSON.parse(window.localStorage.getItem(config.storageKey + ":cases") || "null");
    } catch (e) {}
    var invalid = !saved || !Array.isArray(saved.senders) || !saved.seen || typeof saved.seen !== "object";
    if (invalid || Date.now() - (saved.at || 0) > config.followDays * 86400000) {
      return { senders: [], seen: {}, at: Date.now() };
    }
    return saved;
  }

  function saveCases() {
    cases.at = Date.now();
    try {
      window.localStorage.setItem(config.storageKey + ":cases", JSON.stringify(cases));
    } catch (e) {}
  }

  function follow(sender) {
    if (cases.senders.indexOf(sender) >= 0) return;
    cases.senders = cases.senders.concat([sender]).slice(-5);
    saveCases();
  }

  function fill(template, update) {
    return String(template || "").replace("{code}", update.code).replace("{status_name}", update.status_name);
  }

  var lastCheck = 0;
  function checkUpdates() {
    if (Date.now() - lastCheck < 20000) return; // opening and closing again is not news
    lastCheck = Date.now();
    var senders = cases.senders.slice();
    if (senders.indexOf(state.sender) < 0) senders.push(state.sender);
    var query = senders
      .map(function (sender) {
        return "sender_id=" + encodeURIComponent(sender);
      })
      .join("&");
    fetch(intakeBase + "api/public/updates?" + query)
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
      var seen = cases.seen[update.code];
      cases.seen[update.code] = update.status;
      if (seen === update.status || (seen === undefined && INITIAL[update.status])) return;
      follow(sender);
      var message = { from: "bot", text: fill(body.texts.widget_update, update), buttons: [] };
      if (update.can_rate) {
        message.text += "\n" + fill(body.texts.widget_rate, update);
        for (var n = 1; n <= 5; n++) {
          message.buttons.push({ title: n + "分", payload: "", rate: n, code: update.code, sender: sender });
        }
      }
      add(message);
    });
    saveCases();
  }

  function rate(message, button) {
    message.answered = true;
    renderAll();
    add({ from: "user", text: button.title });
    fetch(intakeBase + "api/public/rating", {
      method: "POST",
      headers: { "Content-Type": "text/plain;charset=UTF-8" }, // a simple request: no preflight
      body: JSON.stringify({ sender_id: button.sender, code: button.code, rating: button.rate }),
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (body) {
        add({ from: "bot", text: body.message || "感谢您的评价。" });
      })
      .catch(function () {
        add({ from: "bot", text: "评价暂时没有提交成功，请稍后再试，或打开进度查询页评价。" });
      });
  }

  setInterval(expireIfIdle, 15000);
  window.addEventListener("focus", expireIfIdle);
  document.addEventListener("visibilitychange", expireIfIdle);

  function mount() {
    document.body.appendChild(root);
    renderAll();
    // The log announces new messages only: history rendered before it became live is not re-read.
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-relevant", "additions");
    if (state.open || config.startOpen) setOpen(true, true);
    if (state.handoff) pollHandoff(); // reloaded while a person answers
  }

  window.ZZIntakeWidget = {
    open: function () {
      setOpen(true);
    },
    close: function () {
      setOpen(false);
    },
    restart: restart,
    clear: endAndClear,
    sessionId: function () {
      return state.sender;
    },
  };

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
