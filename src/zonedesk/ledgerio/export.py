"""Export projects as the templates zones send upward (``templates.toml``): .xlsx or .csv.

The .xlsx has a title row, the header with units in it, a frozen header, column widths, number
formats, drop-downs for coded columns and a 填报单位/填报日期 footer; the importer reads it back
without changes (the headers are ones ``columns.toml`` knows).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from .config import in_ledger_language
from .xlsxwrite import SheetColumn, write_sheet_xlsx

TEMPLATES_PATH = Path(__file__).with_name("templates.toml")
DEFAULT_TEMPLATE = "招商项目台账"
NAMED = {
    "park": "park__name",
    "pursuing_unit": "pursuing_unit__name",
    "referring_unit": "referring_unit__name",
}
SPECIAL = {"seq", "investors", "investor_uscc", "industry", "responsible_officer", "hesitations"}
CHUNK = 5000


class TemplateError(ValueError):
    """templates.toml is broken or names an unknown template; the message is in Chinese."""


@dataclass(frozen=True)
class ExportColumn:
    field: str
    header: str
    width: float
    number_format: str | None
    dropdown: bool


@dataclass(frozen=True)
class ExportTemplate:
    name: str
    title: str
    columns: tuple[ExportColumn, ...]


def _kind(field: str) -> str:
    from django.db import models

    from zonedesk.projects.models import Project

    if field in SPECIAL or field in NAMED:
        return "text"
    f = Project._meta.get_field(field)
    if isinstance(f, models.DecimalField):
        return "decimal"
    if isinstance(f, models.DateField):
        return "date"
    if isinstance(f, (models.IntegerField,)):
        return "integer"
    return "choice" if f.choices else "text"


@lru_cache(maxsize=4)
def load_templates(path: Path = TEMPLATES_PATH) -> dict[str, ExportTemplate]:
    from django.core.exceptions import FieldDoesNotExist

    from zonedesk.projects.models import Project

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(f"导出模板文件 {path.name} 有误：{exc}") from exc
    out: dict[str, ExportTemplate] = {}
    for name, spec in raw.get("templates", {}).items():
        columns = []
        for col in spec.get("columns", []):
            field = col.get("field", "")
            if field not in SPECIAL and field not in NAMED:
                try:
                    Project._meta.get_field(field)
                except FieldDoesNotExist as exc:
                    raise TemplateError(f"导出模板“{name}”引用了不存在的字段：{field}") from exc
            kind = _kind(field)
            default_format = {"decimal": "#,##0.00", "date": "yyyy-mm-dd", "integer": "0"}.get(kind)
            columns.append(
                ExportColumn(
                    field,
                    col.get("header", field),
                    float(col.get("width", 14)),
                    col.get("format", default_format),
                    bool(col.get("dropdown", False)),
                )
            )
        if not columns:
            raise TemplateError(f"导出模板“{name}”没有列")
        out[name] = ExportTemplate(name, spec.get("title", name), tuple(columns))
    return out


def get_template(name: str | None) -> ExportTemplate:
    templates = load_templates()
    name = name or DEFAULT_TEMPLATE
    if name not in templates:
        raise TemplateError(f"没有名为“{name}”的导出模板（可选：{'、'.join(templates)}）")
    return templates[name]


def _choices(field: str) -> dict[str, str]:
    from zonedesk.projects.models import Project

    return {str(k): str(v) for k, v in Project._meta.get_field(field).choices}


def _raw_values(qs: Any, lookups: list[str]) -> Any:
    """Rows of ``qs.values_list(*lookups)`` straight from the database cursor, dates as dates.

    Django's per-value converters (a Decimal and a quantize per number) are most of an export's
    time at 100 000 rows; numbers are written to the sheet as numbers anyway, so the driver's
    int/float/Decimal is kept, and only dates stored as text (SQLite) are turned into dates.
    """
    from django.core.exceptions import FieldDoesNotExist
    from django.db import connections, models

    from zonedesk.projects.models import Project

    vqs = qs.values_list(*lookups)
    sql, params = vqs.query.get_compiler(using=vqs.db).as_sql()

    def is_date(name: str) -> bool:
        try:
            f = Project._meta.get_field(name)
        except FieldDoesNotExist:  # "pk", "park__name": not dates
            return False
        return isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)

    dates = [i for i, name in enumerate(lookups) if is_date(name)]
    with connections[vqs.db].cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            block = cursor.fetchmany(CHUNK)
            if not block:
                return
            for row in block:
                if dates:
                    row = list(row)
                    for i in dates:
                        v = row[i]
                        if v is not None and v.__class__ is str:
                            row[i] = dt.date.fromisoformat(v)
                yield row


def _hesitation_labels() -> dict[str, str]:
    from zonedesk.projects.choices import HesitationReason

    return {str(code): str(label) for code, label in HesitationReason.choices}


def _dropdown(field: str) -> tuple[str, ...]:
    if field == "hesitations":
        return tuple(_hesitation_labels().values())
    if field in SPECIAL or field in NAMED:
        return ()
    return tuple(_choices(field).values())


def _rows(qs: Any, template: ExportTemplate) -> Any:
    """Plain values per project, in the template's column order (None for empty)."""
    from zonedesk.access.models import User
    from zonedesk.enterprises.models import IndustryCode
    from zonedesk.projects.models import ProjectInvestor

    fields = [c.field for c in template.columns]
    plain = [f for f in fields if f not in SPECIAL and f not in NAMED]
    lookups = ["pk", *plain, *(NAMED[f] for f in fields if f in NAMED)]
    if "industry" in fields:
        lookups.append("industry_id")
    if "responsible_officer" in fields:
        lookups.append("responsible_officer_id")
    choice_maps = {f: _choices(f) for f in plain if _kind(f) == "choice"}
    industries: dict[int, str] = {}
    if "industry" in fields:
        rows = list(IndustryCode.objects.values_list("pk", "code", "name", "level", "parent_id"))
        parent = {pk: p for pk, _c, _n, _l, p in rows}
        section = {pk: code for pk, code, _n, level, _p in rows if level == "section"}
        for pk, code, name, _level, _p in rows:
            node = pk
            while parent.get(node) is not None:
                node = parent[node]
            letter = section.get(node, "")
            industries[pk] = f"{code if code == letter else letter + code} {name}"
    officers: dict[int, str] = {}
    if "responsible_officer" in fields:
        officers = {
            pk: (full or user) for pk, user, full in User.objects.values_list("pk", "username", "full_name")
        }
    want_investors = "investors" in fields or "investor_uscc" in fields
    want_reasons = "hesitations" in fields
    reason_labels = _hesitation_labels()
    at = {name: i for i, name in enumerate(lookups)}

    def getter(f: str) -> Callable[..., Any]:
        """The cell of column ``f`` from (values row, pk, sequence number, investors, reasons)."""
        if f == "seq":
            return lambda row, pk, seq, inv, rea: seq
        if f == "investors":
            return lambda row, pk, seq, inv, rea: "、".join(n for n, _u in inv.get(pk, ())) or None
        if f == "hesitations":
            return lambda row, pk, seq, inv, rea: "、".join(rea.get(pk, ())) or None
        if f == "investor_uscc":
            return lambda row, pk, seq, inv, rea: inv[pk][0][1] if inv.get(pk) else None
        if f == "industry":
            i = at["industry_id"]
            return lambda row, pk, seq, inv, rea: industries.get(row[i])
        if f == "responsible_officer":
            i = at["responsible_officer_id"]
            return lambda row, pk, seq, inv, rea: officers.get(row[i])
        if f in NAMED:
            i = at[NAMED[f]]
            return lambda row, pk, seq, inv, rea: row[i]
        i = at[f]
        if f in choice_maps:
            labels = choice_maps[f]
            return lambda row, pk, seq, inv, rea: labels.get(row[i]) if row[i] not in (None, "") else None
        return lambda row, pk, seq, inv, rea: row[i] if row[i] != "" else None

    getters = [getter(f) for f in fields]
    # Investors and reasons of every project in the view: one query each (the view as a subquery).
    investors: dict[int, list[tuple[str, str | None]]] = {}
    if want_investors:
        for project_id, name, uscc in (
            ProjectInvestor.objects.filter(project_id__in=qs.values("pk"))
            .order_by("project_id", "-is_lead", "id")
            .values_list("project_id", "enterprise__name", "enterprise__uscc")
            .iterator(chunk_size=CHUNK)
        ):
            investors.setdefault(project_id, []).append((name, uscc))
    reasons: dict[int, list[str]] = {}
    if want_reasons:
        from zonedesk.projects.models import ProjectHesitation

        order = {
            code: i for i, code in enumerate(reason_labels)
        }  # the reasons' own order: 土地 before 能耗指标
        for project_id, reason in sorted(
            ProjectHesitation.objects.filter(project_id__in=qs.values("pk")).values_list(
                "project_id", "reason"
            ),
            key=lambda pr: (pr[0], order.get(pr[1], len(order)), pr[1]),
        ):
            reasons.setdefault(project_id, []).append(reason_labels.get(reason, reason))
    # One pass over the view's own query, in its order.
    for seq, row in enumerate(_raw_values(qs, lookups), start=1):
        yield [get(row, row[0], seq, investors, reasons) for get in getters]


