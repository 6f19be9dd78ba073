"""A streaming .xlsx reader for the import path: cell values row by row, as openpyxl would give them.

openpyxl (even read-only) builds an element and a dict per cell, ~60 000 cells/s; a 100 000-row
ledger has two million cells. Here the workbook parts that are small (workbook.xml, styles.xml,
sharedStrings.xml) are parsed with lxml once, and the sheet XML is decompressed in chunks cut at
row ends and matched with one regular expression for the cell layouts Excel, WPS and openpyxl
write. A chunk holding anything else (rich inline text, cells without a reference, namespace
prefixes) is parsed with lxml instead, so nothing is ever misread, only read more slowly.

Values follow openpyxl's ``data_only`` rules: shared and inline strings as text, numbers as int or
float, numbers in a date-formatted cell as datetime, booleans, cached formula results, error text.
Hidden columns and merged ranges come from the sheet XML before or after <sheetData>.
"""

from __future__ import annotations

import codecs
import html
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

from zonedesk.core.uploads import (
    Package,
    ReadBudget,
    UploadLimits,
    check_xml_prolog,
    safe_xml_parser,
    xml_refused,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_M = "{%s}" % MAIN
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
CHUNK = 1 << 20
MEMO_LIMIT = 200_000  # decoded texts and dates remembered across chunks (ledgers repeat them)
# What a cell's attributes make of its value (see _SheetStream._kind).
_INLINE, _NUMBER, _DATE, _SHARED, _TYPED = range(5)

# The common cell layouts: r first, then any plain attributes (s, t, cm…), an optional formula, then
# a value or a plain inline string, then the end of the cell. Anything else is left to lxml (see
# _parse_chunk). Groups: column letters, attributes, value, inline text. It runs on one row at a
# time (the row number comes from <row r="…">): short subjects keep findall's lists small.
_CELL = re.compile(
    r'<c r="([A-Z]{1,3})\d+"([^>/]*)'
    r"(?:/>|>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?"
    r'(?:<v>([^<]*)</v>|<v/>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>|<is><t/></is>)?</c>)'
)
_ROW_START = re.compile(r'<row r="(\d+)"[^>]*>')
_ROOT_NS = re.compile(r"""\sxmlns(?::\w+)?=(?:"[^"]*"|'[^']*')""")
_SHEETDATA = re.compile(r"<(\w+:)?sheetData\b[^>]*?(/?)>")
_COL = re.compile(r"<(?:\w+:)?col\b([^>]*)/?>")
_MERGE = re.compile(r"""<(?:\w+:)?mergeCell\b[^>]*\bref=["']([^"']+)["']""")
_DIMENSION = re.compile(r"""<(?:\w+:)?dimension\b[^>]*\bref=["']([^"']+)["']""")
_ATTR = re.compile(r"""(\w+)=["']([^"']*)["']""")


class XlsxError(ValueError):
    """The archive is not a workbook this reader understands."""


@dataclass
class SheetInfo:
    name: str
    path: str
    state: str = "visible"
    hidden_columns: set[int] = field(default_factory=set)  # 1-based
    merged: list[str] = field(default_factory=list)  # "A1:P1", …
    max_column: int | None = None  # from <dimension>, as openpyxl pads rows to it


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class XlsxBook:
    """An open .xlsx: sheet list, shared strings and date styles, read once.

    The archive is opened under the upload limits (``core.uploads.Package``): every part is
    decompressed in counted chunks, and ``budget`` (rows, cells, time) is checked as rows are read.
    """

    def __init__(
        self, data: bytes, limits: UploadLimits | None = None, budget: ReadBudget | None = None
    ) -> None:
        self.budget = budget or ReadBudget(limits)
        self.limits = self.budget.limits
        try:
            self.zip = Package(data, self.limits, self.budget)
            self.names = set(self.zip.namelist())
            self._workbook()
        except etree.XMLSyntaxError as exc:
            raise xml_refused(exc, "xl/workbook.xml") or XlsxError(str(exc)) from exc
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise XlsxError(str(exc)) from exc
        self._strings: list[str] | None = None
        self._styles: tuple[set[int], set[int]] | None = None

    def _read(self, name: str) -> bytes:
        data = self.zip.read(name)
        check_xml_prolog(data[:65536], name)
        return data

    def _parse(self, name: str) -> Any:
        try:
            return etree.fromstring(self._read(name), parser=safe_xml_parser())
        except etree.XMLSyntaxError as exc:
            refused = xml_refused(exc, name)
            if refused is None:
                raise
            raise refused from exc

    def _workbook(self) -> None:
        wb_path = "xl/workbook.xml"
        rels_path = "xl/_rels/workbook.xml.rels"
        root = self._parse(wb_path)
        pr = root.find(f"{_M}workbookPr")
        date1904 = pr is not None and pr.get("date1904") in {"1", "true"}
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        targets: dict[str, tuple[str, str]] = {}
        if rels_path in self.names:
            for rel in self._parse(rels_path):
                target = rel.get("Target", "")
                path = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join("xl", target))
                )
                targets[rel.get("Id", "")] = (path, rel.get("Type", ""))
        self.sheets: list[SheetInfo] = []
        sheets = root.find(f"{_M}sheets")
        for sheet in sheets if sheets is not None else []:
            path, kind = targets.get(sheet.get(_REL, ""), ("", ""))
            if not path or not kind.endswith("/worksheet") or path not in self.names:
                continue  # chart sheets and dangling entries carry no rows
            self.sheets.append(SheetInfo(sheet.get("name", ""), path, sheet.get("state", "visible")))
        self.strings_path = next(
            (p for p, k in targets.values() if k.endswith("/sharedStrings") and p in self.names), None
        )
        self.styles_path = next(
            (p for p, k in targets.values() if k.endswith("/styles") and p in self.names), None
        )

    @property
    def sheetnames(self) -> list[str]:
        return [s.name for s in self.sheets]

    def strings(self) -> list[str]:
        if self._strings is None:
            out: list[str] = []
            if self.strings_path:
                limits, budget = self.limits, self.budget
                with self.zip.open(self.strings_path) as stream:
                    src = _Prefixed(stream)
                    check_xml_prolog(src.head, self.strings_path)
                    # The part is bounded by the package limits: huge_tree only lifts libxml2's
                    # 10 MB text-node cap so that a long cell is refused by the cell limit below.
                    for _ev, si in etree.iterparse(
                        src,
                        events=("end",),
                        tag=f"{_M}si",
                        huge_tree=True,
                        resolve_entities=False,
                        no_network=True,
                        load_dtd=False,
                    ):
                        # Text.content: the plain <t> and the runs' <t>, never phonetic (<rPh>) text.
                        parts = [si.findtext(f"{_M}t") or ""]
                        parts.extend(r.findtext(f"{_M}t") or "" for r in si.iterfind(f"{_M}r"))
                        text = "".join(parts).replace("x005F_", "")
                        if len(text) > limits.cell_chars:
                            raise budget.text_refused(f"共享字符串第{len(out) + 1}条", len(text))
                        out.append(text)
                        if len(out) > limits.shared_strings:
                            raise budget.shared_strings_refused(len(out))
                        if not len(out) & 4095:
                            budget.tick("共享字符串")
                        si.clear()
                        while si.getprevious() is not None:
                            del si.getparent()[0]
            self._strings = out
        return self._strings

    def date_styles(self) -> tuple[set[int], set[int]]:
        """(style indices formatted as dates, those formatted as durations), as openpyxl computes them."""
        if self._styles is None:
            dates: set[int] = set()
            durations: set[int] = set()
            if self.styles_path:
                root = self._parse(self.styles_path)
                custom = {
                    int(n.get("numFmtId", "0")): n.get("formatCode", "")
                    for n in root.iterfind(f"{_M}numFmts/{_M}numFmt")
                }
                for idx, xf in enumerate(root.iterfind(f"{_M}cellXfs/{_M}xf")):
                    fid = int(xf.get("numFmtId", "0") or 0)
                    fmt = custom.get(fid) if fid in custom else BUILTIN_FORMATS.get(fid)
                    if fmt and is_date_format(fmt):
                        dates.add(idx)
                    if fmt and is_timedelta_format(fmt):
                        durations.add(idx)
            self._styles = (dates, durations)
        return self._styles

    # ------------------------------------------------------------------ one sheet

    def rows(self, sheet: SheetInfo) -> Iterator[list[Any]]:
        """Values of every row from row 1 down, empty rows included, each padded to <dimension> like openpyxl's.

        ``sheet.hidden_columns`` and ``sheet.merged`` are complete once the generator is exhausted;
        those written before <sheetData> (the usual place) are known after the first row.
        """
        return _SheetStream(self, sheet).rows()


