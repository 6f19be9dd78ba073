"""Find the ledger inside a spreadsheet: header row(s), mapped columns, and the project rows.

Ledgers are made by hand: title rows above the header, a header split over two merged rows,
units in the header, 合计/小计 rows, section rows ("一、新能源产业"), notes at the bottom. This
module only locates things and keeps raw cell values; ``validate`` interprets them.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from zonedesk.core.uploads import ReadBudget, UploadLimits
from zonedesk.textnorm import normalize

from .config import ColumnConfig, get_config, squeeze
from .xlsxstream import XlsxBook, XlsxError

HEADER_SCAN_ROWS = 15
MIN_HEADER_HITS = 2
IGNORE = "__ignore__"  # a header recognised as carrying nothing to import (序号)

_BRACKETED = re.compile(r"[(\[【〔]([^)\]】〕]*)[)\]】〕]")
_OPENING = re.compile(r"[(\[【〔]")
_TOTAL = re.compile(r"合计|小计|总计|共计")
_NOTE = re.compile(
    r"^(填报单位|填报人|填表人|填报日期|联系电话|联系人|制表人|制表单位|审核人|单位负责人|分管领导|备注[:：]|注[:：]|说明[:：])"
)
_SECTION = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\))")
_MAGIC_XLSX = b"PK\x03\x04"
_MAGIC_XLS = b"\xd0\xcf\x11\xe0"


class LedgerFormatError(ValueError):
    """The file cannot be read as a ledger at all; the message is for the uploader."""


@dataclass(frozen=True)
class Column:
    letter: str
    index: int  # 0-based
    header: str  # the header as written (whitespace removed), used in error messages
    field: str
    unit: str | None  # unit the header implies for bare numbers, canonical (万元, 亿元, 亩…)
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class RawRow:
    sheet: str
    row_number: int  # 1-based, as Excel shows it
    values: tuple[Any, ...]  # raw value per mapped column (None when empty), in ``fields`` order
    fields: tuple[tuple[str, str], ...]  # (field, column letter) per value; shared by a sheet's rows

    @property
    def cells(self) -> dict[str, tuple[str, Any]]:
        """field → (column letter, raw value)."""
        return {name: (letter, value) for (name, letter), value in zip(self.fields, self.values)}


@dataclass
class SheetTable:
    sheet: str
    header_rows: tuple[int, ...]  # empty when no header was found
    columns: dict[str, Column] = field(default_factory=dict)
    rows: list[RawRow] = field(default_factory=list)
    unmapped_columns: list[tuple[str, str]] = field(default_factory=list)
    hidden_columns: list[tuple[str, str]] = field(default_factory=list)
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, reason in Chinese)
    notices: list[str] = field(default_factory=list)  # sheet-level messages in Chinese
    hidden_sheet: bool = False


# --------------------------------------------------------------------------- header matching


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class _Matcher:
    """A config's synonyms arranged for fast lookups (header matching runs on every row's name)."""

    exact: dict[str, str]  # synonym → field (synonyms are unique across fields)
    contained: tuple[tuple[str, str], ...]  # (synonym of 3+ chars, field), longest first, file order
    any_contained: re.Pattern[str] | None
    units: tuple[str, ...]  # header units, longest first
    # For the repeated-header test on every row: a text can only match the name field if it holds
    # a bracket, contains one of its synonyms of 3+ characters, or is a shorter one (plus a unit).
    name_contained: re.Pattern[str] | None
    name_short: frozenset[str]


def _matcher(config: ColumnConfig) -> _Matcher:
    found = getattr(config, "_matcher", None)
    if found is None:
        exact: dict[str, str] = {}
        contained: list[tuple[str, str]] = []
        for spec in config.fields.values():
            for word in spec.synonyms:
                exact.setdefault(word, spec.name)
                if len(word) >= 3:
                    contained.append((word, spec.name))
        contained.sort(key=lambda item: -len(item[0]))  # stable: file order within a length
        pattern = re.compile("|".join(re.escape(w) for w, _f in contained)) if contained else None
        units = tuple(sorted(config.header_units, key=len, reverse=True))
        names = config.fields["name"].synonyms if "name" in config.fields else ()
        longer = [w for w in names if len(w) >= 3]
        name_contained = re.compile("|".join(re.escape(w) for w in longer)) if longer else None
        name_short = frozenset(w + u for w in names if len(w) < 3 for u in ("", *units))
        found = _Matcher(exact, tuple(contained), pattern, units, name_contained, name_short)
        object.__setattr__(config, "_matcher", found)  # derived data, not a field: eq/hash unaffected
    return found


def split_header(text: str, config: ColumnConfig) -> tuple[str, str | None]:
    """'总投资（亿元）' → ('总投资', '亿元'); a trailing bare unit ('占地亩') is split too."""
    squeezed = squeeze(text)
    unit = None
    label = squeezed
    if _OPENING.search(squeezed):
        for inner in _BRACKETED.findall(squeezed):
            inner = re.sub(r"^单位[:：]?", "", inner)
            if inner in config.header_units:
                unit = config.header_units[inner]
        label = _BRACKETED.sub("", squeezed)
    units = _matcher(config).units
    if unit is None and label.endswith(units):
        for word in units:
            if label.endswith(word) and len(label) > len(word) and _match_label(label[: -len(word)], config):
                return label[: -len(word)], config.header_units[word]
    return label, unit


def _match_label(label: str, config: ColumnConfig) -> str | None:
    """Field name (or IGNORE) for a bare header label; None when nothing matches."""
    if not label:
        return None
    if label in config.ignored_headers:
        return IGNORE
    matcher = _matcher(config)
    exact = matcher.exact.get(label)
    if exact is not None:
        return exact
    # Short synonyms such as 项目 would match half the headers if allowed inside others; of the
    # longer ones contained in the label, the longest wins (the first in the file on a tie).
    if matcher.any_contained is None or not matcher.any_contained.search(label):
        return None
    for word, name in matcher.contained:
        if word in label:
            return name
    return None


def match_header(text: str, config: ColumnConfig) -> tuple[str | None, str | None]:
    """(field or IGNORE or None, unit) for one header cell's text."""
    label, unit = split_header(text, config)
    return _match_label(label, config), unit


