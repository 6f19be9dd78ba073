import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from zonedesk.dispatch.bulletin import build_bulletin_data, render_docx, render_pdf, resolve_city
from zonedesk.dispatch.kpis import Window

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
    kpi_rows = {t.rows[i].cells[0].text: t.rows[i].cells[1].text for t in tables[:1] for i in range(1, len(t.rows))}
    assert kpi_rows["开工率"] == "50.00" and kpi_rows["签约金额"] == "35,000.00" and kpi_rows["办结率"] == "66.67"
    assert kpi_rows["超时限未开工项目数"] == "1"
    behind = next(t for t in tables if [c.text for c in t.rows[0].cells][4:5] == ["完成率（%）"])
    assert [c.text for c in behind.rows[1].cells] == ["乙项目", "生物医药招商中心", "2,000.00", "0.00", "0.00", "-83.29"]
    missing = next(t for t in tables if t.rows[0].cells[-1].text == "未报项目")
    assert [c.text for c in missing.rows[1].cells] == ["2026年10月", "生物医药招商中心", "2", "1", "乙项目"]
    doc = Document(io.BytesIO(render_docx(data)))
    assert len(doc.inline_shapes) == 4  # four charts


def test_sibling_zone_bulletins_never_mention_the_other_zone(dw):
    a = build_bulletin_data(dw.w.officer_a, OCT, zone=dw.w.zone_a, issued_on=ISSUED, with_charts=False)
    b = build_bulletin_data(dw.w.officer_b, OCT, zone=dw.w.zone_b, issued_on=ISSUED, with_charts=False)
    text_a, _ = _docx_text(render_docx(a))
    text_b, _ = _docx_text(render_docx(b))
    full_a = text_a + "".join(c.text for t in Document(io.BytesIO(render_docx(a))).tables for r in t.rows for c in r.cells)
    full_b = text_b + "".join(c.text for t in Document(io.BytesIO(render_docx(b))).tables for r in t.rows for c in r.cells)
    assert "丁项目" not in full_a and "兴县" not in full_a
    for name in ("甲项目", "乙项目", "丙项目", "生物医药"):
        assert name not in full_b
    assert "丁项目融资对接" in full_b


def test_city_bulletin_covers_only_zones_under_the_city_and_in_reach(dw):
    city, zone_ids = resolve_city(dw.w.city_officer, "长治市商务局")
    assert zone_ids == [dw.w.zone_a.pk]
    data = build_bulletin_data(dw.w.city_officer, OCT, city=city, zone_ids=zone_ids, issued_on=ISSUED, with_charts=False)
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
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True)
    png = next(Path(tmp_path).glob("page*.png"))
    img = Image.open(png).convert("L")
    lo, hi = img.getextrema()
    dark = sum(img.histogram()[:128])
    assert lo < 100 and hi > 200 and dark > 500  # ink on paper, not a blank page


def test_cli_writes_docx_and_pdf_as_the_named_user(dw, tmp_path, capsys):
    from zonedesk.cli import main

    for fmt in ("docx", "pdf"):
        out = tmp_path / f"b.{fmt}"
        code = main(["bulletin", "--zone", "长治高新区", "--period", "2026-10", "--format", fmt, "-o", str(out),
                     "--user", "officer_a", "--date", "2026-11-21"])
        assert code == 0 and out.stat().st_size > 1000
    assert main(["bulletin", "--zone", "长治高新区", "--period", "2026-10", "-o", str(tmp_path / "x.docx"),
                 "--user", "officer_b"]) == 2
    assert "开发区不存在或无权访问" in capsys.readouterr().err