class _SheetStream:
    def __init__(self, book: XlsxBook, sheet: SheetInfo) -> None:
        self.book, self.sheet = book, sheet
        self.strings: list[str] | None = None
        self.dates, self.durations = book.date_styles()
        self.col_index: dict[str, int] = {}
        self.kinds: dict[str, tuple[int, Any]] = {}  # attribute text → (_INLINE…, style or type)
        self.decoded: dict[str, str] = {}  # escaped text → text
        self.dated: dict[tuple[str, int], Any] = {}  # (serial, style) → datetime
        self.shapes: dict[int, list[_Shape]] = {}  # cells → row layouts seen, most recent first (see _Shape)
        self.learning = 64  # layouts that may still fail to be learned before we stop trying
        self.ns_decl = ""
        self.prefix = ""
        self.last_row = 0
        # Rows whose XML is longer than the cell-text limit: only their cells can be over it.
        self.long_rows: set[int] = set()
        self.cell_chars = book.limits.cell_chars

    def _layout(self, text: str) -> None:
        for attrs in _COL.findall(text):
            a = dict(_ATTR.findall(attrs))
            if a.get("hidden") in {"1", "true"}:
                self.sheet.hidden_columns.update(range(int(a.get("min", "0")), int(a.get("max", "0")) + 1))
        self.sheet.merged.extend(_MERGE.findall(text))

    def rows(self) -> Iterator[list[Any]]:
        decoder = codecs.getincrementaldecoder("utf-8")()
        with self.book.zip.open(self.sheet.path) as src:
            head = ""
            body_start = None
            limit = self.book.limits.row_bytes
            while body_start is None:
                chunk = src.read(CHUNK)
                if not head:
                    check_xml_prolog(chunk[:65536], self.sheet.path)
                head += decoder.decode(chunk, final=not chunk)
                if len(head) > limit and chunk and not _SHEETDATA.search(head):
                    raise self.book.budget.row_bytes_refused(self.sheet.name, 1)
                found = _SHEETDATA.search(head)
                if found:
                    body_start = found
                elif not chunk:
                    self._layout(head)
                    return
            self.prefix = found.group(1) or ""
            before, rest = head[: found.start()], head[found.end() :]
            self._layout(before)
            root = re.search(r"<(?:\w+:)?worksheet\b[^>]*>", before)
            self.ns_decl = (
                " ".join(m.strip() for m in _ROOT_NS.findall(root.group(0))) if root else f'xmlns="{MAIN}"'
            )
            dim = _DIMENSION.search(before)
            if dim:
                try:
                    self.sheet.max_column = (
                        range_boundaries(dim.group(1).split(":")[-1])[2] if ":" in dim.group(1) else None
                    )
                except (ValueError, TypeError):
                    self.sheet.max_column = None
            if found.group(2) == "/":  # <sheetData/>: no rows at all
                self._layout(rest)
                for tail_chunk in iter(lambda: src.read(CHUNK), b""):
                    self._layout(decoder.decode(tail_chunk))
                return
            self.strings = self.book.strings()
            yield from self._body(src, decoder, rest)

    def _body(self, src: Any, decoder: Any, text: str) -> Iterator[list[Any]]:
        row_end = f"</{self.prefix}row>"
        data_end = f"</{self.prefix}sheetData>"
        counter = 1  # the next row number to yield
        long_rows, budget = self.long_rows, self.book.budget
        maxc = self.sheet.max_column
        done = False
        while not done:
            pos = text.find(data_end)
            if pos >= 0:
                body, tail, done = text[:pos], text[pos:], True
            else:
                chunk = src.read(CHUNK)
                if chunk:
                    text += decoder.decode(chunk)
                    cut = text.rfind(row_end)
                    if cut < 0 or data_end in text:
                        if cut < 0 and len(text) > self.book.limits.row_bytes:
                            # One row's XML past the limit and still no end: refuse before it grows.
                            raise self.book.budget.row_bytes_refused(self.sheet.name, self.last_row + 1)
                        continue
                    cut += len(row_end)
                    body, text = text[:cut], text[cut:]
                else:
                    body, tail, done = text, "", True
            for number, values in self._parse_chunk(body):
                while counter < number:
                    counter += 1
                    yield [None] * maxc if maxc else []
                if number < counter:
                    continue  # rows out of order: openpyxl skips them too
                counter += 1
                if number in long_rows:
                    long_rows.discard(number)
                    budget.check_cells(self.sheet.name, number, values)
                if maxc and len(values) < maxc:
                    values.extend([None] * (maxc - len(values)))
                # Cells beyond <dimension> (WPS sometimes writes a stale one) are kept, not cut off as
                # openpyxl's read-only mode would: they are real data.
                yield values
        rest = tail
        for chunk in iter(lambda: src.read(CHUNK), b""):
            rest += decoder.decode(chunk)
            if len(rest) > self.book.limits.row_bytes:
                raise self.book.budget.row_bytes_refused(self.sheet.name, self.last_row)
        self._layout(rest)

    # ------------------------------------------------------------------ chunks of rows

    def _parse_chunk(self, body: str) -> list[tuple[int, list[Any]]]:
        if not self.prefix:
            found = self._fast(body)
            if found is not None:
                return found
        return self._slow(body)

    def _kind(self, attrs: str) -> tuple[int, Any]:
        """(what the value is, its style index or its type letter) for a cell's attribute text."""
        found = self.kinds.get(attrs)
        if found is None:
            a = dict(_ATTR.findall(attrs))
            kind = a.get("t", "n")
            style = int(a.get("s", "0") or 0)
            if kind == "inlineStr":
                found = (_INLINE, None)
            elif kind in ("", "n"):
                found = (_DATE, style) if style and style in self.dates else (_NUMBER, None)
            elif kind == "s":
                found = (_SHARED, None)
            else:
                found = (_TYPED, kind)
            self.kinds[attrs] = found
        return found

    def _fast(self, body: str) -> list[tuple[int, list[Any]]] | None:
        """The chunk's rows through the pattern; None when anything in it is not a layout it reads."""
        out: list[tuple[int, list[Any]]] = []
        index = self.col_index
        kinds = self.kinds
        decoded = self.decoded
        strings = self.strings
        shapes = self.shapes
        pending: list[tuple[list[Any], int, str]] = []  # (row values, column, escaped text)
        seen = 0
        for part in body.split("</row>"):
            at = part.rfind("<row")
            if at < 0:
                if "<c" in part:
                    return None
                continue
            row = _ROW_START.match(part, at)
            if row is None:
                if part.endswith("/>"):
                    continue  # <row r="9"/>: a row without cells
                return None  # a row without r="…" first: lxml numbers it
            start = row.end()
            if len(part) - start > self.cell_chars:
                self.long_rows.add(int(row.group(1)))
            # Only layouts with as many cells as the row can match it (every "<c" must be a cell).
            count = part.count("<c", start)
            candidates = shapes.get(count, ())
            for n, shape in enumerate(candidates):
                found = shape.pattern.fullmatch(part, start)
                if found is not None:
                    seen += count
                    out.append((int(row.group(1)), shape.values(found.groups(), self, pending)))
                    if n:
                        candidates.insert(0, candidates.pop(n))  # the most recent layout is tried first
                    break
            else:
                found = None
            if found is not None:
                continue
            cells = _CELL.findall(part, start)
            if not cells:
                continue
            seen += len(cells)
            values: list[Any] = []
            for letters, attrs, v, inline in cells:
                col = index.get(letters)
                if col is None:
                    col = index[letters] = column_index_from_string(letters) - 1
                kind, extra = kinds.get(attrs) or self._kind(attrs)
                if kind == _INLINE:
                    value: Any = inline
                    if "&" in inline:
                        value = decoded.get(inline)
                        if value is None:
                            pending.append((values, col, inline))
                elif not v:
                    value = None
                elif kind == _NUMBER:
                    value = float(v) if ("." in v or "E" in v or "e" in v) else int(v)
                elif kind == _SHARED:
                    value = strings[int(v)]  # type: ignore[index]
                elif kind == _DATE:
                    key = (v, extra)
                    value = self.dated.get(key)
                    if value is None:
                        value = self._date(float(v) if ("." in v or "E" in v or "e" in v) else int(v), extra)
                        if len(self.dated) < MEMO_LIMIT:
                            self.dated[key] = value
                else:
                    value = self._typed(extra, self._unescape(v) if "&" in v else v)
                gap = col - len(values)
                if gap > 0:
                    values.extend([None] * gap)
                    values.append(value)
                elif gap == 0:
                    values.append(value)
                else:
                    values[col] = value
            out.append((int(row.group(1)), values))
            if self.learning > 0:
                self._learn(cells, part, start)
        # Every element starting "<c" must be a cell the pattern read whole (rich-text runs'
        # <charset>/<color> count too, and send the chunk to lxml, as rich text should).
        if seen != body.count("<c"):
            return None
        if pending:
            self._decode(pending)
        if out:
            self.last_row = out[-1][0]
        return out

    def _learn(self, cells: list[tuple[str, ...]], part: str, start: int) -> None:
        """Remember the layout of a row just read cell by cell, if the next rows can be read whole
        with it (ledgers repeat a few row layouts: which cells are filled, with what types)."""
        shape = _Shape.of(cells, self)
        if shape is not None and shape.pattern.fullmatch(part, start) is not None:
            same_size = self.shapes.setdefault(shape.count, [])
            same_size.insert(0, shape)
            del same_size[_SHAPES:]
        else:
            self.learning -= 1

    def _decode(self, pending: list[tuple[list[Any], int, str]]) -> None:
        """Entity-decode a chunk's new escaped texts in a single lxml parse (openpyxl writes every
        non-ASCII character as &#…;) and put them in place; remembered for the chunks after."""
        items = list(dict.fromkeys(text for _values, _col, text in pending))
        root = etree.fromstring(
            ("<a><b>" + "</b><b>".join(items) + "</b></a>").encode("utf-8"),
            parser=etree.XMLParser(huge_tree=True, resolve_entities=False),
        )
        texts = [b.text or "" for b in root]
        table = dict(zip(items, texts)) if len(texts) == len(items) else {t: html.unescape(t) for t in items}
        if len(self.decoded) + len(table) > MEMO_LIMIT:
            self.decoded.clear()
        self.decoded.update(table)
        for values, col, text in pending:
            values[col] = table[text]

    def _unescape(self, text: str) -> str:
        found = self.decoded.get(text)
        return found if found is not None else html.unescape(text)

    def _date(self, value: Any, style: int) -> Any:
        try:
            return from_excel(value, self.book.epoch, timedelta=style in self.durations)
        except (OverflowError, ValueError):
            return "#VALUE!"

    def _typed(self, kind: str, v: str) -> Any:
        if kind == "b":
            return bool(int(v))
        if kind == "d":
            return from_ISO8601(v)
        if kind == "s":
            return self.strings[int(v)]  # type: ignore[index]
        return v  # "str" (formula text), "e" (error), anything else: the text as stored

    def _slow(self, body: str) -> list[tuple[int, list[Any]]]:
        """The same values through lxml, for chunks the pattern does not cover."""
        p = self.prefix
        xml = f"<{p}sheetData {self.ns_decl}>{body}</{p}sheetData>"
        try:
            root = etree.fromstring(xml.encode("utf-8"), parser=safe_xml_parser())
        except etree.XMLSyntaxError as exc:
            refused = xml_refused(exc, self.sheet.path)
            if refused is None:
                raise
            raise refused from exc
        out: list[tuple[int, list[Any]]] = []
        row_counter = self.last_row
        for row in root.iterfind(f"{_M}row"):
            r = row.get("r")
            row_counter = int(float(r)) if r else row_counter + 1
            values: list[Any] = []
            col = 0
            for c in row.iterfind(f"{_M}c"):
                ref = c.get("r")
                col = column_index_from_string(re.match(r"[A-Za-z]+", ref).group(0)) if ref else col + 1
                kind = c.get("t", "n")
                if kind == "inlineStr":
                    child = c.find(f"{_M}is")
                    if child is None:
                        value: Any = None
                    else:
                        parts = [child.findtext(f"{_M}t") or ""]
                        parts.extend(r_.findtext(f"{_M}t") or "" for r_ in child.iterfind(f"{_M}r"))
                        value = "".join(parts)
                else:
                    v = c.findtext(f"{_M}v") or None
                    if v is None:
                        value = None
                    elif kind == "n":
                        value = float(v) if ("." in v or "E" in v or "e" in v) else int(v)
                        style = int(c.get("s", "0") or 0)
                        if style and style in self.dates:
                            value = self._date(value, style)
                    else:
                        value = self._typed(kind, v)
                if col - 1 >= len(values):
                    values.extend([None] * (col - 1 - len(values)))
                    values.append(value)
                else:
                    values[col - 1] = value
            out.append((row_counter, values))
            self.long_rows.add(row_counter)  # the rare path: every row's cells are checked
        if out:
            self.last_row = out[-1][0]
        return out


