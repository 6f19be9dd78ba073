import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from zonedesk.dispatch.bulletin import (
    build_bulletin_data,
    chart_inputs,
    render_docx,
    render_pdf,
    resolve_city,
)
from zonedesk.dispatch.metrics import Scope, Window
from zonedesk.dispatch.selectors import plan_vs_actual

OCT = Window.parse("2026-10")
ISSUED = dt.date(2026, 11, 21)


def _docx_text(content: bytes) -> tuple[str, list]:
    doc = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    return text, doc.tables


def test_zone_bulletin_docx_has_title_number_date_tables_and_charts(dw):
    data = build_bulletin_data(dw.w.officer_a, OCT, zone=dw.w.zone_a, issued_on=ISSUED)
    text, tables = _docx_text(render_docx(data))
    assert "长治高新区项目建设调度通报" in text
    assert "第10期" in text and "长治高新区管委会" in text and "2026年11月21日" in text
    assert "年度计划投资完成率77.89%" in text and "落后时间进度5.39个百分点" in text
    kpi_rows = {
        t.rows[i].cells[0].text: t.rows[i].cells[1].text for t in tables[:1] for i in range(1, len(t.rows))
    }
    assert (
        kpi_rows["开工率"] == "50.00"
        and kpi_rows["签约金额"] == "35,000.00"
        and kpi_rows["办结率"] == "66.67"
    )
    assert kpi_rows["超时限未开工项目数"] == "1"
    behind = next(t for t in tables if [c.text for c in t.rows[0].cells][4:5] == ["完成率（%）"])
    assert [c.text for c in behind.rows[1].cells] == [
        "乙项目",
        "生物医药招商中心",
        "2,000.00",
        "0.00",
        "0.00",
        "-83.29",
    ]
    missing = next(t for t in tables if t.rows[0].cells[-1].text == "未报项目")
    assert [c.text for c in missing.rows[1].cells] == ["2026年10月", "生物医药招商中心", "2", "1", "乙项目"]
    doc = Document(io.BytesIO(render_docx(data)))
    assert len(doc.inline_shapes) == 4  # four charts


def test_sibling_zone_bulletins_never_mention_the_other_zone(dw):
    a = build_bulletin_data(dw.w.officer_a, OCT, zone=dw.w.zone_a, issued_on=ISSUED, with_charts=False)
    b = build_bulletin_data(dw.w.officer_b, OCT, zone=dw.w.zone_b, issued_on=ISSUED, with_charts=False)
    text_a, _ = _docx_text(render_docx(a))
    text_b, _ = _docx_text(render_docx(b))
    full_a = text_a + "".join(
        c.text for t in Document(io.BytesIO(render_docx(a))).tables for r in t.rows for c in r.cells
    )
    full_b = text_b + "".join(
        c.text for t in Document(io.BytesIO(render_docx(b))).tables for r in t.rows for c in r.cells
    )
    assert "丁项目" not in full_a and "兴县" not in full_a
    for name in ("甲项目", "乙项目", "丙项目", "生物医药"):
        assert name not in full_b
    assert "丁项目融资对接" in full_b


def test_city_bulletin_covers_only_zones_under_the_city_and_in_reach(dw):
    city, zone_ids = resolve_city(dw.w.city_officer, "长治市商务局")
    assert zone_ids == [dw.w.zone_a.pk]
    data = build_bulletin_data(
        dw.w.city_officer, OCT, city=city, zone_ids=zone_ids, issued_on=ISSUED, with_charts=False
    )
    assert data.issuer == "长治市商务局"
    assert [r.name for r in data.ranking] == ["长治高新区"]
    assert "丁项目" not in data.project_names


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
def test_pdf_has_chinese_text_layer_and_renders_non_blank(dw, tmp_path):
    from PIL import Image

    data = build_bulletin_data(dw.w.officer_a, OCT, zone=dw.w.zone_a, issued_on=ISSUED)
    pdf = render_pdf(data)
    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0].extract_text()
    assert "长治高新区项目建设调度通报" in first.replace(" ", "")
    assert "第10期" in first.replace(" ", "")
    path = tmp_path / "b.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
    )
    png = next(Path(tmp_path).glob("page*.png"))
    img = Image.open(png).convert("L")
    lo, hi = img.getextrema()
    dark = sum(img.histogram()[:128])
    assert lo < 100 and hi > 200 and dark > 500  # ink on paper, not a blank page


def test_cli_writes_docx_and_pdf_as_the_named_user(dw, tmp_path, capsys):
    from zonedesk.cli import main

    for fmt in ("docx", "pdf"):
        out = tmp_path / f"b.{fmt}"
        code = main(
            [
                "bulletin",
                "--zone",
                "长治高新区",
                "--period",
                "2026-10",
                "--format",
                fmt,
                "-o",
                str(out),
                "--user",
                "officer_a",
                "--date",
                "2026-11-21",
            ]
        )
        assert code == 0 and out.stat().st_size > 1000
    assert (
        main(
            [
                "bulletin",
                "--zone",
                "长治高新区",
                "--period",
                "2026-10",
                "-o",
                str(tmp_path / "x.docx"),
                "--user",
                "officer_b",
            ]
        )
        == 2
    )
    assert "开发区不存在或无权访问" in capsys.readouterr().err


