"""Table cell text for the PDF bulletin: Chinese with runs of Latin letters and digits, wrapped to the
column. A city bulletin has a thousand cells; reportlab's Paragraph parses markup, splits fragments and
re-wraps each cell on every layout pass, which made it most of the PDF's time. A cell needs none of that:
one size, one colour, two fonts (the CJK font has no Latin glyphs), breaks anywhere between Chinese
characters and at spaces between Latin words."""

from __future__ import annotations

import re
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus.flowables import Flowable

LATIN = re.compile(r"[\u0020-\u024f\u2010-\u2015\u2212]")  # the characters fonts.mixed_markup sets in Latin
# No line starts with these (避头点): they stay at the end of the line before.
NO_LINE_START = set("，。、；：？！）》」』”’…%,.;:?!)]")
# No line ends with these (避尾点): they go to the next line with what they open.
NO_LINE_END = set("（《「『“‘([")

# A row that does not fit in what is left of a page is split across pages when at least this many of its
# lines go on each side; a shorter row moves to the next page whole.
MIN_SPLIT_LINES = 3

_widths: dict[tuple[str, str], float] = {}


def _width(font: str, ch: str) -> float:
    """Width of ``ch`` at 1 pt in ``font`` (cached: a bulletin measures the same few hundred characters)."""
    key = (font, ch)
    w = _widths.get(key)
    if w is None:
        w = _widths[key] = pdfmetrics.stringWidth(ch, font, 1)
    return w


def _units(text: str) -> list[str]:
    """What a line may break between: each Chinese character, each space, each Latin word."""
    units: list[str] = []
    word = ""
    for ch in text:
        if ch != " " and LATIN.match(ch):
            word += ch
            continue
        if word:
            units.append(word)
            word = ""
        units.append(ch)
    if word:
        units.append(word)
    return units


class CellText(Flowable):
    """Wrapped text in two fonts, measured once per width."""

    def __init__(self, text: str, cjk_font: str, latin_font: str, size: float, leading: float) -> None:
        super().__init__()
        self.text = text
        self.fonts = (cjk_font, latin_font)
        self.size = size
        self.leading = leading
        self._wrapped_for: float | None = None
        self._lines: list[list[tuple[str, str]]] = []

    def _font(self, ch: str) -> str:
        return self.fonts[1] if LATIN.match(ch) else self.fonts[0]

    def _unit_width(self, unit: str) -> float:
        return sum(_width(self._font(ch), ch) for ch in unit) * self.size

    def _break(self, width: float) -> list[str]:
        lines: list[str] = []
        for paragraph in self.text.split("\n"):
            line: list[str] = []
            used = 0.0
            for unit in _units(paragraph):
                w = self._unit_width(unit)
                if unit == " ":
                    if not line:
                        continue
                    if used + w > width:
                        lines.append("".join(line).rstrip(" "))
                        line, used = [], 0.0
                    else:
                        line.append(unit)
                        used += w
                    continue
                if used + w <= width:
                    line.append(unit)
                    used += w
                    continue
                if line:
                    carry = []
                    if unit[0] in NO_LINE_START and len(line) > 1 and line[-1] != " ":
                        carry = [line.pop()]
                    if len(line) > 1 and line[-1][-1] in NO_LINE_END:
                        carry.insert(0, line.pop())
                    lines.append("".join(line).rstrip(" "))
                    line, used = carry, sum(self._unit_width(u) for u in carry)
                    if used + w <= width or len(unit) == 1:
                        line.append(unit)
                        used += w
                        continue
                for ch in unit:  # a Latin word wider than the column: split it
                    cw = self._unit_width(ch)
                    if used + cw > width and line:
                        lines.append("".join(line).rstrip(" "))
                        line, used = [], 0.0
                    line.append(ch)
                    used += cw
            lines.append("".join(line).rstrip(" "))
        return lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._wrapped_for != avail_width:
            self._lines = [self._runs(line) for line in self._break(avail_width)]
            self._wrapped_for = avail_width
        self.width = avail_width
        self.height = len(self._lines) * self.leading
        return self.width, self.height

    def split_lines(self, count: int) -> tuple[CellText, CellText]:
        """The first ``count`` wrapped lines and the rest, as two cells already wrapped to this width (for a
        table row split across pages)."""
        return self._with_lines(self._lines[:count]), self._with_lines(self._lines[count:])

    def _with_lines(self, lines: list[list[tuple[str, str]]]) -> CellText:
        part = CellText(self.text, *self.fonts, self.size, self.leading)
        part._lines, part._wrapped_for = lines, self._wrapped_for
        return part

    def _runs(self, line: str) -> list[tuple[str, str]]:
        runs: list[tuple[str, str]] = []
        for ch in line:
            font = self._font(ch)
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + ch)
            else:
                runs.append((font, ch))
        return runs

    def draw(self) -> None:
        canvas: Any = self.canv
        text = canvas.beginText()
        y = self.height - self.size
        for runs in self._lines:
            text.setTextOrigin(0, y)
            for font, chunk in runs:
                text.setFont(font, self.size, self.leading)
                text.textOut(chunk)
            y -= self.leading
        canvas.drawText(text)


