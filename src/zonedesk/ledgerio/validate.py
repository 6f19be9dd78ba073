"""Raw ledger cells → typed values, Chinese error messages, and the stage-gate check per row.

Every message names the row, the column letter with its header as written, and the bad value,
because the person fixing it has the spreadsheet open, not this code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from zonedesk.enterprises.uscc import check_uscc
from zonedesk.textnorm import normalize, parse_area, parse_chinese_number, parse_date, parse_money_wan, tidy
from zonedesk.textnorm.quantities import AREA_UNITS, area_to, money_in_unit
from zonedesk.textnorm.quantities import tidy as _tidy

from .config import ColumnConfig, FieldSpec, get_config, in_ledger_language, squeeze
from .reader import Column, RawRow, SheetTable

ERROR = "error"
WARNING = "warning"
CURRENCY_NAMES = {"CNY": "人民币", "USD": "美元", "HKD": "港元", "EUR": "欧元"}
# Plausible Excel serials: 1954-10-… to 2119-…; outside that a number in a date column is a typo.
SERIAL_RANGE = (20_000, 80_000)
YEAR_RANGE = (1980, 2100)
CENT = Decimal("0.01")
MEMO_LIMIT = 50_000  # distinct cell texts remembered per import
_MEMO_KINDS = frozenset({"money", "area", "date", "integer", "uscc", "choice", "reasons", "names"})
_NAME_SPLIT = re.compile(r"[、,，;；/\n]+")
_SPACES = re.compile(r"[ \t\u3000]+")


@dataclass(frozen=True, slots=True)
class RowError:
    sheet: str
    row: int
    column_letter: str | None
    field: str | None
    message: str
    severity: str = ERROR


@dataclass(slots=True)
class ParsedRow:
    sheet: str
    row_number: int
    values: dict[str, Any]  # Project field → typed value (Decimal 万元/亩/平方米, date, code, text)
    stage: str
    status: str | None = None
    investor_names: list[str] = field(default_factory=list)
    approximate: set[str] | frozenset[str] = frozenset()  # fields written as 约/余/以上 (a set once one is)
    columns: dict[str, str] = field(default_factory=dict)  # field → column letter
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(e.severity == ERROR for e in self.errors)


@dataclass
class ParseResult:
    rows: list[ParsedRow]
    errors: list[RowError]  # every row error plus sheet-level warnings, in file order

    @property
    def has_errors(self) -> bool:
        return any(e.severity == ERROR for e in self.errors)

    @property
    def valid_rows(self) -> list[ParsedRow]:
        return [r for r in self.rows if r.ok]


class CellError(ValueError):
    """A cell that cannot be read; the message is the part after 'D列（…）：'."""


@dataclass
class Cell:
    """One value being converted, and what the conversion learned about it."""

    raw: Any
    column: Column
    spec: FieldSpec
    published: date | None
    approx: bool = False
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- converters


def _as_text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    return str(raw)


def _shown(raw: Any) -> str:
    return _as_text(raw).strip()


def _to_text(cell: Cell) -> str:
    return _text_value(cell.raw)


def _text_value(raw: Any) -> str:
    # Names are kept as written (full-width brackets, traditional characters): they are proper names.
    text = raw if raw.__class__ is str else _as_text(raw)
    if " " in text or "\t" in text or "\u3000" in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


def _to_names(cell: Cell) -> list[str]:
    names = [n.strip() for n in _NAME_SPLIT.split(_as_text(cell.raw))]
    return list(dict.fromkeys(n for n in names if n))


def _unit_for(cell: Cell, accept: Callable[[str], bool]) -> str:
    """The header's unit when it fits this kind of value, else the field's configured unit."""
    unit = cell.column.unit
    return unit if unit and accept(unit) else str(cell.spec.unit)


def _is_money_unit(unit: str) -> bool:
    return unit not in AREA_UNITS


def _cents(value: Decimal) -> Decimal:
    return tidy(value.quantize(CENT)) if value != value.quantize(CENT) else value


_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _plain(raw: Any) -> str | None:
    """The text of a non-negative int or float cell written without exponent; None otherwise."""
    cls = raw.__class__
    if cls is int:
        return str(raw) if raw >= 0 else None
    if cls is float:
        text = str(int(raw)) if raw.is_integer() else repr(raw)
        return text if raw >= 0 and _PLAIN_NUMBER.fullmatch(text) else None
    return None


def _to_money(cell: Cell) -> Decimal:
    text = _plain(cell.raw)
    if text is not None:
        # A number typed into the cell: what parse_money_wan would give, without its text parsing.
        found = money_in_unit(Decimal(text), _unit_for(cell, _is_money_unit))
        if found is not None:
            value, currency = found
            wanted = cell.spec.currency
            if not wanted or currency == wanted:
                return _cents(value)
    if isinstance(cell.raw, (datetime, date)):
        raise CellError(f"无法识别的金额“{_shown(cell.raw)}”（单元格为日期格式）")
    parsed = parse_money_wan(_as_text(cell.raw), default_unit=_unit_for(cell, _is_money_unit))
    if parsed is None:
        raise CellError(f"无法识别的金额“{_shown(cell.raw)}”")
    value, currency, approx = parsed
    wanted = cell.spec.currency
    if wanted and currency != wanted:
        raise CellError(
            f"金额“{_shown(cell.raw)}”的币种为{CURRENCY_NAMES.get(currency, currency)}，"
            f"本列应填{CURRENCY_NAMES.get(wanted, wanted)}"
        )
    cell.approx = approx
    return _cents(value)


def _to_area(cell: Cell) -> Decimal:
    text = _plain(cell.raw)
    if text is not None:
        unit_word = _unit_for(cell, lambda u: u in AREA_UNITS)
        unit, factor = AREA_UNITS[unit_word]
        if unit == AREA_UNITS[str(cell.spec.unit)][0]:
            return _cents(_tidy(Decimal(text) * factor))
    if isinstance(cell.raw, (datetime, date)):
        raise CellError(f"无法识别的面积“{_shown(cell.raw)}”（单元格为日期格式）")
    parsed = parse_area(_as_text(cell.raw), default_unit=_unit_for(cell, lambda u: u in AREA_UNITS))
    if parsed is None:
        raise CellError(f"无法识别的面积“{_shown(cell.raw)}”")
    value, unit, approx = parsed
    target = AREA_UNITS[str(cell.spec.unit)][0]
    if unit != target:
        # Land is kept in 亩 and floor space in 平方米; convert rather than refuse.
        value = area_to(target, value, unit)
        cell.warnings.append(f"“{_shown(cell.raw)}”已按 1 亩 = 666.67 平方米换算为{_cents(value)}{target}")
    cell.approx = approx
    return _cents(value)


def _number_as_date(cell: Cell, number: float) -> date:
    if YEAR_RANGE[0] <= number <= YEAR_RANGE[1]:
        # "2024.3" typed into a cell is stored as the number 2024.3, and 2024.10 as 2024.1.
        text = repr(float(number)) if not float(number).is_integer() else str(int(number))
        if text.endswith(".1"):
            cell.warnings.append(f"“{text}”按{text.split('.')[0]}年1月处理；如为10月请写成文本“{text}0”")
        found = parse_date(text)
    elif SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        found = parse_date(number)
    else:
        found = None
    if not isinstance(found, date):
        raise CellError(f"无法识别的日期“{_shown(cell.raw)}”")
    return found


def _to_date(cell: Cell) -> date:
    raw = cell.raw
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
        return _check_year(cell, _number_as_date(cell, float(raw)))
    found = parse_date(str(raw).strip(), published=cell.published)
    if isinstance(found, tuple):
        cell.warnings.append(f"“{_shown(raw)}”是一个时期，按其首日 {found[0].isoformat()} 处理")
        found = found[0]
    if found is None:
        raise CellError(f"无法识别的日期“{_shown(raw)}”")
    return _check_year(cell, found)


def _check_year(cell: Cell, value: date) -> date:
    if not YEAR_RANGE[0] <= value.year <= YEAR_RANGE[1]:
        raise CellError(f"日期“{_shown(cell.raw)}”超出合理范围（{value.isoformat()}）")
    return value


def _to_integer(cell: Cell) -> int:
    raw = cell.raw
    if raw.__class__ is int and raw >= 0:
        return raw
    text = re.sub(r"[约近余多人名个以上左右]", "", normalize(_as_text(cell.raw)).strip())
    number = parse_chinese_number(text)
    if number is None or number != number.to_integral_value() or number < 0:
        raise CellError(f"无法识别的整数“{_shown(cell.raw)}”")
    cell.approx = text != normalize(_as_text(cell.raw)).strip()
    return int(number)


def _to_uscc(cell: Cell) -> str:
    result = check_uscc(_as_text(cell.raw))
    if not result.ok:
        raise CellError(f"{result.message}（“{_shown(cell.raw)}”）")
    if not result.checksum_ok:
        cell.warnings.append(result.message)
    return result.code


def _to_choice(cell: Cell) -> str:
    from zonedesk.projects.models import Project

    text = squeeze(_as_text(cell.raw))
    choices = _CHOICES.get(cell.spec.name)
    if choices is None:
        choices = _CHOICES[cell.spec.name] = _ledger_labels(Project._meta.get_field(cell.spec.name).choices)
    for code, label in choices:
        if text in (code, label):
            return code
    # "正式协议" for 正式合同, "框架" for 框架协议: the first two characters carry the meaning.
    loose = {code for code, label in choices if len(label) >= 2 and label[:2] in text}
    if len(loose) == 1:
        return loose.pop()
    options = "、".join(label for _, label in choices if label)
    raise CellError(f"无法识别的{cell.spec.verbose_name}“{_shown(cell.raw)}”，可填：{options}")


_CHOICES: dict[str, list[tuple[str, str]]] = {}  # field → (code, label as compared); from the model, fixed


@in_ledger_language
def _ledger_labels(choices: Any) -> list[tuple[str, str]]:
    """(code, label as compared) of a model's choices, in the ledger's language: the cache lives for
    the process, so the first caller's language must not decide it."""
    return [(str(code), squeeze(str(label))) for code, label in choices]


