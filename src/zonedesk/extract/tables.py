"""Tables flattened into text (copied from Word/PDF/Excel): a header row, then data rows.

    序号  项目名称  建设单位  总投资(万元)  占地(亩)  进展情况
    1  年产5万吨铝材项目  某某铝业有限公司  32000  120  已开工

A header is a line whose cells are mostly known column titles, one of them a name column.
Its units ("(万元)", "单位：亿元") apply to the bare numbers below it. Rows are the
following lines, or — when the whole table sits on one line — runs that start with the
next serial number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from zonedesk.textnorm.quantities import area_to, parse_area, parse_money_wan, tidy

from . import lexicon
from .entities import clean_name, find_stages
from .model import Fact
from .projects import Mention
from .segment import SentenceIndex

_ROLE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("seq", re.compile(r"^(?:序号|编号|No\.?)$")),
    (
        "other_money",
        re.compile(
            r"(?:年度|本年|今年|当年|本月|累计|已完成|完成|到位|计划完成).*(?:投资|金额)|产值|营收|税收|利润"
        ),
    ),
    (
        "investment",
        re.compile(
            r"总投资|投资总额|计划投资|投资额|签约金额|协议投资|合同金额|^投资(?!方|主体|企业|人|单位)"
        ),
    ),
    ("stage", re.compile(r"进度|进展|阶段|状态|推进情况|建设情况")),
    # checked after stage, so 项目进展 is a stage column; 项目单位/项目地点 are not names
    (
        "name",
        re.compile(
            r"^(?:项目名称|项目全称|项目名|名称|项目)(?!单位|业主|法人|负责|地点|类型|类别|性质|编号|代码)"
        ),
    ),
    (
        "enterprise",
        re.compile(
            r"建设单位|企业名称|投资主体|项目单位|业主单位|投资方|签约企业|实施主体|^企业|投资企业|承建单位"
        ),
    ),
    ("zone", re.compile(r"所在园区|所属园区|园区|开发区|建设地点|所在地|区域|落地区域")),
    ("floor", re.compile(r"建筑面积")),
    ("land", re.compile(r"占地|用地|土地|面积")),
    ("date", re.compile(r"时间|日期")),
    ("ignore", re.compile(r"建设内容|备注|行业|类别|产业|规模|联系|责任|包联|领导|说明|问题|措施|产能")),
]
_HEADER_UNITS = "万元|亿元|元|万美元|美元|亿美元|亩|平方米|万平方米|公顷|㎡|m2"
_UNIT_IN_HEADER = re.compile(rf"[(（]\s*(?:单位[:：]?)?\s*({_HEADER_UNITS})\s*[)）]")
_TABLE_UNIT_NOTE = re.compile(r"单位[:：]\s*(万元|亿元|元|万美元)")
_LINE = re.compile(r"[^\n]+")


@dataclass
class _Column:
    role: str
    unit: str | None


@dataclass
class _Row:
    cells: list[tuple[str, int, int]]  # (text, start, end) with text from the working text


@dataclass
class TableResult:
    facts: list[Fact] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # data rows
    _mentions: list[Mention] = field(default_factory=list)

    def covers(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.spans)

    def mentions(self, sents: SentenceIndex) -> list[Mention]:
        for m in self._mentions:
            m.sent = sents.of(m.start)
        return self._mentions


def _split_cells(line: str, offset: int) -> list[tuple[str, int, int]]:
    if "\t" in line:
        sep = re.compile(r"[^\t]+")
    elif "|" in line:
        sep = re.compile(r"[^|]+")
    else:
        sep = re.compile(r"\S+")
    cells = []
    for m in sep.finditer(line):
        text = m.group()
        stripped = text.strip()
        if not stripped:
            continue
        lead = len(text) - len(text.lstrip())
        s = offset + m.start() + lead
        cells.append((stripped, s, s + len(stripped)))
    return cells


def _role_of(cell: str) -> str | None:
    title = _UNIT_IN_HEADER.sub("", cell).strip()
    for role, pattern in _ROLE_PATTERNS:
        if pattern.search(title):
            return role
    return None


def _header(cells: list[tuple[str, int, int]], note_unit: str | None) -> list[_Column] | None:
    if len(cells) < 3:
        return None
    columns = []
    known = 0
    for text, _, _ in cells:
        role = _role_of(text) if len(text) <= 16 else None
        unit_m = _UNIT_IN_HEADER.search(text)
        unit = unit_m.group(1) if unit_m else None
        if role in ("investment", "other_money") and unit is None:
            unit = note_unit or "万元"
        columns.append(_Column(role or "ignore", unit))
        known += role is not None
    roles = [c.role for c in columns]
    if "name" not in roles or known < 3 or known < 0.6 * len(cells):
        return None
    if not ({"investment", "land", "floor", "stage", "enterprise"} & set(roles)):
        return None
    return columns


def find_tables(work: str, text: str, existing: list[Fact]) -> TableResult:
    result = TableResult()
    lines = [(m.group(), m.start()) for m in _LINE.finditer(work)]
    existing_spans = [(f.start, f.end) for f in existing if f.kind in ("money", "area")]
    i = 0
    while i < len(lines):
        line, off = lines[i]
        note = None
        for back in range(max(0, i - 3), i + 1):
            n = _TABLE_UNIT_NOTE.search(lines[back][0])
            if n:
                note = n.group(1)
        cells = _split_cells(line, off)
        columns = _header(cells, note)
        stream: list[tuple[str, int, int]] = []
        if columns is None:
            columns, stream = _one_line_table(cells, note)
            if columns is None:
                i += 1
                continue
        j = i + 1
        row_lines: list[list[tuple[str, int, int]]] = []
        while j < len(lines):
            row_line, row_off = lines[j]
            if "。" in row_line and row_line.count(" ") + row_line.count("\t") < 2:
                break
            row_cells = _split_cells(row_line, row_off)
            if len(row_cells) < 2:
                break
            row_lines.append(row_cells)
            j += 1
        if columns[0].role == "seq":
            stream += [c for rc in row_lines for c in rc]
            rows = _rows_by_serial(stream)
        else:
            rows = [_Row(rc) for rc in row_lines] + ([_Row(stream)] if stream else [])
        for row in rows:
            cells_aligned = _align(row.cells, columns)
            if cells_aligned is None:
                continue
            _emit(result, work, text, columns, cells_aligned, existing_spans)
        i = max(j, i + 1)
    return result


def _one_line_table(
    cells: list[tuple[str, int, int]], note: str | None
) -> tuple[list[_Column] | None, list[tuple[str, int, int]]]:
    """A whole table on one line: a title, then 序号 … header cells, then "1" and the data.

    Returns the columns and the cells after the header (the data stream)."""
    for first, cell in enumerate(cells):
        if _role_of(cell[0]) != "seq":
            continue
        for k in range(first + 3, len(cells)):
            if cells[k][0] == "1":
                columns = _header(cells[first:k], note)
                if columns is not None:
                    return columns, cells[k:]
                break
    return None, []


def _rows_by_serial(stream: list[tuple[str, int, int]]) -> list[_Row]:
    rows: list[_Row] = []
    expected = 1
    current: list[tuple[str, int, int]] | None = None
    for cell in stream:
        if cell[0] == str(expected):
            if current:
                rows.append(_Row(current))
            current = [cell]
            expected += 1
        elif current is not None:
            current.append(cell)
    if current:
        rows.append(_Row(current))
    return rows


def _align(cells: list[tuple[str, int, int]], columns: list[_Column]) -> list[tuple[str, int, int]] | None:
    n = len(columns)
    if len(cells) == n:
        return cells
    if len(cells) < n:
        return None
    # A name with spaces in it spreads over several cells: the name column absorbs them.
    roles = [c.role for c in columns]
    k = roles.index("name")
    extra = len(cells) - n
    merged = cells[k : k + extra + 1]
    name_cell = (" ".join(c[0] for c in merged), merged[0][1], merged[-1][2])
    return cells[:k] + [name_cell] + cells[k + extra + 1 :]


def _emit(
    result: TableResult,
    work: str,
    text: str,
    columns: list[_Column],
    cells: list[tuple[str, int, int]],
    existing_spans: list[tuple[int, int]],
) -> None:
    name_cell = None
    enterprise = zone = stage = None
    investment: Decimal | None = None
    currency = "CNY"
    land = floor = None
    for col, (cell, start, end) in zip(columns, cells, strict=True):
        already = any(s < end and start < e for s, e in existing_spans)
        if col.role == "name":
            name_cell = (cell, start, end)
        elif col.role == "enterprise":
            enterprise = clean_name(cell)
        elif col.role == "zone":
            zone = clean_name(cell)
        elif col.role in ("investment", "other_money"):
            parsed = parse_money_wan(cell, default_unit=col.unit or "万元")
            if parsed is None:
                continue
            value, code, approx = parsed
            if not already:
                result.facts.append(
                    Fact("money", text[start:end], start, end, value, unit="万", currency=code, approx=approx)
                )
            if col.role == "investment":
                investment, currency = value, code
        elif col.role in ("land", "floor"):
            default = col.unit or ("亩" if col.role == "land" else "平方米")
            default = {"万平方米": "平方米"}.get(default, default)
            parsed_area = parse_area(cell, default_unit=default)
            if parsed_area is None:
                continue
            value, unit, approx = parsed_area
            if col.unit == "万平方米" and not re.search(r"[亩米㎡m]", cell):
                value = tidy(value * 10_000)
            if not already:
                fact = Fact("area", text[start:end], start, end, value, unit=unit, approx=approx)
                result.facts.append(fact)
            if col.role == "land":
                land = area_to("亩", value, unit)
            elif unit == "平方米":
                floor = value
        elif col.role == "stage":
            found = [f for f in find_stages(cell, cell) if f.qualifier != "planned"]
            if found:
                stage = max((f.value for f in found), key=lambda s: lexicon.STAGE_RANK[s])
    if name_cell is None:
        return
    row_start, row_end = cells[0][1], cells[-1][2]
    result.spans.append((row_start, row_end))
    cell, start, end = name_cell
    mention = Mention(start, end, clean_name(cell), 0, "table", enterprise)
    mention.zone, mention.investment, mention.currency = zone, investment, currency
    mention.land_mu, mention.floor_m2 = land, floor
    if stage:
        mention.stages.append(stage)
    result._mentions.append(mention)
