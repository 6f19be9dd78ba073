"""The bulletin as a Word document (python-docx; the tables' rows written as XML in one parse)."""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape as xml_escape

from django.utils import translation

from zonedesk.core.perf import gc_paused

from .data import BULLETIN_LANGUAGE, BulletinData, cn_date
from .tables import column_shares, sections

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Characters XML 1.0 cannot hold (a pasted form feed would otherwise fail the whole document).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _docx_run_xml(text: str, bold: bool) -> str:
    """One run as python-docx's ``cell.text`` writes it: line breaks as w:br, tabs as w:tab."""
    if not text:
        return "<w:r/>"
    parts = []
    for i, line in enumerate(_XML_INVALID.sub("", text).split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                space = ' xml:space="preserve"' if piece != piece.strip() else ""
                parts.append(f"<w:t{space}>{xml_escape(piece)}</w:t>")
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f"<w:r>{props}{''.join(parts)}</w:r>"


def _docx_rows_xml(rows: list[list[str]], widths: list[str], *, header: bool = False) -> str:
    """Table rows; a header row is bold and repeated at the top of every page a table runs onto."""
    cells = '<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{w}"/></w:tcPr><w:p>{run}</w:p></w:tc>'
    start = "<w:tr><w:trPr><w:tblHeader/></w:trPr>" if header else "<w:tr>"
    body = "".join(
        start
        + "".join(cells.format(w=w, run=_docx_run_xml(text, header)) for w, text in zip(widths, row))
        + "</w:tr>"
        for row in rows
    )
    return f'<w:tbl xmlns:w="{W_NS}">{body}</w:tbl>'


def render_docx(data: BulletinData) -> bytes:
    with translation.override(BULLETIN_LANGUAGE), gc_paused():
        return _render_docx(data)


def _render_docx(data: BulletinData) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "仿宋"
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")

    def para(text, *, size=12, bold=False, align=None, color=None, font=None):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        if font:
            run.font.name = font
            run._element.rPr.rFonts.set(qn("w:eastAsia"), font)
        if color:
            run.font.color.rgb = RGBColor(*color)
        if align is not None:
            p.alignment = align
        return p

    heading_style = doc.styles["Heading 2"].style_id

    def heading2(text):
        # What add_heading(text, 2) writes; it looks the style up by name (a walk over all styles) each time.
        p = doc.add_paragraph(text)
        p._p.style = heading_style
        return p

    para(
        f"{data.scope_label}项目建设调度通报",
        size=22,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        color=(0xC0, 0, 0),
        font="方正小标宋简体",
    )
    para(data.number_label, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(f"{data.issuer}　　　　　　　　{cn_date(data.issued_on)}", size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    para("—" * 30, color=(0xC0, 0, 0), align=WD_ALIGN_PARAGRAPH.CENTER)
    para(data.title, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font="黑体")
    heading2("总体情况")
    for text in data.overview:
        p = para(text, size=14)
        p.paragraph_format.first_line_indent = Pt(28)
    grid_style = doc.styles["Table Grid"].style_id
    for heading, header, rows in sections(data):
        heading2(heading)
        if not rows:
            para("无。", size=12)
            continue
        table = doc.add_table(rows=0, cols=len(header))
        table._tbl.tblPr.style = grid_style  # by id: looking the style up by name costs more than the table
        cols = list(table._tbl.tblGrid.iterchildren(qn("w:gridCol")))
        table_width = sum(int(col.get(qn("w:w"))) for col in cols)
        widths = [str(int(table_width * share)) for share in column_shares(header, rows)]
        for col, w in zip(cols, widths):
            col.set(qn("w:w"), w)
        # Rows written as XML in one parse: python-docx's add_row() and cell.text re-read the whole table
        # for every cell. The XML is what they write (w:tr/w:tc/w:tcW/w:p/w:r/w:t).
        for tr in list(parse_xml(_docx_rows_xml([header], widths, header=True))) + list(
            parse_xml(_docx_rows_xml(rows, widths))
        ):
            table._tbl.append(tr)
    if data.charts:
        heading2("附图")
        for chart in data.charts:
            doc.add_picture(io.BytesIO(chart.png), width=Cm(15))
            para(chart.title, size=11, align=WD_ALIGN_PARAGRAPH.CENTER)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
