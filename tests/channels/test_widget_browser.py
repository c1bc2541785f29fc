"""The web widget in a real headless Chromium (Debian's chromium driven by Playwright) against the stack.

Loads the demo page from the intake service, opens the widget, describes a dispute in Chinese, clicks the
consent button, answers until a ticket is filed, reloads and still sees the whole conversation. Also:
Enter while an IME is composing does not send, an unreachable server shows a retry button, phones get a
full-screen panel. A mid-conversation screenshot goes to docs/widget.png for the README.
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.channels.helpers import get_ticket
from tools.simulation import WAGE_ANSWERS, continue_intake
from tools.stack import StackSettings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "widget.png"
DISPUTE = "包工头老王跑路了，欠我们十几个工友的工资不给"

if not CHROMIUM.exists():
    pytest.skip(
        "/usr/bin/chromium is missing: install Debian's chromium (apt-get install -y chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is missing: pip install playwright"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture()
def page(browser: Any, channel_stack: StackSettings) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1180, "height": 820}, locale="zh-CN")
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(f"http://{channel_stack.host}:{channel_stack.intake_port}/")
    try:
        yield page
    finally:
        context.close()


def bot_messages(page: Any) -> list[str]:
    return page.locator(".zzw-msg-bot .zzw-text").all_inner_texts()


def wait_for_reply(page: Any, count_before: int) -> str:
    """Wait until the assistant answered (more bot messages and no typing indicator); the last one."""
    page.wait_for_function(
        "n => document.querySelectorAll('.zzw-msg-bot').length > n"
        " && document.querySelector('.zzw-typing').hidden",
        arg=count_before,
    )
    return bot_messages(page)[-1]


def say(page: Any, text: str) -> str:
    before = len(bot_messages(page))
    box = page.get_by_label("输入您要反映的问题")
    box.fill(text)
    box.press("Enter")
    return wait_for_reply(page, before)


def open_widget(page: Any) -> None:
    page.locator(".zzw-launcher").click()
    page.get_by_role("dialog").wait_for()


def test_demo_page_carries_the_widget(browser: Any, channel_stack: StackSettings) -> None:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname or ""))
    page.goto(f"http://{channel_stack.host}:{channel_stack.intake_port}/")
    try:
        check_demo_page(page, channel_stack)
        say(page, "你好")
    finally:
        context.close()
    assert hosts == {channel_stack.host}  # no CDN, fonts or trackers: everything from the center


def check_demo_page(page: Any, channel_stack: StackSettings) -> None:
    assert "综治中心" in page.title() or "综合治理中心" in page.title()
    script = page.locator("script[src='/widget/widget.js']")
    assert script.get_attribute("data-rasa-url") == f"http://{channel_stack.host}:{channel_stack.rasa_port}"
    launcher = page.locator(".zzw-launcher")
    assert launcher.get_attribute("aria-expanded") == "false"
    open_widget(page)
    assert launcher.get_attribute("aria-expanded") == "true" or not launcher.is_visible()
    assert page.evaluate("document.activeElement.id") == "zzw-input"  # focus goes to the input
    assert page.locator(".zzw-log").get_attribute("role") == "log"
    assert page.locator(".zzw-log").get_attribute("aria-live") == "polite"
    assert "智能受理助手" in bot_messages(page)[0]  # the welcome message
    size = "parseFloat(getComputedStyle(document.querySelector('.zzw')).fontSize)"
    normal = page.evaluate(size)
    page.get_by_role("button", name="大字").click()
    assert page.evaluate(size) > normal >= 16  # large text, remembered with the conversation
    page.keyboard.press("Escape")
    assert page.get_by_role("dialog").is_hidden()
    assert page.evaluate("document.activeElement.className") == "zzw-launcher"
    open_widget(page)


def test_enter_while_composing_does_not_send(page: Any) -> None:
    open_widget(page)
    box = page.get_by_label("输入您要反映的问题")
    box.fill("老板欠")
    page.evaluate(
        """() => {
          const input = document.getElementById('zzw-input');
          input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', isComposing: true, bubbles: true}));
          input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', keyCode: 229, bubbles: true}));
        }"""
    )
    assert box.input_value() == "老板欠"
    assert page.locator(".zzw-msg-user").count() == 0


def test_a_whole_intake_in_the_browser_survives_a_reload(page: Any, channel_stack: StackSettings) -> None:
    open_widget(page)
    reply = say(page, DISPUTE)
    consent = page.get_by_role("button", name="同意", exact=True)
    consent.wait_for()
    assert "同意" in reply
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))  # mid-conversation, with the consent buttons

    before = len(bot_messages(page))
    consent.click()
    reply = wait_for_reply(page, before)
    assert page.locator(".zzw-msg-user").last.inner_text().endswith("同意")  # the title, not "/affirm"
    assert "称呼" in reply, reply
    assert page.get_by_role("button", name="同意", exact=True).count() == 0  # answered buttons go away

    def send(text: str) -> list[str]:
        """The simulated citizen's answer (the summary confirmed by its button); the replies to it."""
        before = len(bot_messages(page))
        if text == WAGE_ANSWERS["核对"]:
            page.get_by_role("button", name="确认提交").click()
            wait_for_reply(page, before)
        else:
            say(page, text)
        return bot_messages(page)[before:]

    code, _ = continue_intake(send, [reply], WAGE_ANSWERS, said=[DISPUTE, "同意"])
    ticket = get_ticket(channel_stack, code)
    assert ticket["channel"] == "rest"  # the widget talks to the REST channel
    assert ticket["category"] == "wage_arrears"
    assert ticket["facts"]["applicant_name"] == "王建国"
    assert ticket["facts"]["phone"] == "13912345678"
    assert ticket["facts"]["amount_yuan"] == 35000
    assert ticket["facts"]["headcount"] == 10  # "十几个工友" of the story (not asked again)

    page.reload()
    page.locator(".zzw-msg").first.wait_for()
    texts = page.locator(".zzw-msg").all_inner_texts()
    joined = "\n".join(texts)
    assert DISPUTE in joined and code in joined
    assert page.get_by_role("dialog").is_visible()  # it was open before the reload