@dataclass(frozen=True)
class _HeaderCell:
    header: str
    field: str | None
    unit: str | None


def _single_row_header(row: Sequence[Any], config: ColumnConfig) -> list[_HeaderCell]:
    cells = []
    for value in row:
        text = squeeze(_text(value)) if value is not None else ""
        found, unit = match_header(text, config) if text else (None, None)
        cells.append(_HeaderCell(_shown(value), found, unit))
    return cells


def _shown(value: Any) -> str:
    return re.sub(r"\s+", "", _text(value))


def _two_row_header(top: Sequence[Any], bottom: Sequence[Any], config: ColumnConfig) -> list[_HeaderCell]:
    """One label per column from a header merged over two rows.

    In a merged group header ("时间节点" over 签约时间 | 开工时间) only the first cell holds the
    text, so the group text is carried right over empty top cells that have a sub-header.
    """
    cells: list[_HeaderCell] = []
    group = ""
    for i in range(max(len(top), len(bottom))):
        up = _shown(top[i]) if i < len(top) else ""
        down = _shown(bottom[i]) if i < len(bottom) else ""
        if up:
            group = up
        elif not down:
            group = ""
        candidates = [c for c in (down, up, group + down if down else "") if c]
        cells.append(_first_match(candidates, group, config))
    return cells


def _first_match(candidates: list[str], group: str, config: ColumnConfig) -> _HeaderCell:
    for text in candidates:
        found, unit = match_header(text, config)
        if found:
            if unit is None and group:
                unit = split_header(group, config)[1]  # "投资额（亿元）" over 总投资 | 协议投资额
            return _HeaderCell(text, found, unit)
    shown = "/".join(dict.fromkeys(c for c in (group, *candidates) if c))
    return _HeaderCell(shown, None, None)


def _score(cells: list[_HeaderCell]) -> int:
    return len({c.field for c in cells if c.field and c.field != IGNORE})


