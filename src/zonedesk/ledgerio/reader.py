"""Find the ledger inside a spreadsheet: header row(s), mapped columns, and the project rows.

Ledgers are made by hand: title rows above the header, a header split over two merged rows,
units in the header, 合计/小计 rows, section rows ("一、新能源产业"), notes at the bottom. This
module only locates things and keeps raw cell values; ``validate`` interprets them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .config import ColumnConfig, get_config, squeeze

HEADER_SCAN_ROWS = 15
MIN_HEADER_HITS = 2
IGNORE = "__ignore__"  # a header recognised as carrying nothing to import (序号)

_BRACKETED = re.compile(r"[(\[【〔]([^)\]】〕]*)[)\]】〕]")
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


@dataclass(frozen=True)
class RawRow:
    sheet: str
    row_number: int  # 1-based, as Excel shows it
    cells: dict[str, tuple[str, Any]]  # field → (column letter, raw value); None when empty


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


def split_header(text: str, config: ColumnConfig) -> tuple[str, str | None]:
    """'总投资（亿元）' → ('总投资', '亿元'); a trailing bare unit ('占地亩') is split too."""
    squeezed = squeeze(text)
    unit = None
    for inner in _BRACKETED.findall(squeezed):
        inner = re.sub(r"^单位[:：]?", "", inner)
        if inner in config.header_units:
            unit = config.header_units[inner]
    label = _BRACKETED.sub("", squeezed)
    if unit is None:
        for word in sorted(config.header_units, key=len, reverse=True):
            if label.endswith(word) and len(label) > len(word) and _match_label(label[: -len(word)], config):
                return label[: -len(word)], config.header_units[word]
    return label, unit


def _match_label(label: str, config: ColumnConfig) -> str | None:
    """Field name (or IGNORE) for a bare header label; None when nothing matches."""
    if not label:
        return None
    if label in config.ignored_headers:
        return IGNORE
    best: tuple[int, str] | None = None
    for spec in config.fields.values():
        for word in spec.synonyms:
            if word == label:
                return spec.name
            # Short synonyms such as 项目 would match half the headers if allowed inside others.
            if len(word) >= 3 and word in label and (best is None or len(word) > best[0]):
                best = (len(word), spec.name)
    return best[1] if best else None


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


def skip_reason(row: Sequence[Any], columns: dict[str, Column], config: ColumnConfig) -> str | None:
    """Why a row below the header is not a project, in Chinese; None for a project row."""
    texts = _nonempty(row)
    if not texts:
        return "空行"
    if _NOTE.match(texts[0]):
        return "表尾说明"
    name_col = columns.get("name")
    lead = [squeeze(_text(v)) for v in row[:3]]
    if name_col is not None and name_col.index < len(row):
        lead.append(squeeze(_text(row[name_col.index])))
    if any(t and len(t) <= 30 and _TOTAL.search(t) for t in lead):
        return "合计/小计行"
    if len(texts) <= 2 and _SECTION.match(texts[0]):
        return "分类标题行"
    if _repeats_header(row, columns, config):
        return "重复表头"
    return None


def _repeats_header(row: Sequence[Any], columns: dict[str, Column], config: ColumnConfig) -> bool:
    # Ledgers printed over several pages often repeat the header; it must not become a project.
    name_col = columns.get("name")
    if name_col is None or name_col.index >= len(row) or row[name_col.index] is None:
        return False
    if match_header(squeeze(_text(row[name_col.index])), config)[0] != "name":
        return False  # cheap test first: this runs on every row of large ledgers
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
    cells: dict[str, tuple[str, Any]] = {}
    for name, col in columns.items():
        value = row[col.index] if col.index < len(row) else None
        if isinstance(value, str) and not value.strip():
            value = None
        cells[name] = (col.letter, value)
    return RawRow(sheet, number, cells)


def build_table(
    sheet: str, rows: Iterable[Sequence[Any]], config: ColumnConfig, hidden: set[int] | None = None
) -> SheetTable:
    """Turn one sheet's rows (values, top to bottom from row 1) into a SheetTable."""
    hidden = hidden or set()
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
    for number, row in enumerate([*head[first_data:], *it], start=first_data + 1):
        reason = skip_reason(row, table.columns, config)
        if reason:
            if reason != "空行":
                table.skipped_rows.append((number, reason))
            continue
        table.rows.append(_raw_row(sheet, number, row, table.columns))
        unmapped_with_data.update(_headerless_data(row, cells))
    _report_headerless(table, unmapped_with_data)
    return table


def _headerless_data(row: Sequence[Any], cells: list[_HeaderCell]) -> set[int]:
    """Columns beyond or without a header that still hold data in this row."""
    return {
        i
        for i, v in enumerate(row)
        if v is not None
        and _text(v).strip()
        and (i >= len(cells) or (not cells[i].header and cells[i].field is None))
    }


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


def _read_xlsx(data: bytes, sheet: str | None, config: ColumnConfig) -> list[SheetTable]:
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


def _read_csv(data: bytes, name: str, config: ColumnConfig) -> list[SheetTable]:
    rows = csv.reader(io.StringIO(_decode_csv(data), newline=""))
    return [build_table(name, ([c if c.strip() else None for c in r] for r in rows), config)]


def read_workbook(
    path_or_bytes: str | Path | bytes, *, sheet: str | None = None, config: ColumnConfig | None = None
) -> list[SheetTable]:
    """Read an .xlsx or .csv ledger; one SheetTable per sheet (or only ``sheet``)."""
    config = config or get_config()
    if isinstance(path_or_bytes, (bytes, bytearray)):
        data, name = bytes(path_or_bytes), "CSV"
    else:
        path = Path(path_or_bytes)
        data, name = path.read_bytes(), path.stem
    if data.startswith(_MAGIC_XLS):
        raise LedgerFormatError("暂不支持旧版 .xls 文件，请在 Excel/WPS 中另存为 .xlsx 后上传")
    if data.startswith(_MAGIC_XLSX):
        return _read_xlsx(data, sheet, config)
    return _read_csv(data, name, config)
