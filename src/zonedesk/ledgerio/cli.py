"""``zonedesk import`` and ``zonedesk export``: the ledger round-trip from a terminal or a script."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    imp = sub.add_parser("import", help="导入台账（.xlsx/.xls/.csv）：先校验，全部无误才写入")
    imp.add_argument("path", help="台账文件路径")
    imp.add_argument("--zone", required=True, help="开发区名称、简称或编号")
    imp.add_argument("--user", required=True, help="以该用户身份导入（权限与历史记录均按此用户）")
    imp.add_argument("--sheet", help="只导入该工作表")
    imp.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    imp.add_argument("--json", action="store_true", help="输出机器可读的 JSON 摘要")
    imp.set_defaults(func=cmd_import)

    exp = sub.add_parser("export", help="按模板导出项目台账（.xlsx/.csv）")
    exp.add_argument("--zone", required=True, help="开发区名称、简称或编号")
    exp.add_argument("--user", required=True, help="以该用户的数据范围导出")
    exp.add_argument("--template", default=None, help="导出模板名称（默认：招商项目台账）")
    exp.add_argument("--format", default="xlsx", choices=["xlsx", "csv"])
    exp.add_argument("-o", "--output", required=True, help="输出文件路径")
    exp.set_defaults(func=cmd_export)

    cleanup = sub.add_parser("cleanup", help="清理过期数据")
    targets = cleanup.add_subparsers(dest="target", required=True)
    uploads = targets.add_parser(
        "uploads",
        help="删除超过保留天数仍未导入（待确认或读取失败）的上传及其文件（ZONEDESK_UPLOAD_RETENTION_DAYS）",
    )
    uploads.add_argument("--dry-run", action="store_true", help="只列出将删除的上传，不删除")
    uploads.add_argument("--days", type=int, default=None, help="保留天数（默认取设置，7 天）")
    uploads.add_argument("--json", action="store_true", help="输出机器可读的 JSON")
    uploads.set_defaults(func=cmd_cleanup_uploads)

    fields = sub.add_parser("fields", help="列出每个项目字段的声明及使用它的地方；声明不一致时退出码为 1")
    fields.add_argument("--json", action="store_true", help="输出机器可读的 JSON")
    fields.set_defaults(func=cmd_fields)


def _progress() -> Any:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r校验 [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def _summary(plan: Any, batch: Any, dry_run: bool) -> dict[str, Any]:
    counts = plan.counts
    return {
        "file": plan.file_name,
        "sha256": plan.sha256,
        "zone": plan.zone.name,
        "dry_run": dry_run,
        "applied": batch is not None,
        "batch": batch.pk if batch is not None else None,
        "created": counts["created"],
        "updated": counts["updated"],
        "unchanged": counts["unchanged"],
        "invalid_rows": counts["invalid"],
        "errors": [
            {"sheet": e.sheet, "row": e.row, "column": e.column_letter, "message": e.message}
            for e in plan.error_list
        ],
        "warnings": [
            {"sheet": e.sheet, "row": e.row, "column": e.column_letter, "message": e.message}
            for e in plan.warning_list
        ],
        "changes": [
            {
                "sheet": r.sheet,
                "row": r.row_number,
                "name": r.name,
                "fields": [
                    {"field": c.field, "label": c.label, "before": c.before, "after": c.after}
                    for c in r.changes
                ],
            }
            for r in plan.rows
            if r.action == "update"
        ],
    }


def _user_and_zone(args: argparse.Namespace):
    """The acting user and the zone they named (name, alias or id), or a clear exit."""
    from zonedesk.core.cli import resolve_user, resolve_zone

    user = resolve_user(args.user)
    return user, resolve_zone(user, args.zone)


def cmd_import(args: argparse.Namespace) -> int:
    from zonedesk.core.cli import fail, setup

    setup()
    from zonedesk.core.errors import DomainError

    from .importer import ImportRefused, apply_import, plan_import
    from .reader import LedgerFormatError

    user, zone = _user_and_zone(args)
    path = Path(args.path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return fail(f"无法读取文件 {path}：{exc.strerror}")
    progress = _progress()
    batch = None
    try:
        if args.dry_run:
            plan = plan_import(
                data, user=user, zone=zone, file_name=path.name, sheet=args.sheet, progress=progress
            )
        else:
            try:
                plan, batch = apply_import(
                    data,
                    user=user,
                    zone=zone,
                    file_name=path.name,
                    sheet=args.sheet,
                    source="cli",
                    progress=progress,
                )
            except ImportRefused:
                plan = plan_import(data, user=user, zone=zone, file_name=path.name, sheet=args.sheet)
    except LedgerFormatError as exc:
        return fail(str(exc))
    except DomainError as exc:
        return fail(exc.message, code=1)
    summary = _summary(plan, batch, args.dry_run)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        for e in plan.errors:
            mark = "错误" if e.severity == "error" else "提示"
            print(f"[{mark}] 工作表“{e.sheet}” {e.message}")
        verb = "预览" if args.dry_run else ("已导入" if batch is not None else "未导入")
        print(
            f"{verb}：新增 {summary['created']}，更新 {summary['updated']}，未变 {summary['unchanged']}，"
            f"错误 {len(summary['errors'])}" + (f"（批次 #{batch.pk}）" if batch is not None else "")
        )
    return 1 if plan.has_errors else 0


def cmd_cleanup_uploads(args: argparse.Namespace) -> int:
    from zonedesk.core.cli import fail, setup

    setup()
    from .uploads import retention_days, uploads_cleanup

    if args.days is not None and args.days < 0:
        return fail("--days 不能为负数")
    days = retention_days() if args.days is None else args.days
    removed = uploads_cleanup(days=days, dry_run=args.dry_run)
    if args.json:
        rows = [
            {
                "batch": r.batch,
                "status": r.status,
                "file_name": r.file_name,
                "file": r.file,
                "created_at": r.created_at.isoformat(),
            }
            for r in removed
        ]
        print(
            json.dumps({"dry_run": args.dry_run, "days": days, "removed": rows}, ensure_ascii=False, indent=2)
        )
        return 0
    verb = "将删除" if args.dry_run else "已删除"
    for r in removed:
        print(f"{verb} 批次 #{r.batch}（{r.status}，{r.created_at:%Y-%m-%d %H:%M}）{r.file_name}")
    print(f"{verb} {len(removed)} 个超过 {days} 天未导入的上传")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from zonedesk.core.cli import fail, setup

    setup()
    from zonedesk.projects import selectors
    from zonedesk.projects.selectors import ProjectFilters

    from .export import TemplateError, export_projects

    user, zone = _user_and_zone(args)
    qs = selectors.project_list(user, ProjectFilters(zone=zone.pk))
    try:
        content, _name, _type = export_projects(
            qs, template=args.template, fmt=args.format, zone_label=zone.name, unit_label=str(user.unit or "")
        )
    except TemplateError as exc:
        return fail(str(exc))
    Path(args.output).write_bytes(content)
    from zonedesk.core.security_record import log_event

    rows = qs.count()
    log_event(
        "data.exported",
        user=user,
        template=args.template or "",
        format=args.format,
        rows=rows,
        zone=zone.name,
        via="cli",
    )
    print(f"已导出 {rows} 个项目：{args.output}")
    return 0


def field_table() -> list[dict[str, Any]]:
    """One row per declared project field: its declaration and every place that reads it."""
    from zonedesk.projects import fields as declared
    from zonedesk.projects.rules import get_rules

    from .config import get_config
    from .export import load_templates

    config, rules, templates = get_config(), get_rules(), load_templates()
    gates: dict[str, list[str]] = {}
    for code in rules.order:
        rule = rules.stages[code]
        names = set(rule.requires) | {f for group, _l in rule.requires_any for f in group}
        names |= {n for c, _e, extra in rule.when for n in (c, *extra)}
        for name in sorted(names):
            gates.setdefault(name, []).append(code)
    rows = []
    for spec in declared.FIELDS:
        column = config.fields.get(spec.name)
        rows.append(
            {
                "field": spec.name,
                "label": spec.label,
                "group": spec.group,
                "editable": spec.editable,
                "history": spec.history,
                "import_kind": spec.imported,
                "synonyms": list(column.synonyms) if column else [],
                "templates": [
                    t.name for t in templates.values() if any(c.field == spec.name for c in t.columns)
                ],
                "gates": gates.get(spec.name, []),
            }
        )
    return rows


def cmd_fields(args: argparse.Namespace) -> int:
    """``zonedesk fields``: the declarations, and exit 1 naming each drift."""
    from zonedesk.core.cli import setup

    setup()
    from .checks import declaration_problems

    rows, problems = field_table(), declaration_problems()
    if args.json:
        print(json.dumps({"fields": rows, "problems": problems}, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            flags = ("可编辑" if r["editable"] else "只读") + ("" if r["history"] else "，不记历史")
            print(
                f"{r['field']:28} {r['label']:16} {r['group'] or '—':14} {flags:10} "
                f"导入:{r['import_kind'] or '—':8} 导出:{'、'.join(r['templates']) or '—'}  "
                f"阶段:{'、'.join(r['gates']) or '—'}"
            )
        for p in problems:
            print(f"不一致：{p}", file=sys.stderr)
    return 1 if problems else 0
