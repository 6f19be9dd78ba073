"""``zonedesk audit verify`` and ``zonedesk audit purge``: the audit record's chains from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any


def cmd_verify(args: argparse.Namespace) -> int:
    from zonedesk.core.cli import fail, setup

    setup()
    from django.utils import timezone

    from zonedesk.core.chain import time_text, verify

    since = None
    if args.since:
        try:
            day = dt.date.fromisoformat(args.since)
        except ValueError:
            return fail(f"--since 应为日期 YYYY-MM-DD，而不是“{args.since}”")
        since = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    broken = False
    for status in verify(since=since):
        if status.broken is not None:
            broken = True
            print(f"断链：{status.broken.describe()}")
            continue
        start = f"，自检查点 #{status.since_checkpoint} 起" if status.since_checkpoint else ""
        head = f"，末行 {status.head_id}：{status.head_hash}" if status.head_id is not None else ""
        print(f"{status.table}：完整（{status.checked} 行{start}{head}）")
    if not broken:
        print(f"完整（{time_text(timezone.now())}）")
    return 1 if broken else 0


def cmd_purge(args: argparse.Namespace) -> int:
    from zonedesk.core.cli import setup

    setup()
    from zonedesk.core.chain import purge, retention_days

    done = purge(label="zonedesk audit purge")
    if not done:
        print(f"没有早于保留期（{retention_days()} 天）的审计记录")
    for item in done:
        print(
            f"{item['table']}：已清理 {item['removed']} 行（早于 {item['before']}，保留 {item['retention_days']} 天），"
            f"检查点：第 {item['last_id']} 行 {item['last_hash']}"
        )
    return 0


def register(sub: Any) -> None:
    a = sub.add_parser("audit", help="审计记录：校验哈希链、按保留期清理")
    asub = a.add_subparsers(dest="audit_command", required=True)
    v = asub.add_parser("verify", help="校验变更记录和安全事件的哈希链；断链时退出码为 1")
    v.add_argument("--since", help="只校验该日期（YYYY-MM-DD）以来的记录")
    v.set_defaults(func=cmd_verify)
    p = asub.add_parser(
        "purge", help="删除早于保留期（ZONEDESK_AUDIT_RETENTION_DAYS，至少 180 天）的记录，留下检查点"
    )
    p.set_defaults(func=cmd_purge)