def _to_reasons(cell: Cell) -> tuple[str, ...]:
    """ "土地、能耗指标" → ("land", "energy_quota"): each word a coded 观望原因, by label, code or its first two characters."""
    from zonedesk.projects.choices import HesitationReason

    choices = _CHOICES.get("hesitations")
    if choices is None:
        choices = _CHOICES["hesitations"] = _ledger_labels(HesitationReason.choices)
    codes = []
    for word in _NAME_SPLIT.split(_as_text(cell.raw)):
        text = squeeze(word)
        if not text:
            continue
        exact = [code for code, label in choices if text in (code, label)]
        loose = {code for code, label in choices if len(label) >= 2 and (label[:2] in text or text in label)}
        found = exact[0] if exact else (loose.pop() if len(loose) == 1 else None)
        if found is None:
            options = "、".join(label for _, label in choices)
            raise CellError(f"无法识别的观望原因“{word.strip()}”，可填：{options}（多项用“、”分隔）")
        codes.append(found)
    return tuple(dict.fromkeys(codes))


CONVERTERS: dict[str, Callable[[Cell], Any]] = {
    "text": _to_text,
    "names": _to_names,
    "money": _to_money,
    "area": _to_area,
    "date": _to_date,
    "integer": _to_integer,
    "uscc": _to_uscc,
    "choice": _to_choice,
    "reasons": _to_reasons,
}