_SHAPES = 8  # row layouts remembered per sheet and number of cells


class _Prefixed:
    """A stream whose first 64 KB have been read (to check the XML prolog) and are given back first."""

    def __init__(self, src: Any) -> None:
        self.src = src
        self.head = src.read(65536)
        self._pending = self.head

    def read(self, n: int = -1) -> bytes:
        if self._pending:
            if n is None or n < 0 or n >= len(self._pending):
                out, self._pending = self._pending, b""
            else:
                out, self._pending = self._pending[:n], self._pending[n:]
            return out
        return self.src.read(n)


class _Shape:
    """One row layout: which columns hold a cell, each cell's attributes and whether it holds a
    value, written as Excel/openpyxl write them. A row matching the layout's pattern whole is read
    from the pattern's groups, one per value, without going cell by cell through _CELL.

    The values are exactly those of the cell-by-cell path: each group is converted as _fast
    converts a cell of that kind.
    """

    __slots__ = ("count", "dates", "inline", "numbers", "pattern", "shared", "typed", "width")

    @classmethod
    def of(cls, cells: list[tuple[str, ...]], stream: _SheetStream) -> _Shape | None:
        shape = cls()
        pieces: list[str] = []
        shape.inline, shape.numbers, shape.shared, shape.dates, shape.typed = [], [], [], [], []
        group = 0
        width = 0
        for letters, attrs, v, _inline in cells:
            col = stream.col_index[letters]
            width = max(width, col + 1)
            kind, extra = stream._kind(attrs)
            head = f'<c r="{letters}\\d+"{re.escape(attrs)}'
            if kind == _INLINE:
                pieces.append(head + ">(?:<is><t>([^<]*)</t></is>)</c>")
                shape.inline.append((group, col))
            elif not v:
                pieces.append(head + "/>")  # an empty cell: no group; a <v></v> form does not match
                continue
            else:
                pieces.append(head + "><v>([^<]*)</v></c>")
                if kind == _NUMBER:
                    shape.numbers.append((group, col))
                elif kind == _SHARED:
                    shape.shared.append((group, col))
                elif kind == _DATE:
                    shape.dates.append((group, col, extra))
                else:
                    shape.typed.append((group, col, extra))
            group += 1
        shape.pattern = re.compile("".join(pieces))
        shape.count = len(cells)
        shape.width = width
        return shape

    def values(
        self, groups: tuple[str, ...], stream: _SheetStream, pending: list[tuple[list[Any], int, str]]
    ) -> list[Any]:
        values: list[Any] = [None] * self.width
        decoded = stream.decoded
        for i, col in self.inline:
            text = groups[i]
            if "&" in text:
                found = decoded.get(text)
                if found is None:
                    pending.append((values, col, text))
                    continue
                text = found
            values[col] = text
        for i, col in self.numbers:
            v = groups[i]
            if v:
                values[col] = float(v) if ("." in v or "E" in v or "e" in v) else int(v)
        for i, col in self.shared:
            v = groups[i]
            if v:
                values[col] = stream.strings[int(v)]  # type: ignore[index]
        for i, col, style in self.dates:
            v = groups[i]
            if v:
                key = (v, style)
                value = stream.dated.get(key)
                if value is None:
                    value = stream._date(float(v) if ("." in v or "E" in v or "e" in v) else int(v), style)
                    if len(stream.dated) < MEMO_LIMIT:
                        stream.dated[key] = value
                values[col] = value
        for i, col, kind in self.typed:
            v = groups[i]
            if v:
                values[col] = stream._typed(kind, stream._unescape(v) if "&" in v else v)
        return values
