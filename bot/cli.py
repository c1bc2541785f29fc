"""``intake``: command line for center operators (tickets, exports, profiles, webhooks, tokens, retention).

Examples::

    intake list --status received --overdue
    intake show 140105-20261123-0007
    intake export --from 2026-11-01 --to 2026-11-30 --format xlsx -o 十一月.xlsx
    intake validate-profile centers/default.yml
    intake token create --role window_staff --window labor_inspection --name 王志强
    intake user create --username wangzq --role window_staff --window labor_inspection --name 王志强
    intake user create --username liwg --role grid_worker --area 城关镇东关社区第三网格 --name 李网格
    intake redeliver
    intake purge-expired

The database is ``DATABASE_URL`` (default SQLite ``var/intake.db``), the profile ``CENTER_PROFILE``.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from bot.tickets.centers import ProfileError
from bot.tickets.profiles import load_profile
from bot.tickets.records import ROLES


def _store() -> Any:
    from bot.storage.store import TicketStore

    return TicketStore()


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value}") from None


def cmd_list(args: argparse.Namespace) -> int:
    from bot.storage.store import ListFilters

    tickets = _store().list_tickets(
        ListFilters(
            sender_id=args.sender_id,
            window=args.window,
            status=args.status,
            risk=args.risk,
            category=args.category,
            overdue=True if args.overdue else None,
            limit=args.limit,
        )
    )
    if args.json:
        print(json.dumps({"tickets": tickets}, ensure_ascii=False, indent=2))
        return 0
    if not tickets:
        print("没有符合条件的案件")
        return 0
    for t in tickets:
        flag = " 超时" if t["overdue"] else ""
        print(
            f"{t['code']}  {t['created_at'][:16]}  {t['status_name']:<4}  {t['category_name']:<4}  "
            f"{t['risk_level']:<8}  {t['route']['window_name']}{flag}"
        )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    ticket = _store().get_ticket(args.code, reveal=args.reveal)
    if ticket is None:
        print(f"没有找到受理编号为 {args.code} 的记录", file=sys.stderr)
        return 1
    print(json.dumps(ticket, ensure_ascii=False, indent=2))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from bot.storage.export import to_csv, to_xlsx

    rows = _store().export_rows(args.date_from, args.date_to)
    out = Path(args.output)
    fmt = args.format or ("xlsx" if out.suffix.lower() == ".xlsx" else "csv")
    out.write_bytes(to_csv(rows) if fmt == "csv" else to_xlsx(rows))
    print(f"已导出 {len(rows)} 件到 {out}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        profile = load_profile(args.path)
    except ProfileError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(
        f"{args.path}: OK（{profile.name}，{len(profile.windows)} 个窗口，{len(profile.mediators)} 名调解员，"
        f"{len(profile.rules)} 条规则）"
    )
    return 0


def cmd_redeliver(args: argparse.Namespace) -> int:
    from bot.service.webhook import WebhookDeliverer

    store = _store()
    requeued = store.requeue_dead()
    print(f"重新排队 {requeued} 条失败的通知")
    deliverer = WebhookDeliverer(store, max_attempts=args.max_attempts)
    if not deliverer.url:
        print("未配置 CENTER_WEBHOOK_URL（或配置文件 center.webhook_url），通知暂存待发")
        return 0
    report = asyncio.run(deliverer.deliver_pending())
    print(f"已送达 {report.delivered} 条，失败 {report.failed} 条；队列：{store.outbox_counts()}")
    return 0 if report.failed == 0 else 2


def _scope(account: dict[str, Any]) -> str:
    """What an account or token sees, for the listings: its windows, a grid worker's area."""
    if account.get("role") == "grid_worker":
        return f"网格：{account.get('area') or '-'}（仅本人代填的案件）"
    return "窗口：" + (",".join(account.get("windows") or []) or "全部")


def cmd_token(args: argparse.Namespace) -> int:
    from bot.storage.store import InvalidInput

    store = _store()
    if args.token_cmd == "create":
        try:
            token, info = store.create_token(args.name, args.role, args.window or [], args.area)
        except InvalidInput as exc:
            print(exc.message, file=sys.stderr)
            return 1
        print(token)
        print(
            f"# 令牌 #{info['id']}（{info['name']}，{info['role']}，{_scope(info)}）只显示这一次，请妥善保存",
            file=sys.stderr,
        )
        return 0
    if args.token_cmd == "list":
        for t in store.list_tokens():
            state = "已吊销" if t["revoked"] else "有效"
            print(
                f"#{t['id']}  {t['prefix']}…  {t['name']}  {t['role']}  {_scope(t)}  "
                f"{state}  最近使用：{t['last_used_at'] or '从未'}"
            )
        return 0
    if store.revoke_token(args.id):
        print(f"已吊销令牌 #{args.id}")
        return 0
    print(f"没有有效的令牌 #{args.id}", file=sys.stderr)
    return 1