# --------------------------------------------------------------------------- stage words


def _words_in(text: str, table: Mapping[str, str]) -> set[str]:
    if text in table:
        return {table[text]}
    return {code for word, code in table.items() if len(word) >= 2 and word in text}


def read_stage(raw: Any, config: ColumnConfig) -> tuple[str | None, str | None]:
    """(stage code, status code) from a stage cell; raises CellError when it names no stage or two."""
    from zonedesk.projects.rules import get_rules

    text = squeeze(_as_text(raw))
    stages = _words_in(text, config.stage_words)
    statuses = _words_in(text, config.status_words)
    if len(stages) > 1:
        # Longest word wins only when one word contains the other (已签约 vs 签约), never across stages.
        labels = "、".join(get_rules().label(c) for c in sorted(stages, key=get_rules().index))
        raise CellError(f"项目阶段“{_shown(raw)}”含义不明确（可能是：{labels}）")
    if not stages and len(statuses) != 1:
        raise CellError(f"无法识别的项目阶段“{_shown(raw)}”")
    return (stages.pop() if stages else None), (statuses.pop() if len(statuses) == 1 else None)


# --------------------------------------------------------------------------- one row


def _where(row: RawRow, column: Column | None) -> str:
    if column is None:
        return f"第{row.row_number}行："
    return f"第{row.row_number}行 {column.letter}列（{column.header}）："


