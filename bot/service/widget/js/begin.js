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
 *
 * Served as one script: the parts in bot/service/widget/js/, concatenated in the order of
 * WIDGET_PARTS (bot/service/widget/routes.py). This part opens the closure, each part after it adds
 * one job to the shared context ``w``, and start.js runs them in that order and closes the closure.
 */
// widget part: begin — opens the closure
(function () {
  "use strict";

  /** The parts, in the order they are concatenated; each is ``function (w)`` on the shared context. */
  var parts = [];

