"""``zonedesk project show|update|advance`` and ``zonedesk search reindex``.

``update`` and ``advance`` require ``--version``, the version ``show`` printed (or the API/page showed):
a project someone changed since is refused (exit 1) and nothing is written.

``search reindex`` rebuilds the ledger's full-text search documents.

Services keep the index current as projects change; this is for a database upgraded from before
the index existed (migration 0002 indexed names and codes only), or restored from a dump.
"""

from __future__ import annotations

import argparse
from typing import Any

from zonedesk.core.cli import fail, resolve_user, resolve_zone, setup


def cmd_reindex(args: argparse.Namespace) -> int:
    setup()
    from .models import Project
    from .search import reindex

    ids = None
    if args.zone:
        # A system job: every zone, not one user's reach.
        zone = resolve_zone(None, args.zone, message="找不到开发区“{text}”（请用编号、全称或简称）")
        ids = list(Project.objects.filter(zone=zone).values_list("pk", flat=True))
    written = reindex(ids)
    print(f"已重建 {written} 个项目的检索索引")
    return 0


def _parse_assignments(pairs: list[str]) -> dict[str, str | None]:
    data: dict[str, str | None] = {}
    for pair in pairs:
        if "=" not in pair:
            raise SystemExit(fail(f"--set 的格式应为 字段=值：{pair}"))
        key, value = pair.split("=", 1)
        data[key.strip()] = value if value != "" else None
    return data


def _show(project: Any) -> int:
    """The project as stored, with the version that ``update``/``advance --version`` must name."""
    from .fields import editable_names

    print(f"项目 {project.pk}：{project.name}")
    print(f"版本：{project.version}")
    print(f"阶段：{project.get_stage_display()}（{project.stage}）")
    for name in editable_names():
        value = getattr(project, name, None)
        if value not in (None, ""):
            print(f"{project._meta.get_field(name).verbose_name}（{name}）：{value}")
    return 0


def cmd_project(args: argparse.Namespace) -> int:
    setup()
    import datetime as dt

    from django.http import Http404

    from zonedesk.core.audit import acting_as
    from zonedesk.core.errors import DomainError
    from zonedesk.projects import selectors, services

    user = resolve_user(args.user)
    try:
        project = selectors.project_get(user, args.id)
    except Http404:
        return fail(f"项目 {args.id} 不存在或无权访问")
    if args.action == "show":
        return _show(project)
    try:
        with acting_as(user, source="cli"):
            if args.action == "update":
                project = services.project_update(
                    user=user,
                    project=project,
                    data=_parse_assignments(args.set),
                    expected_version=args.version,
                )
            else:
                project = services.project_advance(
                    user=user,
                    project=project,
                    to_stage=args.to,
                    occurred_on=dt.date.fromisoformat(args.date) if args.date else dt.date.today(),
                    evidence=args.evidence or "",
                    expected_version=args.version,
                )
    except DomainError as exc:
        return fail(exc.message + "".join(f"\n  {k}：{'；'.join(v)}" for k, v in exc.fields.items()), code=1)
    except ValueError as exc:
        return fail(f"日期格式应为 YYYY-MM-DD：{exc}")
    print(f"已保存：{project.name}（阶段：{project.get_stage_display()}，版本 {project.version}）")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    project = sub.add_parser("project", help="修改项目或推进阶段")
    project_sub = project.add_subparsers(dest="action", required=True)
    pupdate = project_sub.add_parser("update", help="修改字段：--set 字段=值")
    pupdate.add_argument("id", type=int)
    pupdate.add_argument("--user", required=True, help="以该用户身份操作（权限与历史记录均按此用户）")
    pupdate.add_argument("--set", action="append", default=[], metavar="字段=值")
    version_help = "读取时的版本号（zonedesk project show 显示）；项目已被他人修改则拒绝，不做任何修改"
    pshow = project_sub.add_parser("show", help="显示项目及其版本号")
    pshow.add_argument("id", type=int)
    pshow.add_argument("--user", required=True, help="以该用户身份查看（只显示其权限内的项目）")
    pshow.set_defaults(func=cmd_project)
    pupdate.add_argument("--version", type=int, required=True, help=version_help)
    pupdate.set_defaults(func=cmd_project)
    padv = project_sub.add_parser("advance", help="推进阶段")
    padv.add_argument("id", type=int)
    padv.add_argument("--user", required=True)
    padv.add_argument("--to", required=True, help="目标阶段代码，如 signed、started")
    padv.add_argument("--date", help="发生日期 YYYY-MM-DD，默认今天")
    padv.add_argument("--evidence", help="依据说明")
    padv.add_argument("--version", type=int, required=True, help=version_help)
    padv.set_defaults(func=cmd_project)

    search = sub.add_parser("search", help="全文检索索引")
    search_sub = search.add_subparsers(dest="search_command", required=True)
    rebuild = search_sub.add_parser("reindex", help="重建项目检索索引（默认全部项目）")
    rebuild.add_argument("--zone", help="只重建该开发区（编号、全称或简称）的项目")
    rebuild.set_defaults(func=cmd_reindex)