def find_header(
    head: list[Sequence[Any]], config: ColumnConfig
) -> tuple[tuple[int, ...], list[_HeaderCell]] | None:
    """Pick the header among the first rows: the one (or pair) naming the most fields.

    Ties go to the single row, so a title row above a one-row header is not glued onto it.
    Returns 0-based row offsets into ``head``.
    """
    best: tuple[int, int, tuple[int, ...], list[_HeaderCell]] | None = None
    for r in range(min(HEADER_SCAN_ROWS, len(head))):
        options = [((r,), _single_row_header(head[r], config))]
        if r + 1 < len(head):
            options.append(((r, r + 1), _two_row_header(head[r], head[r + 1], config)))
        for rows, cells in options:
            key = (_score(cells), -len(rows))
            if best is None or key > best[:2]:
                best = (key[0], key[1], rows, cells)
    if best is None or best[0] < MIN_HEADER_HITS:
        return None
    return best[2], best[3]


# --------------------------------------------------------------------------- row classification


def _nonempty(row: Sequence[Any]) -> list[str]:
    return [t for t in (squeeze(_text(v)) for v in row) if t]


def _first_text(row: Sequence[Any]) -> tuple[str, int]:
    """(first non-empty cell as compared, its position); ("", -1) for an empty row."""
    for i, v in enumerate(row):
        if v is None or (isinstance(v, str) and not v):
            continue
        if v.__class__ is int:
            return str(v), i  # digits: nothing to normalise (序号, the usual first cell)
        t = squeeze(_text(v))
        if t:
            return t, i
    return "", -1


# The characters that normalise to 计: a cell without one cannot be a 合计/小计 row.
_TOTAL_HINT = re.compile(
    "["
    + "".join(sorted({chr(c) for c in range(0x3000, 0x10000) if normalize(chr(c)) == "计"} | {"计"}))
    + "]"
)


def _is_total(value: Any) -> bool:
    if not isinstance(value, str) or not _TOTAL_HINT.search(value):
        return False
    t = squeeze(value)
    return bool(t) and len(t) <= 30 and _TOTAL.search(t) is not None


def skip_reason(row: Sequence[Any], columns: dict[str, Column], config: ColumnConfig) -> str | None:
    """Why a row below the header is not a project, in Chinese; None for a project row."""
    first, at = _first_text(row)
    if not first:
        return "空行"
    if _NOTE.match(first):
        return "表尾说明"
    name_col = columns.get("name")
    lead = list(row[:3])
    if name_col is not None and name_col.index < len(row):
        lead.append(row[name_col.index])
    for value in lead:
        if _is_total(value):
            return "合计/小计行"
    if _SECTION.match(first) and len(_nonempty(row[at:])) <= 2:
        return "分类标题行"
    if _repeats_header(row, columns, config):
        return "重复表头"
    return None


def _may_name_header(text: str, config: ColumnConfig) -> bool:
    """False when ``match_header(text)`` cannot be "name" (a superset test, ~5× cheaper)."""
    squeezed = squeeze(text)
    if _OPENING.search(squeezed):
        return True  # brackets are cut out of the label: let match_header decide
    m = _matcher(config)
    # Without brackets the label is the text, or the text less a unit at its end.
    return squeezed in m.name_short or (
        m.name_contained is not None and m.name_contained.search(squeezed) is not None
    )


def _repeats_header(row: Sequence[Any], columns: dict[str, Column], config: ColumnConfig) -> bool:
    # Ledgers printed over several pages often repeat the header; it must not become a project.
    name_col = columns.get("name")
    if name_col is None or name_col.index >= len(row) or row[name_col.index] is None:
        return False
    text = _text(row[name_col.index])
    if not _may_name_header(text, config) or match_header(text, config)[0] != "name":  # match_header squeezes
        return False  # cheap tests first: this runs on every row of large ledgers
    hits = 0
    for col in columns.values():
        value = row[col.index] if col.index < len(row) else None
        if value is not None and match_header(squeeze(_text(value)), config)[0] == col.field:
            hits += 1
    return hits >= MIN_HEADER_HITS


# --------------------------------------------------------------------------- building a table