class _SheetParser:
    """Converts the RawRows of one sheet, one at a time; what depends only on the sheet's columns
    (field specs, header units, each column's short path for typed numbers) is worked out once."""

    def __init__(
        self,
        table: SheetTable,
        config: ColumnConfig,
        published: date | None,
        known: Callable[[Mapping[str, Any]], Mapping[str, Any] | None] | None,
        memo: dict[tuple[Any, ...], Any],
        defaults: Mapping[str, Any],
    ) -> None:
        self.table, self.config, self.published, self.known, self.memo = table, config, published, known, memo
        self.defaults = defaults
        self.fields: tuple[tuple[str, str], ...] | None = None
        self.plan: list[tuple[str, str, Column, FieldSpec, Callable[[Any], Decimal | None] | None]] = []
        self.columns: dict[str, str] = {}
        self.stage_at: int | None = None

    def _prepare(self, fields: tuple[tuple[str, str], ...]) -> None:
        # field → letter is the same for every row of a sheet: one dict, shared (never mutated).
        self.fields = fields
        self.columns = dict(fields)
        self.plan = []
        for name, _letter in fields:
            column = self.table.columns[name]
            spec = self.config.fields[name]
            self.plan.append((name, spec.kind, column, spec, _typed_number_path(column, spec)))
        names = [n for n, _l in fields]
        self.stage_at = names.index("stage") if "stage" in names and "stage" in self.table.columns else None

    def parse(self, row: RawRow) -> ParsedRow:
        if row.fields is not self.fields:
            self._prepare(row.fields)
        self.row = row
        self.parsed = parsed = ParsedRow(row.sheet, row.row_number, {}, self.config.default_stage)
        parsed.columns = self.columns
        self.bad_fields: set[str] = set()
        values = parsed.values
        for (name, kind, column, spec, number), raw in zip(self.plan, row.values):
            if raw is None:
                continue
            if kind == "text":
                # what _to_text gives: never an error or a warning
                if raw.__class__ is str and " " not in raw and "\t" not in raw and "\u3000" not in raw:
                    values[name] = raw.strip()
                else:
                    values[name] = _text_value(raw)
                continue
            if number is not None:
                found = number(raw)
                if found is not None:
                    values[name] = found  # a plain typed number: no warning, not approximate
                    continue
            if kind == "stage":
                self.convert_stage(column, raw)
            else:
                self.convert(name, kind, column, spec, raw)
        if self.stage_at is not None and row.values[self.stage_at] is None:
            column = self.table.columns["stage"]
            self.report(
                column, "stage", f"未填写项目阶段，按“{_stage_label(self.config.default_stage)}”校验", WARNING
            )
        self.check_gates()
        return parsed

    def report(self, column: Column | None, name: str | None, message: str, severity: str = ERROR) -> None:
        letter = column.letter if column else None
        self.parsed.errors.append(
            RowError(
                self.row.sheet,
                self.row.row_number,
                letter,
                name,
                _where(self.row, column) + message,
                severity,
            )
        )

    def convert(self, name: str, kind: str, column: Column, spec: FieldSpec, raw: Any) -> None:
        # Words repeat down a column (选项, 日期, 阶段): each distinct cell text is converted once.
        key = (name, raw) if raw.__class__ is str and kind in _MEMO_KINDS else None
        done = self.memo.get(key) if key is not None else None
        if done is None:
            cell = Cell(raw, column, spec, self.published)
            try:
                done = (CONVERTERS[kind](cell), cell.approx, tuple(cell.warnings), None)
            except CellError as exc:
                done = (None, False, (), str(exc))
            if key is not None and len(self.memo) < MEMO_LIMIT:
                self.memo[key] = done
        value, approx, warnings, problem = done
        if problem is not None:
            self.bad_fields.add(name)
            self.report(column, name, problem)
            return
        for warning in warnings:
            self.report(column, name, warning, WARNING)
        if approx:
            self.parsed.approximate = {*self.parsed.approximate, name}
        if kind == "names":
            value = list(value)  # remembered lists are shared: each row gets its own
            self.parsed.investor_names = value
        self.parsed.values[name] = value

    def convert_stage(self, column: Column, raw: Any) -> None:
        key = ("stage", raw.__class__, raw)
        done = self.memo.get(key)
        if done is None:
            try:
                done = (*read_stage(raw, self.config), None)
            except CellError as exc:
                done = (None, None, str(exc))
            if len(self.memo) < MEMO_LIMIT:
                self.memo[key] = done
        stage, status, problem = done
        if problem is not None:
            self.bad_fields.add("stage")
            self.report(column, "stage", problem)
            return
        if stage is None:
            self.report(column, "stage", f"“{_shown(raw)}”是项目状态而非阶段，阶段按默认值校验", WARNING)
        else:
            self.parsed.stage = stage
            self.parsed.values["stage"] = stage
        if status:
            self.parsed.status = status
            self.parsed.values["status"] = status

    def check_gates(self) -> None:
        from zonedesk.projects.rules import missing_for, value_errors

        # A row matching a stored project is checked against the stored values it would keep.
        parsed = self.parsed
        stored = self.known(parsed.values) if self.known else None
        values = (
            {**self.defaults, **stored, **parsed.values} if stored else {**self.defaults, **parsed.values}
        )
        for item in missing_for(values, parsed.stage):
            names = item.field.split("|")
            if self.bad_fields.intersection(names):
                continue  # the unreadable cell is already reported; "missing" would say it twice
            column = next((self.table.columns[n] for n in names if n in self.table.columns), None)
            where = "（该列为空）" if column else "（表中无此列）"
            self.report(
                column,
                item.field,
                f"项目阶段为“{_stage_label(parsed.stage)}”，须填写“{item.label}”{where}",
                item.severity,
            )
        # The rules between fields, as Project.clean applies them; a missing status reason or date
        # is filled by the import itself (with a warning), so only the others are reported here.
        for name, messages in value_errors(values).items():
            if name in {"status_reason", "status_date"} or name in self.bad_fields:
                continue
            for message in messages:
                self.report(self.table.columns.get(name), name, message, ERROR)