class GridTable(Flowable):
    """A table of CellTexts with a grid and a shaded header repeated on every page. A row that does not fit
    in what is left of a page continues on the next one (at least MIN_SPLIT_LINES lines on each side, else
    it moves whole), so no text is ever cut, however long. reportlab's Table does this for any content (spans, styles per cell, nested flowables) and
    costs a saved state, a transformation and a text object per cell; here each page's part is one text
    object and one path of grid lines."""

    PAD_X, PAD_Y = 4.0, 3.0

    def __init__(
        self,
        header: list[CellText],
        rows: list[list[CellText]],
        col_widths: list[float],
        *,
        grid_color: Any,
        header_color: Any,
        grid_width: float = 0.4,
    ) -> None:
        super().__init__()
        self.header = header
        self.rows = rows
        self.col_widths = col_widths
        self.grid_color = grid_color
        self.header_color = header_color
        self.grid_width = grid_width
        self._heights: list[float] | None = None

    def _row_height(self, cells: list[CellText]) -> float:
        return (
            max(c.wrap(w - 2 * self.PAD_X, 1e6)[1] for c, w in zip(cells, self.col_widths)) + 2 * self.PAD_Y
        )

    def _measure(self) -> tuple[float, list[float]]:
        if self._heights is None:
            self._head_height = self._row_height(self.header)
            self._heights = [self._row_height(r) for r in self.rows]
        return self._head_height, self._heights

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        head, heights = self._measure()
        self.width = sum(self.col_widths)
        self.height = head + sum(heights)
        return self.width, self.height

    def _split_row(self, cells: list[CellText], room: float) -> tuple[list[CellText], list[CellText]] | None:
        """``cells`` cut where ``room`` points of height end: at least MIN_SPLIT_LINES lines of the tallest
        cell on each side, or None (then the row moves to the next page whole)."""
        leading = max(c.leading for c in cells)
        tallest = max(len(c._lines) * c.leading for c in cells)
        # Content height on this page: what fits, but leave at least MIN_SPLIT_LINES lines for the next.
        top = min(room - 2 * self.PAD_Y, tallest - MIN_SPLIT_LINES * leading)
        if top < MIN_SPLIT_LINES * leading:
            return None
        heads, tails = [], []
        for c in cells:
            head, tail = c.split_lines(int(top / c.leading + 1e-6))
            heads.append(head)
            tails.append(tail)
        return heads, tails

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        head, heights = self._measure()
        used, fit = head, 0
        for h in heights:
            if used + h > avail_height:
                break
            used += h
            fit += 1
        if fit == len(self.rows):
            return []
        rows, first_heights = self.rows[:fit], heights[:fit]
        rest_rows, rest_heights = self.rows[fit:], heights[fit:]
        cut = self._split_row(self.rows[fit], avail_height - used)
        if cut is not None:  # the row that does not fit: its first lines here, the rest on the next page
            rows, first_heights = rows + [cut[0]], first_heights + [self._row_height(cut[0])]
            rest_rows, rest_heights = [cut[1], *rest_rows[1:]], [self._row_height(cut[1]), *rest_heights[1:]]
        elif fit == 0:
            return []  # not even part of the first row fits here: the whole table moves on
        kw = {"grid_color": self.grid_color, "header_color": self.header_color, "grid_width": self.grid_width}
        first = GridTable(self.header, rows, self.col_widths, **kw)
        rest = GridTable(self.header, rest_rows, self.col_widths, **kw)
        first._head_height, first._heights = head, first_heights
        rest._head_height, rest._heights = head, rest_heights
        return [first, rest]

    def draw(self) -> None:
        canvas: Any = self.canv
        head, heights = self._measure()
        xs = [0.0]
        for w in self.col_widths:
            xs.append(xs[-1] + w)
        ys = [self.height, self.height - head]
        for h in heights:
            ys.append(ys[-1] - h)
        canvas.saveState()
        canvas.setFillColor(self.header_color)
        canvas.rect(0, ys[1], xs[-1], head, stroke=0, fill=1)
        canvas.setStrokeColor(self.grid_color)
        canvas.setLineWidth(self.grid_width)
        canvas.grid(xs, ys)
        canvas.setFillColor("black")
        text = canvas.beginText()
        current = None
        for top, cells in zip(ys, [self.header, *self.rows]):
            for x, cell in zip(xs, cells):
                y = top - self.PAD_Y - cell.size
                for runs in cell._lines:
                    text.setTextOrigin(x + self.PAD_X, y)
                    for font, chunk in runs:
                        if (font, cell.size) != current:  # a font operator only when the font changes
                            text.setFont(font, cell.size, cell.leading)
                            current = (font, cell.size)
                        text.textOut(chunk)
                    y -= cell.leading
        canvas.drawText(text)
        canvas.restoreState()