def test_unreachable_server_shows_a_retry_button(page: Any) -> None:
    open_widget(page)
    page.route("**/webhooks/rest/webhook", lambda route: route.abort())
    box = page.get_by_label("输入您要反映的问题")
    box.fill("你好")
    box.press("Enter")
    error = page.locator(".zzw-msg-error")
    error.wait_for()
    assert "连不上" in error.inner_text()
    retry = page.get_by_role("button", name="重试")
    assert page.evaluate("document.activeElement.textContent") == "重试"

    page.unroute("**/webhooks/rest/webhook")
    before = len(bot_messages(page))
    retry.click()
    wait_for_reply(page, before - 1)  # the error message itself is removed on retry
    assert page.locator(".zzw-msg-error").count() == 0
    assert page.locator(".zzw-msg-user").count() == 1  # the citizen's words are not repeated


def test_phones_get_a_full_screen_panel(browser: Any, channel_stack: StackSettings) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"http://{channel_stack.host}:{channel_stack.intake_port}/demo/")
        page.locator(".zzw-launcher").tap()
        box = page.get_by_role("dialog").bounding_box()
        assert box is not None
        assert box["width"] >= 389 and box["height"] >= 800
        font = page.evaluate("parseFloat(getComputedStyle(document.getElementById('zzw-input')).fontSize)")
        assert font >= 16  # no zoom-in on focus, readable text
    finally:
        context.close()


def test_widget_assets_are_served_as_written(channel_stack: StackSettings) -> None:
    base = f"http://{channel_stack.host}:{channel_stack.intake_port}/widget/"
    for name, kind in (("widget.js", "javascript"), ("widget.css", "text/css")):
        with urllib.request.urlopen(base + name, timeout=10) as response:
            assert kind in response.headers["Content-Type"]
            assert response.read().decode("utf-8").strip()


