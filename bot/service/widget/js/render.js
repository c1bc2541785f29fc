  // widget part: render — the transcript drawn in the log, and ``add`` for every new message
  parts.push(function render(w) {
    var el = w.el;

    function renderMessage(message, index) {
      var who = message.from === "user" ? "user" : "bot";
      var bubble = el("div", { className: "zzw-msg zzw-msg-" + who });
      bubble.appendChild(el("span", { className: "zzw-sr", text: who === "user" ? "我说：" : "助手说：" }));
      if (message.staff) {
        bubble.className += " zzw-msg-staff";
        bubble.appendChild(el("div", { className: "zzw-staff", text: "工作人员 " + message.staff }));
      }
      if (message.text) bubble.appendChild(el("div", { className: "zzw-text" }, [w.richText(message.text)]));
      if (message.image) bubble.appendChild(el("img", { src: message.image, alt: "助手发送的图片" }));
      if (message.kind === "error") {
        bubble.className += " zzw-msg-error";
        bubble.appendChild(
          el("button", {
            type: "button",
            className: "zzw-retry",
            text: "重试",
            onclick: function () {
              w.retry(index);
            },
          })
        );
      }
      var last = index === w.state.messages.length - 1;
      if (who === "bot" && message.text && /证据|材料|照片|凭证/.test(message.text) && last) {
        bubble.appendChild(
          el("button", {
            type: "button",
            className: "zzw-choice",
            text: "上传照片或文件",
            onclick: function () {
              w.chooseFile();
            },
          })
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
                if (button.rate) w.rate(message, button);
                else w.send(button.payload || button.title, button.title);
              },
            })
          );
        });
        bubble.appendChild(group);
      }
      return bubble;
    }

    function renderAll() {
      w.log.textContent = "";
      w.state.messages.forEach(function (message, index) {
        w.log.appendChild(renderMessage(message, index));
      });
      scrollDown();
    }

    function scrollDown() {
      w.log.scrollTop = w.log.scrollHeight;
    }

    function add(message) {
      w.noteFiled(message);
      w.state.messages.push(message);
      w.state.active = Date.now();
      w.save();
      w.log.appendChild(renderMessage(message, w.state.messages.length - 1));
      scrollDown();
    }

    w.renderAll = renderAll;
    w.scrollDown = scrollDown;
    w.add = add;
  });