def _title(template: ExportTemplate, zone_label: str, today: dt.date) -> str:
    return template.title.format(zone=zone_label, date=f"{today.year}年{today.month}月{today.day}日")


def export_xlsx(
    qs: Any, *, template: ExportTemplate, zone_label: str, unit_label: str, today: dt.date | None = None
) -> bytes:
    """The template as .xlsx: title row, header with units, frozen panes, widths, formats, drop-downs, footer."""
    today = today or dt.date.today()
    columns = [
        SheetColumn(
            col.width,
            col.number_format,
            _dropdown(col.field) if col.dropdown else (),
            # Several 观望原因 go in one cell ("土地、融资"): the list only suggests, it does not refuse.
            strict=col.field != "hesitations",
        )
        for col in template.columns
    ]

    def footer(count: int) -> list[list[Any]]:
        return [
            [],
            [f"填报单位：{unit_label}", None, None, None, f"填报日期：{today.isoformat()}"],
            [f"合计：共 {count} 个项目"],
        ]

    buf = io.BytesIO()
    write_sheet_xlsx(
        sheet_name=template.name[:31],
        title=_title(template, zone_label, today),
        header=[col.header for col in template.columns],
        columns=columns,
        rows=_rows(qs, template),
        footer=footer,
        freeze="C3",
        out=buf,
    )
    return buf.getvalue()


