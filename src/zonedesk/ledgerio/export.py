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
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

TEMPLATES_PATH = Path(__file__).with_name("templates.toml")
DEFAULT_TEMPLATE = "招商项目台账"
NAMED = {"park": "park__name", "pursuing_unit": "pursuing_unit__name", "referring_unit": "referring_unit__name"}
SPECIAL = {"seq", "investors", "investor_uscc", "industry", "responsible_officer"}
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
                ExportColumn(field, col.get("header", field), float(col.get("width", 14)), col.get("format", default_format),
                             bool(col.get("dropdown", False)))
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
        officers = {pk: (full or user) for pk, user, full in User.objects.values_list("pk", "username", "full_name")}
    want_investors = "investors" in fields or "investor_uscc" in fields
    ids = list(qs.values_list("pk", flat=True))
    seq = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        investors: dict[int, list[tuple[str, str | None]]] = {}
        if want_investors:
            for project_id, name, uscc in (
                ProjectInvestor.objects.filter(project_id__in=chunk)
                .order_by("project_id", "-is_lead", "id")
                .values_list("project_id", "enterprise__name", "enterprise__uscc")
            ):
                investors.setdefault(project_id, []).append((name, uscc))
        by_pk = {r[0]: r for r in qs.model._default_manager.filter(pk__in=chunk).values_list(*lookups)}
        for pk in chunk:
            row = dict(zip(lookups, by_pk[pk]))
            seq += 1
            out = []
            for f in fields:
                if f == "seq":
                    out.append(seq)
                elif f == "investors":
                    out.append("、".join(n for n, _u in investors.get(pk, [])) or None)
                elif f == "investor_uscc":
                    lead = investors.get(pk)
                    out.append(lead[0][1] if lead else None)
                elif f == "industry":
                    out.append(industries.get(row["industry_id"]))
                elif f == "responsible_officer":
                    out.append(officers.get(row["responsible_officer_id"]))
                elif f in NAMED:
                    out.append(row[NAMED[f]])
                elif f in choice_maps:
                    value = row[f]
                    out.append(choice_maps[f].get(value) if value not in (None, "") else None)
                else:
                    value = row[f]
                    out.append(value if value not in ("",) else None)
            yield out


def _title(template: ExportTemplate, zone_label: str, today: dt.date) -> str:
    return template.title.format(zone=zone_label, date=f"{today.year}年{today.month}月{today.day}日")


def export_xlsx(qs: Any, *, template: ExportTemplate, zone_label: str, unit_label: str, today: dt.date | None = None) -> bytes:
    today = today or dt.date.today()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(template.name[:31])
    for i, col in enumerate(template.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "C3"
    # Drop-downs cover the data rows; a wrong word typed in anyway is caught on import.
    for i, col in enumerate(template.columns, start=1):
        if col.dropdown and col.field not in SPECIAL:
            labels = list(_choices(col.field).values())
            dv = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="请从下拉列表中选择", error="可选：" + "、".join(labels))
            letter = get_column_letter(i)
            dv.add(f"{letter}3:{letter}1048576")
            ws.data_validations.append(dv)
    title = WriteOnlyCell(ws, value=_title(template, zone_label, today))
    title.font = Font(bold=True, size=14)
    ws.append([title])
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(horizontal="center", vertical="center", wrap_text=True)
    header = []
    for col in template.columns:
        cell = WriteOnlyCell(ws, value=col.header)
        cell.font, cell.fill, cell.alignment = header_font, header_fill, wrap
        header.append(cell)
    ws.append(header)
    formats = [col.number_format for col in template.columns]
    styled = [i for i, f in enumerate(formats) if f]
    # One styled cell per formatted column, reused: building a cell per value is the slow part.
    protos = {}
    for i in styled:
        protos[i] = formats[i]
    count = 0
    for values in _rows(qs, template):
        count += 1
        for i in styled:
            value = values[i]
            if value is not None:
                cell = WriteOnlyCell(ws, value=float(value) if isinstance(value, Decimal) else value)
                cell.number_format = protos[i]
                values[i] = cell
        ws.append(values)
    ws.append([])
    ws.append([f"填报单位：{unit_label}", None, None, None, f"填报日期：{today.isoformat()}"])
    ws.append([f"合计：共 {count} 个项目"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_csv(qs: Any, *, template: ExportTemplate) -> bytes:
    """Header and rows only, UTF-8 with a BOM so Excel and WPS open it in Chinese."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.header for c in template.columns])
    for values in _rows(qs, template):
        writer.writerow(["" if v is None else _csv_value(v) for v in values])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _csv_value(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def export_projects(qs: Any, *, template: str | None = None, fmt: str = "xlsx", zone_label: str = "全部开发区",
                    unit_label: str = "", today: dt.date | None = None) -> tuple[bytes, str, str]:
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