# ------------------------------------------------------------------ the transcript expires (kiosks)

STORAGE_KEY = "zz-intake-widget"
OLD_WORDS = "老王欠我三个月工资，我住在坞城街道"
SENDER = re.compile(r"^w-[0-9a-f]{32}$")
SEED = """([key, words, minutesAgo]) => {
  const sender = "w-" + "ab".repeat(16);
  localStorage.setItem(key, JSON.stringify({
    sender, open: true, large: false, active: Date.now() - minutesAgo * 60000,
    messages: [{from: "bot", text: "您好"}, {from: "user", text: words}],
  }));
  return sender;
}"""


def seed(page: Any, minutes_ago: float) -> str:
    """A stored conversation last active ``minutes_ago`` (a page script ages its timestamp); reloaded."""
    sender = page.evaluate(SEED, [STORAGE_KEY, OLD_WORDS, minutes_ago])
    page.reload()
    page.locator(".zzw-launcher").wait_for(state="attached")
    return str(sender)


def stored(page: Any) -> str:
    return str(page.evaluate("key => localStorage.getItem(key) || ''", STORAGE_KEY))


def shows_old_words(page: Any) -> bool:
    return OLD_WORDS in "\n".join(page.locator(".zzw-msg").all_inner_texts())


def assert_new_conversation(page: Any, old_sender: str) -> None:
    sender = page.evaluate("window.ZZIntakeWidget.sessionId()")
    assert sender != old_sender and SENDER.match(sender)
    assert not shows_old_words(page) and OLD_WORDS not in stored(page)


def test_a_recent_transcript_is_kept_an_old_one_is_not_shown(page: Any) -> None:
    old = seed(page, minutes_ago=5)
    assert shows_old_words(page) and page.evaluate("window.ZZIntakeWidget.sessionId()") == old
    old = seed(page, minutes_ago=31)  # the default: 30 minutes without activity
    assert_new_conversation(page, old)


def test_an_open_transcript_is_cleared_after_the_idle_time(
    browser: Any, channel_stack: StackSettings
) -> None:
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        page.clock.install()  # a fake clock: half an hour passes in an instant
        page.goto(f"http://{channel_stack.host}:{channel_stack.intake_port}/")
        old = seed(page, minutes_ago=0)
        assert shows_old_words(page) and page.get_by_role("dialog").is_visible()
        page.clock.fast_forward("29:00")
        assert shows_old_words(page)
        page.clock.fast_forward("02:00")  # nobody touched it for 31 minutes
        assert_new_conversation(page, old)
        assert page.locator(".zzw-msg-bot").count() == 1  # the panel stayed open: a fresh welcome
    finally:
        context.close()


def test_the_idle_time_is_configurable(browser: Any, channel_stack: StackSettings) -> None:
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()

        def with_short_expiry(route: Any) -> None:
            html = route.fetch().text().replace("<script src=", '<script data-expire-minutes="2" src=', 1)
            route.fulfill(body=html, content_type="text/html; charset=utf-8")

        page.route(f"http://{channel_stack.host}:{channel_stack.intake_port}/", with_short_expiry)
        page.goto(f"http://{channel_stack.host}:{channel_stack.intake_port}/")
        assert page.locator("script[data-expire-minutes='2']").count() == 1
        seed(page, minutes_ago=1)
        assert shows_old_words(page)
        old = seed(page, minutes_ago=3)
        assert_new_conversation(page, old)
    finally:
        context.close()


def test_end_and_clear_forgets_the_conversation_at_once(page: Any) -> None:
    old = seed(page, minutes_ago=1)
    assert shows_old_words(page)
    page.get_by_role("button", name="结束并清除").click()
    assert_new_conversation(page, old)
    assert not page.get_by_role("dialog").is_visible()
    open_widget(page)  # opening again starts the new conversation with the welcome only
    assert page.locator(".zzw-msg-user").count() == 0 and not shows_old_words(page)
