"""The bulletin as PDF (reportlab, the CJK TrueType font embedded)."""

from __future__ import annotations

import io
from typing import Any

from django.utils import translation

from zonedesk.core.perf import gc_paused

from ..fonts import mixed_markup, pdf_font, pdf_latin_font
from .data import BULLETIN_LANGUAGE, BulletinData, cn_date
from .tables import column_shares, sections


def render_pdf(data: BulletinData) -> bytes:
    with translation.override(BULLETIN_LANGUAGE), gc_paused():
        return _render_pdf(data)


def _render_pdf(data: BulletinData) -> bytes:
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import HRFlowable, Image, SimpleDocTemplate, Spacer
    from reportlab.platypus import Paragraph as _Paragraph

    from ..pdftext import CellText, GridTable

    # Binary streams: ASCII85 only makes a PDF 25 % larger, and reportlab encodes it in pure Python.
    rl_config.useA85 = 0

    def Paragraph(text, style):
        return _Paragraph(mixed_markup(text), style)

    font = pdf_font()
    latin = pdf_latin_font()
    base = ParagraphStyle("base", fontName=font, fontSize=11, leading=17, wordWrap="CJK")
    body = ParagraphStyle("body", parent=base, fontSize=12, leading=20, firstLineIndent=24)
    red_title = ParagraphStyle(
        "redtitle",
        parent=base,
        fontSize=24,
        leading=32,
        alignment=TA_CENTER,
        textColor=colors.HexColor("#C00000"),
    )
    center = ParagraphStyle("center", parent=base, fontSize=13, leading=20, alignment=TA_CENTER)
    title = ParagraphStyle("title", parent=base, fontSize=17, leading=26, alignment=TA_CENTER)
    heading = ParagraphStyle("heading", parent=base, fontSize=13, leading=22, spaceBefore=8, spaceAfter=4)

    def cell(text: str) -> CellText:
        return CellText(text, font, latin, 8.5, 11)

    story: list[Any] = [
        Paragraph(f"{data.scope_label}项目建设调度通报", red_title),
        Spacer(1, 4),
        Paragraph(data.number_label, center),
        Paragraph(f"{data.issuer}　　　　{cn_date(data.issued_on)}", center),
        HRFlowable(
            width="100%", thickness=1.5, color=colors.HexColor("#C00000"), spaceBefore=4, spaceAfter=10
        ),
        Paragraph(data.title, title),
        Spacer(1, 6),
        Paragraph("总体情况", heading),
        *[Paragraph(t, body) for t in data.overview],
    ]
    width = A4[0] - 4 * cm
    for head, header, rows in sections(data):
        story.append(Paragraph(head, heading))
        if not rows:
            story.append(Paragraph("无。", base))
            continue
        widths = [width * share for share in column_shares(header, rows)]
        table = GridTable(
            [cell(h) for h in header],
            [[cell(c) for c in r] for r in rows],
            widths,
            grid_color=colors.grey,
            header_color=colors.HexColor("#EEF2F7"),
        )
        story.append(table)
    if data.charts:
        story.append(Paragraph("附图", heading))
        for chart in data.charts:
            img = Image(io.BytesIO(chart.png))
            scale = width / img.imageWidth
            img.drawWidth, img.drawHeight = width, img.imageHeight * scale
            story.extend([img, Paragraph(chart.title, center), Spacer(1, 6)])

    def footer(canvas, doc_):
        canvas.saveState()
        canvas.setFont(latin, 9)
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, f"- {doc_.page} -")
        canvas.restoreState()

    buf = io.BytesIO()
    SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=data.title,
        author=data.issuer,
    ).build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
