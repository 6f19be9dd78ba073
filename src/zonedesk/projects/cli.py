"""``zonedesk search reindex``: rebuild the ledger's full-text search documents.

Services keep the index current as projects change; this is for a database upgraded from before
the index existed (migration 0002 indexed names and codes only), or restored from a dump.
"""

from __future__ import annotations

import argparse


def cmd_reindex(args: argparse.Namespace) -> int:
    from zonedesk.cli import _fail, _setup

    _setup()
    from zonedesk.geo.models import Zone
    from zonedesk.geo.selectors import find_zone

    from .models import Project
    from .search import reindex

    ids = None
    if args.zone:
        zone = find_zone(Zone.objects.all(), args.zone)
        if zone is None:
            return _fail(f"找不到开发区“{args.zone.strip()}”（请用编号、全称或简称）")
        ids = list(Project.objects.filter(zone=zone).values_list("pk", flat=True))
    written = reindex(ids)
    print(f"已重建 {written} 个项目的检索索引")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    search = sub.add_parser("search", help="全文检索索引")
    search_sub = search.add_subparsers(dest="search_command", required=True)
    rebuild = search_sub.add_parser("reindex", help="重建项目检索索引（默认全部项目）")
    rebuild.add_argument("--zone", help="只重建该开发区（编号、全称或简称）的项目")
    rebuild.set_defaults(func=cmd_reindex)
