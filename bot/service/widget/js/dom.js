  // widget part: dom — safe element building and the panel's markup (each part wires its own controls)
  parts.push(function dom(w) {
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

    w.el = el;
    w.richText = richText;

    var config = w.config;
    document.head.appendChild(el("link", { rel: "stylesheet", href: w.assetBase + "widget.css" }));

    w.launcher = el("button", {
      type: "button",
      className: "zzw-launcher",
      "aria-expanded": "false",
      "aria-controls": "zzw-panel",
    }, [el("span", { className: "zzw-launcher-icon", "aria-hidden": "true", text: "💬" }), config.title]);

    w.log = el("div", { className: "zzw-log", tabindex: "0", "aria-label": "对话记录" });
    w.typing = el("div", { className: "zzw-typing", hidden: true }, [
      el("span", { className: "zzw-dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]),
      "助手正在输入…",
    ]);
    w.status = el("div", { className: "zzw-sr", role: "status", "aria-live": "polite" });
    w.input = el("textarea", {
      id: "zzw-input",
      className: "zzw-input",
      rows: "1",
      maxlength: "1000",
      placeholder: "请说说您遇到的问题…",
      autocomplete: "off",
      enterkeyhint: "send",
    });
    w.sendButton = el("button", { type: "submit", className: "zzw-send", text: "发送" });
    w.fileInput = el("input", {
      type: "file",
      className: "zzw-sr",
      tabindex: "-1",
      "aria-hidden": "true",
    });
    w.attachButton = el("button", {
      type: "button",
      className: "zzw-attach",
      title: "上传照片或 PDF（欠条、合同、现场照片等）",
      "aria-label": "上传照片或文件",
      text: "上传",
    });
    w.form = el("form", { className: "zzw-form" }, [
      el("label", { for: "zzw-input", className: "zzw-sr", text: "输入您要反映的问题，按回车发送" }),
      w.attachButton,
      w.fileInput,
      w.input,
      w.sendButton,
    ]);
    w.largeButton = el("button", {
      type: "button",
      className: "zzw-tool",
      "aria-pressed": w.state.large ? "true" : "false",
      title: "切换大字",
      text: "大字",
    });
    w.clearButton = el("button", {
      type: "button",
      className: "zzw-tool",
      title: "结束对话，并清除本机上的记录（公用电脑、别人的手机请用）",
      text: "结束并清除",
    });
    w.restartButton = el("button", {
      type: "button",
      className: "zzw-tool",
      title: "清空记录，重新开始",
      text: "重新开始",
    });
    w.closeButton = el("button", {
      type: "button",
      className: "zzw-tool zzw-close",
      "aria-label": "关闭对话窗口",
      text: "×",
    });
    w.panel = el("div", {
      id: "zzw-panel",
      className: "zzw-panel",
      role: "dialog",
      "aria-labelledby": "zzw-title",
      hidden: true,
    }, [
      el("div", { className: "zzw-header" }, [
        el("h2", { id: "zzw-title", className: "zzw-title", text: config.title }),
        w.largeButton,
        w.restartButton,
        w.clearButton,
        w.closeButton,
      ]),
      w.log,
      w.typing,
      w.status,
      w.form,
      el("p", { className: "zzw-note", text: "正在发生危险请立即拨打 110。您的信息仅用于办理本次纠纷。" }),
    ]);
    w.root = el("div", { className: "zzw" + (w.state.large ? " zzw-large" : ""), lang: "zh-CN" }, [
      w.panel,
      w.launcher,
    ]);
  });

