  // widget part: evidence — photos and PDFs uploaded to the intake service under the conversation's id
  parts.push(function evidence(w) {
    var UPLOAD_TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf"];
    var UPLOAD_MAX = 10 * 1024 * 1024; // the server checks again, on the content
    var fileInput = w.fileInput;

    function chooseFile() {
      if (w.busy) return;
      fileInput.value = "";
      fileInput.click();
    }

    function onFileChosen() {
      var file = fileInput.files && fileInput.files[0];
      if (!file) return;
      if (file.size > UPLOAD_MAX) {
        w.add({ from: "bot", text: "文件太大了，每个文件请不要超过 10 MB。照片可以截图或压缩后再发。" });
        return;
      }
      upload(file);
    }

    /** Send one file to the intake service under this conversation's id (the only key to it). */
    function upload(file) {
      w.expireIfIdle();
      var sender = w.state.sender;
      w.add({ from: "user", text: "发送了" + (file.type === "application/pdf" ? "文件" : "照片") + "：" + file.name });
      var body = new FormData();
      body.append("sender", sender);
      body.append("file", file);
      w.setBusy(true);
      fetch(w.config.uploadUrl, { method: "POST", body: body })
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
          w.setBusy(false);
          if (sender !== w.state.sender) return;
          w.add({
            from: "bot",
            text: result.json.message || (result.ok ? "已收到您的文件。" : "上传没有成功，请稍后再试。"),
          });
        })
        .catch(function () {
          w.setBusy(false);
          if (sender !== w.state.sender) return;
          w.add({ from: "bot", text: "暂时连不上服务，文件没有上传成功。请检查网络后再试一次。" });
        });
    }

    fileInput.setAttribute("accept", UPLOAD_TYPES.join(","));
    fileInput.addEventListener("change", onFileChosen);
    w.attachButton.addEventListener("click", chooseFile);
    w.chooseFile = chooseFile;
  });