def _map_columns(table: SheetTable, cells: list[_HeaderCell], hidden: set[int]) -> None:
    for i, cell in enumerate(cells):
        letter = get_column_letter(i + 1)
        if i + 1 in hidden:
            table.hidden_columns.append((letter, cell.header))
            table.notices.append(f"{letter}列（{cell.header or '无表头'}）为隐藏列，仍已读取，请核对")
        if cell.field == IGNORE:
            continue
        if cell.field is None:
            if cell.header:
                table.unmapped_columns.append((letter, cell.header))
                table.notices.append(
                    f"{letter}列（{cell.header}）表头无法识别，未导入；如需导入请在 columns.toml 中添加同义词"
                )
            continue
        if cell.field in table.columns:
            first = table.columns[cell.field]
            table.unmapped_columns.append((letter, cell.header))
            table.notices.append(
                f"{letter}列（{cell.header}）与{first.letter}列（{first.header}）对应同一字段，未导入"
            )
            continue
        table.columns[cell.field] = Column(letter, i, cell.header, cell.field, cell.unit, i + 1 in hidden)


def _raw_row(sheet: str, number: int, row: Sequence[Any], columns: dict[str, Column]) -> RawRow:
    fields = tuple((name, col.letter) for name, col in columns.items())
    return RawRow(sheet, number, _picked(row, [c.index for c in columns.values()]), fields)


def _picked(row: Sequence[Any], indices: list[int]) -> tuple[Any, ...]:
    n = len(row)
    out = [row[i] if i < n else None for i in indices]
    return tuple([None if v.__class__ is str and not v.strip() else v for v in out])