_BIG = 10**18  # typed integers below this convert exactly without the context's 28-digit rounding


def _typed_number_path(column: Column, spec: FieldSpec) -> Callable[[Any], Any] | None:
    """A short path for a number typed into a cell of this column, or None when the kind has none.

    The path returns exactly what the kind's converter would (see test_bulk_write's property test
    of the converters against text), or None to send the cell to the converter: only the plain
    cases are taken (non-negative, no exponent, money in 万 of the wanted currency, area in the
    field's own unit).
    """
    kind = spec.kind
    if kind == "integer":
        return lambda raw: raw if raw.__class__ is int and raw >= 0 else None
    if kind == "date":
        return lambda raw: raw.date() if raw.__class__ is datetime else None
    if kind == "money":
        unit = column.unit if column.unit and _is_money_unit(column.unit) else str(spec.unit)
        one = money_in_unit(Decimal(1), unit)
        # only a column in 万 of the wanted currency: there the number is the value
        if one is None or one[0] != 1 or (spec.currency and one[1] != spec.currency):
            return None
        # number × 10000 / 10000, tidied: the number itself, tidied (tidy depends on the value only)
        return _plain_decimal
    if kind == "area":
        word = column.unit if column.unit and column.unit in AREA_UNITS else str(spec.unit)
        unit, factor = AREA_UNITS[word]
        if unit != AREA_UNITS[str(spec.unit)][0] or factor != 1:
            return None
        return _plain_decimal
    return None


