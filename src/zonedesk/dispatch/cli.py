"""``zonedesk bulletin`` and ``zonedesk dispatch missing``: the bulletin and the missing-report list
from the command line, computed as the named user (their scope, their name in the history)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path


def cmd_bulletin(args: argparse.Namespace) -> int:
    from zonedesk.cli import _fail, _setup, _user

    _setup()
    from zonedesk.core.errors import DomainError

    from .bulletin import build_bulletin_data, render, resolve_city, resolve_zone
    from .kpis import Window

    if bool(args.zone) == bool(args.city):
        return _fail("请用 --zone 或 --city 指定一个开发区或一个市（二选一）")
    user = _user(args.user)
    try:
        window = Window.parse(args.period)
        issued = dt.date.fromisoformat(args.date) if args.date else None
        if args.zone:
            data = build_bulletin_data(user, window, zone=resolve_zone(user, args.zone), number=args.number, issued_on=issued)
        else:
            city, zone_ids = resolve_city(user, args.city)
            data = build_bulletin_data(user, window, city=city, zone_ids=zone_ids, number=args.number, issued_on=issued)
        content = render(data, args.format)
    except DomainError as exc:
        return _fail(str(exc))
    except ValueError as exc:
        return _fail(f"日期格式应为 YYYY-MM-DD：{exc}")
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    print(f"已生成 {data.title}（{data.number_label}，{args.format}）：{out}（{len(content)} 字节）")
    return 0


def cmd_missing(args: argparse.Namespace) -> int:
    from zonedesk.cli import _fail, _setup, _user

    _setup()
    from zonedesk.core.errors import DomainError

    from .bulletin import resolve_zone
    from .kpis import Window
    from .selectors import missing_reports

    user = _user(args.user)
    try:
        zone = resolve_zone(user, args.zone)
        rows = missing_reports(user, [zone.pk], Window.parse(args.period))
    except DomainError as exc:
        return _fail(str(exc))
    if not rows:
        print("本期各单位均已报送")
    for period, row in rows:
        print(f"{period.label}\t{row.unit.name if row.unit else '未明确单位'}\t应报{row.expected}\t已报{row.reported}\t"
              f"未报：{'、'.join(p.name for p in row.missing)}")
    return 0


def register(sub) -> None:
    b = sub.add_parser("bulletin", help="生成调度通报（Word 或 PDF）")
    b.add_argument("--zone", help="开发区名称、简称或编号")
    b.add_argument("--city", help="市级单位名称（如 长治市商务局），通报其下各开发区")
    b.add_argument("--period", required=True, help="期次：2026-10（月）或 2026-W42（周）")
    b.add_argument("--format", choices=["docx", "pdf"], default="docx")
    b.add_argument("-o", "--output", required=True, help="输出文件路径")
    b.add_argument("--user", required=True, help="以该用户的数据范围生成")
    b.add_argument("--number", type=int, default=None, help="期号（默认取月份）")
    b.add_argument("--date", default=None, help="印发日期 YYYY-MM-DD（默认今天）")
    b.set_defaults(func=cmd_bulletin)

    d = sub.add_parser("dispatch", help="调度：未报送清单")
    dsub = d.add_subparsers(dest="dispatch_command", required=True)
    m = dsub.add_parser("missing", help="列出本期未报送进展的单位和项目")
    m.add_argument("--zone", required=True)
    m.add_argument("--period", required=True)
    m.add_argument("--user", required=True)
    m.set_defaults(func=cmd_missing)
