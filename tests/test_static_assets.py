"""The browser scripts parse: a broken merge of widget.js or console.js silently kills the widget or the
console in every browser, and only the slower browser tests would notice. widget.js is served joined
from parts of one job each (``bot/service/widget/js/``): the script served is checked whole, and each
part stays small and listed."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.service.widget.routes import WIDGET_PARTS, WIDGET_PARTS_DIR, setup_widget, widget_script

ROOT = Path(__file__).resolve().parents[1]
# begin.js opens the widget's closure and start.js closes it: they parse only joined (checked below)
FRAGMENTS = {WIDGET_PARTS_DIR / WIDGET_PARTS[0], WIDGET_PARTS_DIR / WIDGET_PARTS[-1]}
SCRIPTS = sorted(p for p in (ROOT / "bot" / "service").rglob("*.js") if p not in FRAGMENTS)
NODE = shutil.which("node")
MAX_PART_LINES = 500
needs_node = pytest.mark.skipif(
    NODE is None, reason="node is not installed: JavaScript syntax is checked by the browser tests"
)


def node_check(script: Path) -> None:
    result = subprocess.run([str(NODE), "--check", str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


@needs_node
@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_script_parses(script: Path) -> None:
    node_check(script)


@needs_node
def test_served_widget_script_parses(tmp_path: Path) -> None:
    served = tmp_path / "widget.js"
    served.write_bytes(widget_script()[0])
    node_check(served)


def test_there_are_scripts_to_check() -> None:
    assert "console.js" in {s.name for s in SCRIPTS}
    assert {"chat.js", "handoff.js", "evidence.js", "cases.js"} <= {s.name for s in SCRIPTS}


def test_widget_parts_are_listed_and_small() -> None:
    on_disk = {p.name for p in WIDGET_PARTS_DIR.glob("*.js")}
    assert on_disk == set(WIDGET_PARTS)  # a part not listed would silently not be served
    assert len(WIDGET_PARTS) == len(set(WIDGET_PARTS))
    for name in WIDGET_PARTS:
        lines = len((WIDGET_PARTS_DIR / name).read_text(encoding="utf-8").splitlines())
        assert lines <= MAX_PART_LINES, f"{name}: {lines} lines"


@pytest.fixture
async def client() -> AsyncIterator[TestClient]:
    app = web.Application()
    setup_widget(app)
    async with TestClient(TestServer(app)) as c:
        yield c


async def test_widget_js_is_the_parts_joined_in_order(client: TestClient) -> None:
    resp = await client.get("/widget/widget.js")
    assert resp.status == 200
    assert resp.content_type == "application/javascript"
    assert resp.charset == "utf-8"
    assert resp.headers["Cache-Control"] == "no-cache"
    body = await resp.text()
    assert body.startswith("/*!") and body.rstrip().endswith("})();")
    positions = [body.find(f"// widget part: {Path(name).stem} — ") for name in WIDGET_PARTS]
    assert -1 not in positions, dict(zip(WIDGET_PARTS, positions, strict=True))
    assert positions == sorted(positions)  # in the listed order: the first opens, the last closes
    for name in WIDGET_PARTS:
        assert (WIDGET_PARTS_DIR / name).read_text(encoding="utf-8").strip() in body
    assert body.count("parts.push(function ") == len(WIDGET_PARTS) - 2  # all but begin and start


async def test_widget_js_is_read_once_and_revalidated_by_etag(client: TestClient) -> None:
    assert widget_script() is widget_script()  # joined once per process, then kept in memory
    first = await client.get("/widget/widget.js")
    etag = first.headers["ETag"]
    again = await client.get("/widget/widget.js", headers={"If-None-Match": etag})
    assert again.status == 304 and again.headers["Cache-Control"] == "no-cache"
    assert not await again.read()
    changed = await client.get("/widget/widget.js", headers={"If-None-Match": '"something-else"'})
    assert changed.status == 200 and await changed.read() == widget_script()[0]


async def test_widget_css_and_unknown_assets(client: TestClient) -> None:
    css = await client.get("/widget/widget.css")
    assert css.status == 200 and css.content_type == "text/css"
    assert css.headers["Cache-Control"] == "no-cache"
    assert (await client.get("/widget/begin.js")).status == 404  # parts are not served one by one
    assert (await client.get("/widget/js")).status == 404
