"""``zonedesk bulletin`` and ``zonedesk dispatch missing``: the bulletin and the missing-report list
from the command line, computed as the named user (their scope, their name in the history)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from zonedesk.geo.selectors import zone_short_name


def cmd_bulletin(args: argparse.Namespace) -> int:
    from zonedesk.core.cli import fail, resolve_user, setup

    setup()
    from zonedesk.core.errors import DomainError

    from .bulletin import build_bulletin_data, render, resolve_city, resolve_zone
    from .periods import Window

    if bool(args.zone) == bool(args.city):
        return fail("请用 --zone 或 --city 指定一个开发区或一个市（二选一）")
    user = resolve_user(args.user)
    try:
        window = Window.parse(args.period)
        issued = dt.date.fromisoformat(args.date) if args.date else None
        if args.zone:
            data = build_bulletin_data(
                user, window, zone=resolve_zone(user, args.zone), number=args.number, issued_on=issued
            )
        else:
            city, zone_ids = resolve_city(user, args.city)
            data = build_bulletin_data(
                user, window, city=city, zone_ids=zone_ids, number=args.number, issued_on=issued
            )
        content = render(data, args.format)
    except DomainError as exc:
        return fail(str(exc))
    except ValueError as exc:
        return fail(f"日期格式应为 YYYY-MM-DD：{exc}")
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    from zonedesk.core.security_record import log_event

    log_event("bulletin.downloaded", user=user, file=out.name, via="cli")
    print(f"已生成 {data.title}（{data.number_label}，{args.format}）：{out}（{len(content)} 字节）")
    return 0


def cmd_missing(args: argparse.Namespace) -> int:
    from zonedesk.core.cli import fail, resolve_user, setup

    setup()
    from zonedesk.core.errors import DomainError

    from .bulletin import resolve_zone
    from .periods import Window
    from .selectors import missing_reports

    user = resolve_user(args.user)
    try:
        zone = resolve_zone(user, args.zone)
        rows = missing_reports(user, [zone.pk], Window.parse(args.period))
    except DomainError as exc:
        return fail(str(exc))
    if not rows:
        print("本期各单位均已报送")
    for period, row in rows:
        print(
            f"{period.label}\t{row.unit.name if row.unit else '未明确单位'}\t应报{row.expected}\t已报{row.reported}\t"
            f"未报：{'、'.join(p.name for p in row.missing)}"
        )
    return 0


REMIND_STATUS = {
    "sent": "已发送提醒",
    "would_send": "将发送提醒（试运行，未发送）",
    "already_sent": "今天已发送过，跳过",
    "complete": "各单位均已报送",
    "no_access": "调度员无权查看该期次，跳过",
    "no_dispatchers": "未设置调度员，无人接收",
}


def cmd_remind(args: argparse.Namespace) -> int:
    """For cron: remind each cycle's dispatchers of the units that have not reported. Safe to run again."""
    from zonedesk.core.cli import fail, resolve_user, setup

    setup()
    from django.utils import timezone

    from zonedesk.access.scoping import restrict
    from zonedesk.core.audit import acting_as
    from zonedesk.core.errors import DomainError

    from . import calendar as workcal
    from .bulletin import resolve_zone
    from .models import ReportingPeriod
    from .periods import Window
    from .services import reminders_send

    try:
        day = dt.date.fromisoformat(args.date) if args.date else timezone.localdate()
    except ValueError:
        return fail(f"--date 日期格式应为 YYYY-MM-DD：{args.date}")
    if args.before < 0:
        return fail("--before 不能为负数")
    user = resolve_user(args.user) if args.user else None
    # The job reads the periods as the system (or, with --user, as that user); each reminder's list is read
    # as its recipient.
    periods = (
        (restrict(user, "view", ReportingPeriod) if user else ReportingPeriod.objects.all())
        .filter(state="open", start__lte=day)
        .select_related("cycle", "zone")
        .order_by("deadline", "zone_id", "pk")
    )
    try:
        if args.zone:
            if user is None:
                from zonedesk.geo.models import Zone
                from zonedesk.geo.selectors import find_zone

                zone = find_zone(Zone.objects.all(), args.zone)
                if zone is None:
                    return fail(f"开发区不存在：{args.zone}")
            else:
                zone = resolve_zone(user, args.zone)
            periods = periods.filter(zone=zone)
        if args.period:
            window = Window.parse(args.period)
            periods = periods.filter(end__gte=window.start, end__lte=window.end)
        if not workcal.is_workday(day):
            print(f"{day.isoformat()} 不是工作日（中国工作日历），不发送提醒")
            return 0
        with acting_as(user, source="cli" if user else "job", label="" if user else "未报送提醒"):
            outcomes = reminders_send(
                day=day, periods=periods, before_workdays=args.before, dry_run=args.dry_run
            )
    except DomainError as exc:
        return fail(str(exc))
    sent = 0
    for o in outcomes:
        where = f"{zone_short_name(o.period.zone)} {o.period.label}"
        who = f" → {o.recipient.username}" if o.recipient else ""
        detail = ""
        if o.composed is not None:
            detail = f"（{o.composed.units}个单位{o.composed.projects}个项目未报送"
            if o.notice is not None:
                detail += f"，邮件 {o.notice.email}" if o.notice.email else "，无邮件地址，仅站内提醒"
                if o.notice.email_error:
                    detail += f"，邮件发送失败：{o.notice.email_error}"
            detail += "）"
            if args.dry_run:
                detail += "\n" + "\n".join(f"    {line}" for line in o.composed.body.splitlines())
        sent += o.status == "sent"
        print(f"{where}{who}：{REMIND_STATUS[o.status]}{detail}")
    if not outcomes:
        print("没有到期需要提醒的期次")
    print(f"共发送 {sent} 条提醒" if not args.dry_run else "试运行：未发送任何提醒")
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

    d = sub.add_parser("dispatch", help="调度：未报送清单、未报送提醒")
    dsub = d.add_subparsers(dest="dispatch_command", required=True)
    m = dsub.add_parser("missing", help="列出本期未报送进展的单位和项目")
    m.add_argument("--zone", required=True)
    m.add_argument("--period", required=True)
    m.add_argument("--user", required=True)
    m.set_defaults(func=cmd_missing)

    r = dsub.add_parser(
        "remind", help="向各调度周期的调度员发送未报送提醒（站内 + 邮件），可由 cron 每天运行"
    )
    r.add_argument("--period", help="只处理该期次：2026-10（月）或 2026-W42（周）；默认所有到期的期次")
    r.add_argument("--zone", help="只处理该开发区（名称、简称或编号）")
    r.add_argument("--date", help="按该日期判断是否到期（YYYY-MM-DD，默认今天）")
    r.add_argument("--before", type=int, default=1, help="截止日期前几个工作日开始提醒（默认 1）")
    r.add_argument("--user", help="以该用户的数据范围选取期次（默认：系统任务，全部期次）")
    r.add_argument("--dry-run", action="store_true", help="只显示将发送的内容，不发送")
    r.set_defaults(func=cmd_remind)