def _read_password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码（至少 8 位）：")
    if first != getpass.getpass("再输入一次：") or not first:
        print("两次输入的密码不一致", file=sys.stderr)
        return None
    return first


def cmd_user(args: argparse.Namespace) -> int:
    from bot.storage.store import InvalidInput

    store = _store()
    try:
        if args.user_cmd == "create":
            password = _read_password(args)
            if password is None:
                return 1
            info = store.create_user(
                args.username, password, args.name, args.role, args.window or [], args.mediator, args.area
            )
            who = f"，调解员 {info['mediator_id']}" if info["mediator_id"] else ""
            print(f"已创建账号 {info['username']}（{info['name']}，{info['role']}，{_scope(info)}{who}）")
            return 0
        if args.user_cmd == "list":
            for u in store.list_users():
                state = "已停用" if u["disabled"] else "正常"
                print(
                    f"#{u['id']}  {u['username']}  {u['name']}  {u['role']}  "
                    f"{_scope(u)}  {u['mediator_id'] or '-'}  {state}  "
                    f"最近登录：{u['last_login_at'] or '从未'}"
                )
            return 0
        if args.user_cmd == "passwd":
            password = _read_password(args)
            if password is None:
                return 1
            if store.set_password(args.username, password):
                print(f"已修改 {args.username} 的密码（原有登录已失效）")
                return 0
            print(f"没有账号 {args.username}", file=sys.stderr)
            return 1
        if store.disable_user(args.username):
            print(f"已停用账号 {args.username}")
            return 0
        print(f"没有可停用的账号 {args.username}", file=sys.stderr)
        return 1
    except InvalidInput as exc:
        print(exc.message, file=sys.stderr)
        return 1


def cmd_purge(args: argparse.Namespace) -> int:
    count = _store().purge_expired()
    print(f"已清除 {count} 件过期案件的个人信息")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="intake", description="综治中心智能受理助手：案件管理命令")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("list", help="列出案件（最新在前）")
    p.add_argument("--sender-id")
    p.add_argument("--window")
    p.add_argument("--status")
    p.add_argument("--risk")
    p.add_argument("--category")
    p.add_argument("--overdue", action="store_true", help="只看超时案件")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="查看一个案件")
    p.add_argument("code")
    p.add_argument("--reveal", action="store_true", help="显示完整身份证号")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("export", help="导出案件为 CSV 或 Excel")
    p.add_argument("--from", dest="date_from", type=_date)
    p.add_argument("--to", dest="date_to", type=_date)
    p.add_argument("--format", choices=("csv", "xlsx"))
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("validate-profile", help="校验中心配置文件")
    p.add_argument("path")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("redeliver", help="重新投递失败的通知（中心 webhook、热线回调、微信消息）")
    p.add_argument("--max-attempts", type=int, default=8)
    p.set_defaults(func=cmd_redeliver)

    p = sub.add_parser("token", help="管理工作人员令牌")
    tsub = p.add_subparsers(dest="token_cmd", required=True)
    t = tsub.add_parser("create")
    t.add_argument("--role", required=True, choices=ROLES)
    t.add_argument("--window", action="append", help="可重复；窗口人员和调解员必填")
    t.add_argument("--area", help="网格员所在乡镇或网格（网格员必填）")
    t.add_argument("--name", required=True)
    tsub.add_parser("list")
    t = tsub.add_parser("revoke")
    t.add_argument("id", type=int)
    p.set_defaults(func=cmd_token)

    p = sub.add_parser("user", help="管理工作台登录账号")
    usub = p.add_subparsers(dest="user_cmd", required=True)
    u = usub.add_parser("create", help="创建账号（密码从提示输入，或 --password-stdin）")
    u.add_argument("--username", required=True)
    u.add_argument("--role", required=True, choices=ROLES)
    u.add_argument("--window", action="append", help="可重复；窗口人员必填")
    u.add_argument("--area", help="网格员所在乡镇或网格（网格员必填），如 城关镇东关社区第三网格")
    u.add_argument("--name", required=True, help="姓名（办理记录中显示）")
    u.add_argument("--mediator", help="调解员编号（如 m_zhang）；缺省时按姓名匹配中心配置")
    u.add_argument("--password-stdin", action="store_true", help="从标准输入读取一行作为密码")
    usub.add_parser("list", help="列出账号")
    u = usub.add_parser("passwd", help="重设密码")
    u.add_argument("username")
    u.add_argument("--password-stdin", action="store_true")
    u = usub.add_parser("disable", help="停用账号")
    u.add_argument("username")
    p.set_defaults(func=cmd_user)

    p = sub.add_parser("purge-expired", help="清除超过保留期的已办结案件个人信息")
    p.set_defaults(func=cmd_purge)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from bot.privacy import install_log_filter

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    install_log_filter()
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
