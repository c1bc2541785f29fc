"""The web chat widget's assets (``/widget/…``) and the demo page carrying it (``/`` and ``/demo/``).

The widget (``bot/service/widget/``) is embedded with one tag::

    <script src="https://<intake host>/widget/widget.js" data-rasa-url="https://<rasa host>" defer></script>

The demo page is a county 综治中心 website front page with the widget on it. Rasa's public URL comes from
``RASA_PUBLIC_URL``; without it, the page's own host name with Rasa's port (``RASA_PORT``, default 5005).
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from aiohttp import web

WIDGET_DIR = Path(__file__).resolve().parent
ASSETS = {
    "widget.js": "application/javascript",
    "widget.css": "text/css",
}


def rasa_public_url(request: web.Request) -> str:
    configured = os.environ.get("RASA_PUBLIC_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    host_header = request.host or "127.0.0.1"
    if host_header.startswith("["):  # IPv6 literal, maybe with a port
        host = host_header[: host_header.index("]") + 1]
    else:
        host = host_header.split(":", 1)[0]
    return f"{request.scheme}://{host}:{os.environ.get('RASA_PORT', '5005')}"


async def asset(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if name not in ASSETS:
        raise web.HTTPNotFound()
    path = WIDGET_DIR / name
    response = web.FileResponse(path, headers={"Cache-Control": "no-cache"})
    response.content_type = ASSETS[name]
    response.charset = "utf-8"
    return response


def _profile(app: web.Application) -> Any:
    from bot.service.state import STORE

    store = app.get(STORE)
    return getattr(store, "profile", None)


async def demo(request: web.Request) -> web.Response:
    p = _profile(request.app)
    values = {
        "name": getattr(p, "name", "社会治安综合治理中心"),
        "short_name": getattr(p, "short_name", "") or "综治中心",
        "region": getattr(p, "region_name", ""),
        "address": getattr(p, "address", ""),
        "hours": getattr(p, "hours", ""),
        "phone": getattr(p, "phone", ""),
    }
    escaped = {k: html.escape(str(v)) for k, v in values.items()}
    windows = getattr(p, "windows", None) or {}
    items = "".join(
        f"<li>{html.escape(w.name)}<small>{html.escape(w.room)}</small></li>" for w in windows.values()
    )
    page = DEMO_HTML.format(
        rasa_url=html.escape(rasa_public_url(request), quote=True),
        windows=items or "<li>综合受理窗口</li>",
        **escaped,
    )
    return web.Response(text=page, content_type="text/html", charset="utf-8")


def setup_widget(app: web.Application) -> None:
    """Add ``/widget/widget.js``, ``/widget/widget.css``, the demo page at ``/demo/`` and ``/``."""
    app.router.add_get("/", demo)
    app.router.add_get("/demo/", demo)
    app.router.add_get("/demo", demo)
    app.router.add_get("/widget/{name}", asset)


DEMO_HTML = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{name} · 矛盾纠纷一站式受理</title>
<style>
  :root {{ --red: #b3121a; --ink: #1f2329; --muted: #5c6370; --line: #e3e5e8; }}
  * {{ box-sizing: border-box; }}
  body {{ margin: 0; font: 16px/1.75 "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
         color: var(--ink); background: #f5f6f8; }}
  a {{ color: #0b57a4; }}
  .skip {{ position: absolute; left: -999px; }} .skip:focus {{ left: 1em; top: 1em; background: #fff; }}
  header {{ background: var(--red); color: #fff; }}
  .bar {{ max-width: 68rem; margin: 0 auto; padding: 1.1rem 1.25rem; display: flex; gap: 1rem;
          align-items: center; flex-wrap: wrap; }}
  .emblem {{ width: 3rem; height: 3rem; border-radius: 50%; border: 3px solid #f7d774; display: grid;
             place-items: center; font-weight: 700; color: #f7d774; }}
  header h1 {{ margin: 0; font-size: 1.5rem; letter-spacing: .05em; }}
  header p {{ margin: 0; opacity: .9; font-size: .95rem; }}
  nav {{ background: #8f0e15; }}
  nav ul {{ max-width: 68rem; margin: 0 auto; padding: 0 1.25rem; display: flex; flex-wrap: wrap;
            list-style: none; }}
  nav a {{ display: block; padding: .6rem 1rem; color: #fff; text-decoration: none; }}
  nav a:hover, nav a:focus {{ background: rgba(255,255,255,.15); }}
  main {{ max-width: 68rem; margin: 1.5rem auto; padding: 0 1.25rem; display: grid; gap: 1.25rem;
          grid-template-columns: 2fr 1fr; }}
  section, aside {{ background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1.25rem 1.5rem; }}
  h2 {{ margin-top: 0; font-size: 1.2rem; border-left: 4px solid var(--red); padding-left: .6rem; }}
  .steps {{ display: grid; grid-template-columns: repeat(5, 1fr); gap: .5rem; padding: 0; list-style: none;
            counter-reset: s; }}
  .steps li {{ background: #fdf3f3; border-radius: 4px; padding: .6rem; text-align: center; font-size: .95rem; }}
  .steps b {{ display: block; color: var(--red); }}
  .windows {{ columns: 2; padding-left: 1.2rem; }}
  .windows small {{ color: var(--muted); margin-left: .5em; }}
  .cta {{ background: #fff7e6; border: 1px solid #f3d19e; border-radius: 6px; padding: 1rem 1.25rem; }}
  footer {{ text-align: center; color: var(--muted); font-size: .9rem; padding: 2rem 1rem 6rem; }}
  @media (max-width: 760px) {{
    main {{ grid-template-columns: 1fr; }} .steps {{ grid-template-columns: repeat(2, 1fr); }}
    .windows {{ columns: 1; }}
  }}
</style>
</head>
<body>
<a class="skip" href="#main">跳到正文</a>
<header>
  <div class="bar">
    <div class="emblem" aria-hidden="true">综治</div>
    <div><h1>{name}</h1><p>{region} · 矛盾纠纷多元化解“一站式”服务平台</p></div>
  </div>
  <nav aria-label="网站导航"><ul>
    <li><a href="#main">首页</a></li><li><a href="#guide">办事指南</a></li>
    <li><a href="#windows">窗口设置</a></li><li><a href="#contact">联系我们</a></li>
  </ul></nav>
</header>
<main id="main">
  <section>
    <h2>有矛盾纠纷，先在网上说一说</h2>
    <p>群众反映矛盾纠纷，只进一扇门、最多跑一地。欠薪讨薪、劳动争议、婚姻家庭、物业房产、邻里纠纷、
      借款欠款、交通事故、土地承包等问题，都可以先通过本站右下角的<strong>“在线受理”</strong>说明情况：
      智能受理助手会问清关键信息，登记后给您一个<strong>受理编号</strong>，告诉您到哪个窗口、带哪些材料。</p>
    <div class="cta"><strong>温馨提示：</strong>遇到正在发生的暴力、人身危险，请立即拨打 110；
      心理危机可拨打 12356 心理援助热线。在线受理不能代替报警。</div>
    <h2 id="guide" style="margin-top:1.5rem">办理流程</h2>
    <ol class="steps">
      <li><b>受理</b>综合窗口登记</li><li><b>分流</b>一案一码派单</li><li><b>调处</b>窗口或调解员办理</li>
      <li><b>反馈</b>7日内告知进展</li><li><b>回访</b>办结后回访</li>
    </ol>
    <h2 id="windows">进驻窗口</h2>
    <ul class="windows">{windows}
    </ul>
  </section>
  <aside id="contact">
    <h2>来访指南</h2>
    <p><strong>地址：</strong>{address}</p>
    <p><strong>办公时间：</strong>{hours}</p>
    <p><strong>咨询电话：</strong>{phone}</p>
    <p><strong>进度查询：</strong>凭受理编号和手机号后四位，在“在线受理”中输入“查询进度”。</p>
  </aside>
</main>
<footer>
  <p>{name} 主办 · 本页为{short_name}智能受理助手演示页面</p>
  <p><a href="/health">服务运行状态</a> · <a href="/api/openapi.json">接口说明（OpenAPI）</a></p>
</footer>
<script src="/widget/widget.js" data-rasa-url="{rasa_url}" data-title="{short_name} · 在线受理"
  data-phone="{phone}" defer></script>
</body>
</html>
"""
