"""CJK fonts for charts and PDFs, found on the machine (nothing is downloaded), in this order:

1. the setting (``ZONEDESK_PDF_FONT`` / ``ZONEDESK_CHART_FONT``: a path to a font file);
2. matplotlib's font manager, by family (it knows the system's fonts: Windows' C:\\Windows\\Fonts,
   macOS's, fontconfig's on Linux): Noto Sans CJK SC, Droid Sans Fallback, Microsoft YaHei, SimHei…;
3. Debian's font paths (``fonts-droid-fallback``, ``fonts-wqy-*``, ``fonts-noto-cjk``).

reportlab embeds TrueType outlines only, so the PDF takes the first candidate it can embed (Droid Sans
Fallback, Microsoft YaHei, SimHei, SimSun, WenQuanYi; not Noto Sans CJK, whose outlines are CFF).
None found: a Chinese error naming the setting to set."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from zonedesk.core.errors import DomainError

# Families to ask the font manager for, in order of preference.
PDF_FAMILIES = (
    "Droid Sans Fallback",
    "Microsoft YaHei",
    "SimHei",
    "SimSun",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
)
CHART_FAMILIES = ("Noto Sans CJK SC", "Droid Sans Fallback", "Microsoft YaHei", "SimHei", "SimSun")
PDF_FONTS = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
CHART_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    *PDF_FONTS,
)


class FontMissing(DomainError):
    status = 500


def _from_font_manager(families: tuple[str, ...]) -> Iterator[Path]:
    """The files matplotlib's font manager has for ``families`` (only exact family matches)."""
    from matplotlib import font_manager

    for family in families:
        try:
            found = font_manager.findfont(
                font_manager.FontProperties(family=family), fallback_to_default=False
            )
        except ValueError:
            continue
        # findfont scores names loosely: keep the file only if the manager lists it under that family.
        if family.lower() in {f.name.lower() for f in font_manager.fontManager.ttflist if f.fname == found}:
            yield Path(found)


def find_font(
    setting: str,
    families: tuple[str, ...],
    paths: tuple[str, ...],
    usable: Callable[[Path], bool] = lambda _path: True,
    need: str = "",
) -> Path:
    """The first usable font: the setting, then the font manager's, then the Debian paths."""
    configured = getattr(settings, setting, None)
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise FontMissing(f"设置 {setting} 指向的字体文件不存在：{configured}", code="font_missing")
        if not usable(path):
            raise FontMissing(f"设置 {setting} 指向的字体无法使用{need}：{configured}", code="font_unusable")
        return path
    seen: set[Path] = set()
    for path in (*_from_font_manager(families), *(Path(p) for p in paths)):
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        if usable(path):
            return path
    raise FontMissing(
        f"未找到中文字体：请在设置 {setting} 中写明字体文件的路径（如 C:\\Windows\\Fonts\\simhei.ttf），"
        f"或安装 {'、'.join(families[:3])} 等字体（Debian：fonts-droid-fallback、fonts-noto-cjk）",
        code="font_missing",
    )


def _embed(path: Path) -> object | None:
    """reportlab's font of ``path``, or None when reportlab cannot embed it (CFF outlines, a broken file)."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    try:
        return TTFont("ZonedeskCJK", str(path), subfontIndex=0)
    except (TTFError, OSError, ValueError, KeyError):
        return None


def _pdf_candidate() -> tuple[Path, object]:
    made: dict[Path, object] = {}

    def usable(path: Path) -> bool:
        font = _embed(path)
        if font is not None:
            made[path] = font
        return font is not None

    path = find_font(
        "ZONEDESK_PDF_FONT", PDF_FAMILIES, PDF_FONTS, usable, need="（PDF 需要 TrueType 轮廓的字体）"
    )
    return path, made[path]


def find_pdf_font() -> Path:
    """The CJK font file the PDF embeds."""
    return _pdf_candidate()[0]


def find_chart_font() -> Path:
    """The CJK font file the charts use."""
    return find_font("ZONEDESK_CHART_FONT", CHART_FAMILIES, CHART_FONTS)


@lru_cache(maxsize=1)
def pdf_font() -> str:
    """Register the CJK TrueType font with reportlab once; returns its name."""
    from reportlab.pdfbase import pdfmetrics

    _path, font = _pdf_candidate()
    pdfmetrics.registerFont(font)
    return "ZonedeskCJK"


@lru_cache(maxsize=1)
def chart_font() -> str:
    """Add the CJK font to matplotlib once; returns its family name."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    path = find_chart_font()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = [name]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name


@lru_cache(maxsize=1)
def pdf_latin_font() -> str:
    """DroidSansFallback has CJK glyphs only: digits and Latin letters use DejaVu Sans, which
    matplotlib ships (so it is always there), embedded like the CJK font."""
    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    pdfmetrics.registerFont(TTFont("ZonedeskLatin", str(path)))
    return "ZonedeskLatin"


_LATIN = None


def mixed_markup(text: str) -> str:
    """Paragraph markup with every run of Latin characters set in the Latin font."""
    import re
    from xml.sax.saxutils import escape

    global _LATIN
    if _LATIN is None:
        _LATIN = re.compile(r"[\u0020-\u024f\u2010-\u2015\u2212]+")
    latin = pdf_latin_font()
    out = []
    pos = 0
    for m in _LATIN.finditer(text):
        out.append(escape(text[pos : m.start()]))
        out.append(f'<font name="{latin}">{escape(m.group())}</font>')
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)
