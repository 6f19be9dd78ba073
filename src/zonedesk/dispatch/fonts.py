"""CJK fonts for charts and PDFs, from Debian's font packages (nothing is downloaded).

reportlab embeds TrueType outlines only, so the PDF needs a TrueType CJK font: Debian's
``fonts-droid-fallback`` (Apache-2.0). Charts (matplotlib) prefer ``fonts-noto-cjk``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from zonedesk.core.errors import DomainError

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


def _first(paths: tuple[str, ...], package: str) -> Path:
    for p in paths:
        if Path(p).exists():
            return Path(p)
    raise FontMissing(f"未找到中文字体，请安装 Debian 软件包 {package}", code="font_missing")


@lru_cache(maxsize=1)
def pdf_font() -> str:
    """Register the CJK TrueType font with reportlab once; returns its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = _first(PDF_FONTS, "fonts-droid-fallback")
    pdfmetrics.registerFont(TTFont("ZonedeskCJK", str(path), subfontIndex=0))
    return "ZonedeskCJK"


@lru_cache(maxsize=1)
def chart_font() -> str:
    """Add the CJK font to matplotlib once; returns its family name."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    path = _first(CHART_FONTS, "fonts-noto-cjk")
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