def _plain_decimal(raw: Any) -> Decimal | None:
    """``_cents(tidy(Decimal(_plain(raw))))`` for a non-negative int or float; None otherwise."""
    cls = raw.__class__
    if cls is int:
        return Decimal(raw) if 0 <= raw < _BIG else None  # already tidy, whole cents
    if cls is float and raw < _BIG:
        text = _plain(raw)
        return _cents(_tidy(Decimal(text))) if text is not None else None
    return None


def _stage_label(code: str) -> str:
    from zonedesk.projects.rules import get_rules

    return get_rules().label(code)


# --------------------------------------------------------------------------- whole import


def _sheet_notices(table: SheetTable) -> list[RowError]:
    row = table.header_rows[0] if table.header_rows else 0
    return [
        RowError(table.sheet, row, None, None, f"工作表“{table.sheet}”：{n}", WARNING) for n in table.notices
    ]


def _duplicate_names(rows: Iterable[ParsedRow]) -> list[RowError]:
    # The same project listed twice (often on two sheets) would be imported twice.
    seen: dict[str, ParsedRow] = {}
    out = []
    for row in rows:
        name = row.values.get("name")
        if not name:
            continue
        key = squeeze(name)
        if key in seen:
            first = seen[key]
            error = RowError(
                row.sheet,
                row.row_number,
                row.columns.get("name"),
                "name",
                f"第{row.row_number}行：项目名称“{name}”与工作表“{first.sheet}”第{first.row_number}行重复",
                WARNING,
            )
            row.errors.append(error)
            out.append(error)
        else:
            seen[key] = row
    return out


def parse_rows(
    tables: Iterable[SheetTable],
    *,
    defaults: Mapping[str, Any] | None = None,
    config: ColumnConfig | None = None,
    published: date | None = None,
    known: Callable[[Mapping[str, Any]], Mapping[str, Any] | None] | None = None,
    consume: bool = False,
) -> ParseResult:
    """Convert and check every row of ``tables``.

    ``defaults`` fills fields the sheet cannot carry but the import knows (the zone chosen in the
    upload form); a value in the row wins. ``published`` resolves dates written without a year.
    ``known(values)`` returns the stored values of the project a row updates (or None for a new
    one), so the stage gate sees what the project already has, not only what the row repeats.
    With ``consume`` each table's raw rows are released as they are converted (``table.rows`` is
    left empty): a 100 000-row ledger is then never held twice.
    """
    config = config or get_config()
    defaults = defaults or {}
    rows: list[ParsedRow] = []
    errors: list[RowError] = []
    memo: dict[tuple[Any, ...], Any] = {}
    for table in tables:
        errors.extend(_sheet_notices(table))
        raws = table.rows
        if consume:
            table.rows = []
        parse = _SheetParser(table, config, published, known, memo, defaults).parse
        for i in range(len(raws)):
            raw = raws[i]
            if consume:
                raws[i] = None  # type: ignore[call-overload]
            parsed = parse(raw)
            rows.append(parsed)
            if parsed.errors:
                errors.extend(parsed.errors)
    errors.extend(_duplicate_names(rows))
    return ParseResult(rows, errors)