def _picker(indices: list[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """``_picked`` for one sheet's columns: one C-level itemgetter call for rows long enough."""
    if len(indices) < 2:
        return lambda row: _picked(row, indices)
    get = itemgetter(*indices)
    top = max(indices)

    def pick(row: Sequence[Any]) -> tuple[Any, ...]:
        if len(row) <= top:
            return _picked(row, indices)
        return tuple([None if v.__class__ is str and not v.strip() else v for v in get(row)])

    return pick


def build_table(
    sheet: str, rows: Iterable[Sequence[Any]], config: ColumnConfig, hidden: set[int] | None = None
) -> SheetTable:
    """Turn one sheet's rows (values, top to bottom from row 1) into a SheetTable."""
    hidden = hidden if hidden is not None else set()
    it: Iterator[Sequence[Any]] = iter(rows)
    head = [tuple(r) for _, r in zip(range(HEADER_SCAN_ROWS + 1), it)]
    found = find_header(head, config)
    if found is None:
        table = SheetTable(sheet, ())
        table.notices.append(f"前{HEADER_SCAN_ROWS}行中未找到可识别的表头，已跳过")
        return table
    offsets, cells = found
    table = SheetTable(sheet, tuple(o + 1 for o in offsets))
    _map_columns(table, cells, hidden)
    unmapped_with_data: set[int] = set()
    first_data = offsets[-1] + 1
    fields = tuple((name, col.letter) for name, col in table.columns.items())
    indices = [col.index for col in table.columns.values()]
    pick = _picker(indices)
    watch = [i for i, c in enumerate(cells) if not c.header and c.field is None]
    width = len(cells)
    for number, row in enumerate(itertools.chain(head[first_data:], it), start=first_data + 1):
        reason = skip_reason(row, table.columns, config)
        if reason:
            if reason != "空行":
                table.skipped_rows.append((number, reason))
            continue
        table.rows.append(RawRow(sheet, number, pick(row), fields))
        if watch or len(row) > width:
            unmapped_with_data.update(_headerless_data(row, cells, watch, width))
    _report_headerless(table, unmapped_with_data)
    return table


def _headerless_data(row: Sequence[Any], cells: list[_HeaderCell], watch: list[int], width: int) -> set[int]:
    """Columns beyond or without a header (``watch``, and from ``width`` on) that hold data in this row."""
    n = len(row)
    found = {i for i in watch if i < n and row[i] is not None and _text(row[i]).strip()}
    if n > width:
        found.update(i for i in range(width, n) if row[i] is not None and _text(row[i]).strip())
    return found


def _report_headerless(table: SheetTable, indices: set[int]) -> None:
    for i in sorted(indices):
        table.unmapped_columns.append((get_column_letter(i + 1), ""))
        table.notices.append(f"{get_column_letter(i + 1)}列没有表头但有数据，未导入")


# --------------------------------------------------------------------------- file formats


def _hidden_columns(ws: Any) -> set[int]:
    """1-based indices of hidden columns, read from the sheet's <cols> element.

    read_only mode does not load column dimensions, and loading the whole sheet in normal mode
    is slow for big ledgers; <cols> precedes <sheetData>, so parsing stops early.
    """
    hidden: set[int] = set()
    with ws._get_source() as src:  # openpyxl read-only internals: the raw sheet XML
        for _event, elem in ElementTree.iterparse(src, events=("start",)):
            tag = elem.tag.rsplit("}", 1)[-1]
            if tag == "sheetData":
                break
            if tag == "col" and elem.get("hidden") in {"1", "true"}:
                hidden.update(range(int(elem.get("min", "0")), int(elem.get("max", "0")) + 1))
    return hidden


def _read_xlsx(
    data: bytes, sheet: str | None, config: ColumnConfig, budget: ReadBudget | None = None
) -> list[SheetTable]:
    """Every sheet (or ``sheet``) through the streaming reader; the same tables as openpyxl gives."""
    budget = budget or ReadBudget()
    try:
        book = XlsxBook(data, budget=budget)
    except XlsxError as exc:
        raise LedgerFormatError(f"无法读取该 Excel 文件，请确认文件未损坏（{exc}）") from exc
    if sheet is not None and sheet not in book.sheetnames:
        raise LedgerFormatError(f"工作簿中没有名为“{sheet}”的工作表（现有：{'、'.join(book.sheetnames)}）")
    tables = []
    for info in book.sheets:
        if sheet is not None and info.name != sheet:
            continue
        try:
            counted = budget.total_rows
            rows = budget.rows(info.name, book.rows(info), check_cells=False)
            first = next(rows, None)  # reads what precedes <sheetData>: hidden columns, dimension
            seen = set(info.hidden_columns)
            table = build_table(info.name, _prepend(first, rows), config, info.hidden_columns)
            if info.hidden_columns != seen:
                # <cols> written after <sheetData> (not where Excel puts it): map the header again.
                budget.total_rows = counted
                rows = budget.rows(info.name, book.rows(info), check_cells=False)
                table = build_table(info.name, rows, config, set(info.hidden_columns))
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
            if isinstance(exc, LedgerFormatError):
                raise
            raise LedgerFormatError(
                f"无法读取该 Excel 文件的工作表“{info.name}”，请确认文件未损坏（{exc}）"
            ) from exc
        if info.state != "visible":
            table.hidden_sheet = True
            table.notices.append("该工作表为隐藏工作表，仍已读取")
        tables.append(table)
    return tables


def _prepend(first: Any, rows: Iterator[Any]) -> Iterator[Any]:
    if first is not None:
        yield first
        yield from rows


def _read_xlsx_openpyxl(data: bytes, sheet: str | None, config: ColumnConfig) -> list[SheetTable]:
    """The reference reader (openpyxl, read-only): the streaming reader must give the same tables."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise LedgerFormatError(f"无法读取该 Excel 文件，请确认文件未损坏（{exc}）") from exc
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise LedgerFormatError(f"工作簿中没有名为“{sheet}”的工作表（现有：{'、'.join(wb.sheetnames)}）")
        tables = []
        for name in [sheet] if sheet is not None else wb.sheetnames:
            ws = wb[name]
            table = build_table(name, ws.iter_rows(values_only=True), config, _hidden_columns(ws))
            if ws.sheet_state != "visible":
                table.hidden_sheet = True
                table.notices.append("该工作表为隐藏工作表，仍已读取")
            tables.append(table)
        return tables
    finally:
        wb.close()


def _decode_csv(data: bytes) -> str:
    # Excel and WPS on Chinese Windows save CSV as GBK unless told otherwise.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LedgerFormatError("无法识别 CSV 文件的编码，请另存为 UTF-8 或 .xlsx")


def _read_csv(
    data: bytes, name: str, config: ColumnConfig, budget: ReadBudget | None = None
) -> list[SheetTable]:
    from .export import csv_unescape  # a cell our export escaped against formula injection

    budget = budget or ReadBudget()
    rows = budget.rows(name, csv.reader(io.StringIO(_decode_csv(data), newline="")))
    try:
        return [
            build_table(name, ([csv_unescape(c) if c.strip() else None for c in r] for r in rows), config)
        ]
    except csv.Error as exc:
        # The csv module's own field cap (131 072 characters) is above the cell limit: say the limit.
        if "field larger than field limit" in str(exc):
            raise budget.text_refused(
                f"CSV 文件第{budget.total_rows + 1}行的单元格", csv.field_size_limit()
            ) from exc
        raise LedgerFormatError(f"无法读取该 CSV 文件（{exc}）") from exc


def _xls_value(cell: Any, datemode: int) -> Any:
    import xlrd

    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(value, datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return value
    if kind == xlrd.XL_CELL_NUMBER:
        return int(value) if float(value).is_integer() else value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    return value if str(value).strip() else None


def _read_xls(
    data: bytes, sheet: str | None, config: ColumnConfig, budget: ReadBudget | None = None
) -> list[SheetTable]:
    """Legacy .xls (BIFF) through xlrd: the same tables as .xlsx, hidden columns included."""
    import xlrd

    budget = budget or ReadBudget()
    try:
        wb = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception as exc:  # xlrd raises bare XLRDError/struct errors/AssertionError on damaged files
        raise LedgerFormatError(
            f"无法读取该 .xls 文件，请确认文件未损坏，或在 Excel/WPS 中另存为 .xlsx 后上传（{exc}）"
        ) from exc
    try:
        names = wb.sheet_names()
        if sheet is not None and sheet not in names:
            raise LedgerFormatError(f"工作簿中没有名为“{sheet}”的工作表（现有：{'、'.join(names)}）")
        tables = []
        for name in [sheet] if sheet is not None else names:
            ws = wb.sheet_by_name(name)
            budget.tick(f"工作表“{name}”")
            hidden = {i + 1 for i, info in ws.colinfo_map.items() if info.hidden}
            rows = ([_xls_value(c, wb.datemode) for c in ws.row(r)] for r in range(ws.nrows))
            table = build_table(name, budget.rows(name, rows), config, hidden)
            if ws.visibility:
                table.hidden_sheet = True
                table.notices.append("该工作表为隐藏工作表，仍已读取")
            tables.append(table)
        return tables
    finally:
        wb.release_resources()


def read_workbook(
    path_or_bytes: str | Path | bytes,
    *,
    sheet: str | None = None,
    config: ColumnConfig | None = None,
    name: str | None = None,
    limits: UploadLimits | None = None,
) -> list[SheetTable]:
    """Read an .xlsx, .xls or .csv ledger; one SheetTable per sheet (or only ``sheet``).

    The format is told by the file's first bytes, not its name: WPS and mail gateways rename files.
    ``name`` is the sheet name a CSV gets (default: the file's stem, or "CSV" for bytes).
    Every reader runs under the upload limits (``core.uploads``, ``ZONEDESK_UPLOAD_LIMITS``):
    decompressed sizes, rows, row width, cell text and time; a file over one raises ``UploadRefused``.
    """
    config = config or get_config()
    budget = ReadBudget(limits)
    if isinstance(path_or_bytes, (bytes, bytearray)):
        data, stem = bytes(path_or_bytes), "CSV"
    else:
        path = Path(path_or_bytes)
        data, stem = path.read_bytes(), path.stem
    name = name or stem
    if data.startswith(_MAGIC_XLS):
        return _read_xls(data, sheet, config, budget)
    if data.startswith(_MAGIC_XLSX):
        return _read_xlsx(data, sheet, config, budget)
    return _read_csv(data, name, config, budget)
