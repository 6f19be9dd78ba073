"""Where the bulletin's fonts come from: the setting, matplotlib's font manager, Debian's paths, or a
Chinese error naming the setting. Uses the real font files of this machine (fonts-droid-fallback,
fonts-noto-cjk, which ./run test installs)."""

import shutil
from pathlib import Path

import pytest
from django.test import override_settings

from zonedesk.dispatch import fonts
from zonedesk.dispatch.fonts import FontMissing, find_chart_font, find_pdf_font

DROID = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

pytestmark = pytest.mark.skipif(not (DROID.is_file() and NOTO.is_file()), reason="Debian's CJK fonts missing")


@pytest.fixture
def own_copy(tmp_path):
    """A CJK font where neither the font manager nor the Debian paths would look."""
    path = tmp_path / "我的字体.ttf"
    shutil.copyfile(DROID, path)
    return path


def test_the_settings_name_the_font_files(own_copy):
    with override_settings(ZONEDESK_PDF_FONT=str(own_copy), ZONEDESK_CHART_FONT=str(own_copy)):
        assert (find_pdf_font(), find_chart_font()) == (own_copy, own_copy)


def test_a_setting_naming_a_missing_file_is_an_error_naming_the_setting(tmp_path):
    missing = tmp_path / "simhei.ttf"
    with override_settings(ZONEDESK_PDF_FONT=str(missing)), pytest.raises(FontMissing) as exc:
        find_pdf_font()
    assert exc.value.message == f"设置 ZONEDESK_PDF_FONT 指向的字体文件不存在：{missing}"


def test_a_pdf_font_setting_naming_a_font_reportlab_cannot_embed_is_refused():
    with override_settings(ZONEDESK_PDF_FONT=str(NOTO)), pytest.raises(FontMissing) as exc:
        find_pdf_font()
    assert (
        exc.value.message
        == f"设置 ZONEDESK_PDF_FONT 指向的字体无法使用（PDF 需要 TrueType 轮廓的字体）：{NOTO}"
    )
    with override_settings(ZONEDESK_CHART_FONT=str(NOTO)):
        assert find_chart_font() == NOTO  # matplotlib draws CFF outlines


def test_without_a_setting_the_font_manager_finds_the_families(monkeypatch):
    monkeypatch.setattr(fonts, "PDF_FONTS", ())
    monkeypatch.setattr(fonts, "CHART_FONTS", ())
    assert find_chart_font() == NOTO  # Noto Sans CJK SC, first of CHART_FAMILIES
    assert find_pdf_font() == DROID
    # Noto Sans CJK first: the PDF skips it (CFF outlines) and takes the next family the manager has.
    monkeypatch.setattr(fonts, "PDF_FAMILIES", ("Microsoft YaHei", "Noto Sans CJK SC", "Droid Sans Fallback"))
    assert find_pdf_font() == DROID


def test_without_the_families_debians_paths_are_tried(monkeypatch):
    monkeypatch.setattr(fonts, "PDF_FAMILIES", ("Microsoft YaHei", "SimHei"))
    monkeypatch.setattr(fonts, "CHART_FAMILIES", ("SimSun",))
    monkeypatch.setattr(fonts, "_from_font_manager", lambda families: iter(()))
    assert (find_pdf_font(), find_chart_font()) == (DROID, NOTO)


def test_no_font_anywhere_is_a_chinese_error_naming_the_setting(monkeypatch):
    monkeypatch.setattr(fonts, "PDF_FAMILIES", ("Microsoft YaHei", "SimHei", "SimSun"))
    monkeypatch.setattr(fonts, "PDF_FONTS", ("/nonexistent/simhei.ttf",))
    with pytest.raises(FontMissing) as exc:
        find_pdf_font()
    assert exc.value.code == "font_missing"
    assert exc.value.message == (
        "未找到中文字体：请在设置 ZONEDESK_PDF_FONT 中写明字体文件的路径（如 C:\\Windows\\Fonts\\simhei.ttf），"
        "或安装 Microsoft YaHei、SimHei、SimSun 等字体（Debian：fonts-droid-fallback、fonts-noto-cjk）"
    )