def test_trend_carries_a_projects_cumulative_through_months_it_did_not_report(august_only):
    dw = august_only
    scope = Scope(dw.w.officer_a, [dw.w.zone_a.pk])
    rows = plan_vs_actual(scope, OCT)
    inputs = chart_inputs(scope, OCT, [], "单位", {r.project.pk for r in rows})
    # August: 乙 500. September: 甲 8500 + 乙 still 500 (summing September's reports alone gave 8500).
    # October: 甲 10000 + 丙 4800 + 乙 500 — the overview's 累计完成 and the KPI's input.
    assert inputs.done_cumulative == [0.0] * 7 + [500.0, 9000.0, 15300.0]
    assert inputs.plan_cumulative == [
        1500.0,
        3000.0,
        4500.0,
        6000.0,
        7500.0,
        9000.0,
        10500.0,
        12000.0,
        14000.0,
        16000.0,
    ]
    data = build_bulletin_data(dw.w.officer_a, OCT, zone=dw.w.zone_a, issued_on=ISSUED, with_charts=False)
    assert "2026年1—10月累计完成投资15,300.00万元" in data.overview[0]


def test_bulletin_lists_units_as_not_reporting_on_time_only_after_the_deadline(dw):
    on_deadline = build_bulletin_data(
        dw.w.officer_a, OCT, zone=dw.w.zone_a, issued_on=dt.date(2026, 11, 4), with_charts=False
    )
    day_after = build_bulletin_data(
        dw.w.officer_a, OCT, zone=dw.w.zone_a, issued_on=dt.date(2026, 11, 5), with_charts=False
    )
    assert on_deadline.missing == []  # 乙 may still report on 11-04
    rows = [(period.label, row.unit.name, [p.name for p in row.missing]) for period, row in day_after.missing]
    assert rows == [("2026年10月", "生物医药招商中心", ["乙项目"])]


LONG_TEXT = (
    "\n".join(f"第{n}条：电力接入、用地报批和设备进场须逐项协调落实。" for n in range(1, 200))
    + "\n第200条：以上问题均已建立台账，由专班每周调度直至解决。"
)


def _pdf_text(pdf: bytes) -> tuple[int, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), ["".join(page.extract_text().split()) for page in reader.pages]


def test_pdf_table_row_longer_than_a_page_continues_on_next_pages_under_the_header():
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    from zonedesk.dispatch.fonts import pdf_font, pdf_latin_font
    from zonedesk.dispatch.pdftext import CellText, GridTable

    def cell(text):
        return CellText(text, pdf_font(), pdf_latin_font(), 8.5, 11)

    width = A4[0] - 4 * cm
    table = GridTable(
        [cell("项目"), cell("存在问题")],
        [[cell("甲项目"), cell(LONG_TEXT)], [cell("乙项目"), cell("无")]],
        [width * 0.2, width * 0.8],
        grid_color=colors.grey,
        header_color=colors.white,
    )
    buf = io.BytesIO()
    SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm, bottomMargin=2 * cm
    ).build([table])
    pages, texts = _pdf_text(buf.getvalue())
    text = "".join(texts)
    assert pages == 4  # 200 lines of 11 pt on pages of about 65
    assert "第200条：以上问题均已建立台账，由专班每周调度直至解决。" in text
    assert all(f"第{n}条：" in text for n in range(1, 201))  # no line lost where the row breaks
    assert all(t.startswith("项目存在问题") for t in texts)  # the header row on every page
    assert text.index("第200条") < text.index("乙项目")


def test_bulletin_pdf_keeps_all_of_a_long_resolution(dw):
    from zonedesk.core.audit import acting_as
    from zonedesk.dispatch import services as s

    with acting_as(dw.w.admin, source="test"):
        s.issue_create(
            user=dw.w.admin,
            data={
                "project": dw.p1.pk,
                "title": "甲项目建设问题清单",
                "issue_type": "other",
                "raised_on": dt.date(2026, 10, 8),
                "raised_by": "甲公司",
                "owner_unit": dw.w.centre_a.pk,
                "deadline": dt.date(2026, 10, 30),
                "resolution": LONG_TEXT,
                "closed_on": dt.date(2026, 10, 29),
            },
        )
    data = build_bulletin_data(dw.w.officer_a, OCT, zone=dw.w.zone_a, issued_on=ISSUED, with_charts=False)
    _pages, texts = _pdf_text(render_pdf(data))
    assert "第200条：以上问题均已建立台账，由专班每周调度直至解决。" in "".join(texts)
    continued = [t for t in texts if "第120条" in t]
    assert len(continued) == 1 and "事项类型责任单位办结日期办理结果" in continued[0]  # header repeated there
