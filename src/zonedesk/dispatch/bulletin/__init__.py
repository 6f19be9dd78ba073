"""The monthly bulletin (通报). Where each part lives:

layout   bulletin.toml: the sections, their order and headings, the KPIs the 主要指标 table lists
data     everything the bulletin says, computed once from the reader's scope (BulletinData)
charts   the four matplotlib charts, drawn from the data without reading the database
tables   the tables as (heading, header, rows), shared by both files
docx     the Word file (python-docx)
pdf      the PDF file (reportlab, CJK font embedded)"""

from __future__ import annotations

from zonedesk.core.errors import ValidationFailed

from .charts import Chart, ChartInputs, draw_charts
from .data import (
    BULLETIN_LANGUAGE,
    BulletinData,
    build_bulletin_data,
    chart_inputs,
    cn_date,
    fmt,
    resolve_city,
    resolve_zone,
    trend_done,
)
from .docx import render_docx
from .layout import BulletinConfigError, BulletinLayout, get_layout, load_layout, parse_layout
from .pdf import render_pdf
from .tables import column_shares, sections

__all__ = [
    "BULLETIN_LANGUAGE",
    "BulletinConfigError",
    "BulletinData",
    "BulletinLayout",
    "Chart",
    "ChartInputs",
    "build_bulletin_data",
    "chart_inputs",
    "cn_date",
    "column_shares",
    "draw_charts",
    "filename",
    "fmt",
    "get_layout",
    "load_layout",
    "parse_layout",
    "render",
    "render_docx",
    "render_pdf",
    "resolve_city",
    "resolve_zone",
    "sections",
    "trend_done",
]


def render(data: BulletinData, fmt_: str) -> bytes:
    if fmt_ == "docx":
        return render_docx(data)
    if fmt_ == "pdf":
        return render_pdf(data)
    raise ValidationFailed("格式无效", fields={"format": [f"格式应为 docx 或 pdf：{fmt_}"]})


def filename(data: BulletinData, fmt_: str) -> str:
    return f"{data.scope_label}项目建设调度通报-{data.window.end:%Y%m}-{data.number_label}.{fmt_}"