def export_csv(qs: Any, *, template: ExportTemplate) -> bytes:
    """Header and rows only, UTF-8 with a BOM so Excel and WPS open it in Chinese."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.header for c in template.columns])
    for values in _rows(qs, template):
        writer.writerow(["" if v is None else _csv_value(v) for v in values])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# A CSV cell beginning with one of these is taken by Excel, WPS and LibreOffice for a formula (CSV
# injection, OWASP): the export writes it with a leading apostrophe, which the spreadsheet shows as
# text, and the CSV reader takes that apostrophe off again (``csv_unescape``), so the file imports back.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_escape(text: str) -> str:
    """``text`` safe as a CSV cell: one that a spreadsheet would run as a formula gets a leading ``'``."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_unescape(text: str) -> str:
    """The reverse of ``csv_escape``: ``'=…`` → ``=…``; any other apostrophe is the user's own."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _csv_value(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_escape(str(value))


@in_ledger_language
def export_projects(
    qs: Any,
    *,
    template: str | None = None,
    fmt: str = "xlsx",
    zone_label: str = "全部开发区",
    unit_label: str = "",
    today: dt.date | None = None,
) -> tuple[bytes, str, str]:
    """(content, file name, content type) of ``qs`` in a template and format."""
    tpl = get_template(template)
    today = today or dt.date.today()
    stem = f"{zone_label}{tpl.name}{today:%Y%m%d}"
    if fmt == "csv":
        return export_csv(qs, template=tpl), f"{stem}.csv", "text/csv; charset=utf-8"
    if fmt != "xlsx":
        raise TemplateError(f"不支持的导出格式“{fmt}”（可选：xlsx、csv）")
    content = export_xlsx(qs, template=tpl, zone_label=zone_label, unit_label=unit_label, today=today)
    return content, f"{stem}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
