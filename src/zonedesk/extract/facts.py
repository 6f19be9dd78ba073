"""Figures: money, area, capacity, count, rate and date facts.

One regex pass finds every number with what stands around it (approximation words, a
magnitude 万/亿, a unit); the unit then decides the kind. Dates are found first so a year
("2026年") never reads as a quantity.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date
from decimal import Decimal

from zonedesk.textnorm.dates import (
    DAY_RE,
    MONTH_RE,
    QUALIFIERS,
    RELATIVE_YEARS,
    YEAR_RE,
    DateParts,
    small_int,
)
from zonedesk.textnorm.numerals import ARABIC, CHINESE, parse_chinese_number
from zonedesk.textnorm.quantities import (
    APPROX_BEFORE,
    AREA_UNITS,
    CURRENCY_PREFIXES,
    CURRENCY_WORDS,
    MAGNITUDES,
    alternation,
    area_value,
    money_to_wan,
    tidy,
)

from . import lexicon
from .model import Fact

# unit word → kind; the longest unit wins in the regex, so 个百分点 beats 个 and 万吨 is 万+吨.
_RATE_UNITS = {"%": "%", "‰": "‰", "个百分点": "个百分点", "百分点": "个百分点"}
UNIT_KIND: dict[str, str] = {}
UNIT_KIND.update(dict.fromkeys(lexicon.SKIP_UNITS, "skip"))
UNIT_KIND.update(dict.fromkeys(lexicon.COUNT_UNITS, "count"))
UNIT_KIND.update(dict.fromkeys(lexicon.PHYSICAL_UNITS, "capacity"))
UNIT_KIND.update(dict.fromkeys(AREA_UNITS, "area"))
UNIT_KIND.update(dict.fromkeys(_RATE_UNITS, "rate"))
UNIT_KIND.update(dict.fromkeys(CURRENCY_WORDS, "money"))

_MAG = r"(?:[十百千]?(?:万亿|亿|万)|[十百千](?![0-9瓦克米伏升吨]))"
_STRONG_UNITS = alternation([w for w, k in UNIT_KIND.items() if k in ("money", "area", "capacity")])
QUANTITY = re.compile(
    rf"(?P<pre>{APPROX_BEFORE}|数|几)?"
    rf"(?P<cpre>{alternation(CURRENCY_PREFIXES)})?[ ]?"
    r"(?<![0-9A-Za-z_.\-/#=])"
    rf"(?:(?P<num>{ARABIC})|(?P<cn>{CHINESE})(?=[ ]?(?:余|多)?(?:{_STRONG_UNITS})))"
    rf"(?:[ ]?(?P<sep>-|~|至|到|—|－|～)[ ]?(?P<num2>{ARABIC}))?"
    rf"(?P<more1>余|多)?[ ]?(?P<mag>{_MAG})?(?P<more2>余|多)?[ ]?"
    rf"(?P<unit>{alternation(UNIT_KIND)})?"
    r"(?P<per>(?:/|每)(?:亩|平方米|平米|吨|人|年|个|户|家|千瓦时|度|㎡|m2))?"
    r"(?P<post>以上|左右|上下|之多|以内|以下|许)?"
)
PERCENT_WORDS = re.compile(rf"百分之(?P<num>{ARABIC}|[零〇一二两三四五六七八九十百点]+)")

_REL = "|".join(RELATIVE_YEARS)
_QUAL = "底前|末前|以前|之前|底|末|初|上旬|中旬|下旬|以来|起|以后|前|后"
_RANGE_SEP = "(?:-|~|至|到|—|－|～)"
DATE = re.compile(
    rf"(?<![0-9])(?=(?:{_REL})|{YEAR_RE}年|(?:{MONTH_RE})月|(?:{MONTH_RE}){_RANGE_SEP}(?:{MONTH_RE})月)"
    rf"(?P<rel>{_REL})?(?:(?P<y>{YEAR_RE})年度?)?"
    rf"(?:(?P<m>{MONTH_RE})(?:月份|月|(?={_RANGE_SEP}(?:{MONTH_RE})月)))?"
    rf"(?:(?P<d>{DAY_RE})[日号])?"
    rf"(?:(?P<sep>{_RANGE_SEP})(?:(?P<y2>{YEAR_RE})年)?(?:(?P<m2>{MONTH_RE})月份?)?(?:(?P<d2>{DAY_RE})[日号])?)?"
    rf"(?P<q>{_QUAL})?"
)
ISO_DATE = re.compile(
    r"(?<![0-9.])(?P<y>(?:19|20)[0-9]{2})(?P<s>[-/.])(?P<m>1[0-2]|0?[1-9])(?P=s)"
    r"(?P<d>3[01]|[12][0-9]|0?[1-9])(?![0-9])"
)

_CLAUSE_STOP = "，,。；;！？!?\n：:"


def _clause_before(work: str, pos: int, width: int) -> str:
    """Up to `width` chars before pos, cut at the last clause break."""
    left = work[max(0, pos - width) : pos]
    for i in range(len(left) - 1, -1, -1):
        if left[i] in _CLAUSE_STOP:
            return left[i + 1 :]
    return left


def find_dates(work: str, text: str, published: date | None) -> list[Fact]:
    facts: list[Fact] = []
    for m in ISO_DATE.finditer(work):
        parts = DateParts(int(m["y"]), int(m["m"]), int(m["d"]))
        if parts.to_date() is not None:
            facts.append(Fact("date", text[m.start() : m.end()], m.start(), m.end(), parts.iso()))
    taken = [(f.start, f.end) for f in facts]
    for m in DATE.finditer(work):
        if m.end() == m.start() or any(s < m.end() and m.start() < e for s, e in taken):
            continue
        fact = _date_fact(m, text, published)
        if fact is not None:
            facts.append(fact)
    return facts


def _date_fact(m: re.Match[str], text: str, published: date | None) -> Fact | None:
    rel = RELATIVE_YEARS.get(m["rel"] or "")
    year, month, day = small_int(m["y"]), small_int(m["m"]), small_int(m["d"])
    if year is None and month is None and rel is None:
        return None
    if month is not None and not 1 <= month <= 12:
        return None
    qualifier = QUALIFIERS.get(m["q"] or "")
    first = DateParts(year, month, day, rel, qualifier)
    start, end = m.start(), m.end()
    if m["sep"] and (m["m2"] or m["d2"] or m["y2"]):
        y2, m2, d2 = small_int(m["y2"]), small_int(m["m2"]), small_int(m["d2"])
        last = DateParts(
            y2 if y2 is not None else year,
            m2 if m2 is not None else month,
            d2 if d2 is not None else (None if m2 is not None else day),
            rel if y2 is None and year is None else None,
        )
        # The year of a range follows its end: "1月-9月" read in October is this year.
        last = last.with_year(published)
        first = DateParts(year if year is not None else last.year, month, day, None, qualifier)
        if first.year is None:
            first = first.with_year(published)
        value: object = {"from": first.iso(), "to": last.iso()}
        if first.iso() is None or last.iso() is None:
            return None
    else:
        if m["sep"]:  # a separator with nothing after it is not part of this date
            end = m.start("sep")
            qualifier = None
            first = DateParts(year, month, day, rel, None)
        first = first.with_year(published)
        iso = first.iso()
        if iso is None:
            return None
        value = iso
    return Fact("date", text[start:end], start, end, value, qualifier=qualifier)


def find_quantities(work: str, text: str, dates: list[Fact]) -> list[Fact]:
    """Money, area, capacity, count and rate facts."""
    facts: list[Fact] = []
    date_spans = sorted((f.start, f.end) for f in dates)
    for m in QUANTITY.finditer(work):
        num_start = m.start("num") if m["num"] else m.start("cn")
        if _inside(num_start, date_spans):
            continue
        fact = _classify(m, work, text)
        if fact is not None:
            facts.append(fact)
    for m in PERCENT_WORDS.finditer(work):
        value = parse_chinese_number(m["num"].replace("点", "."))
        if value is not None:
            facts.append(Fact("rate", text[m.start() : m.end()], m.start(), m.end(), value, unit="%"))
    return facts


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """pos inside one of the sorted, non-overlapping spans (binary search: documents can be long)."""
    i = bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _classify(m: re.Match[str], work: str, text: str) -> Fact | None:
    unit = m["unit"]
    kind = UNIT_KIND.get(unit) if unit else None
    mag = m["mag"] or ""
    raw = m["num"] or m["cn"]
    if kind == "skip" or m["pre"] in ("数", "几"):
        return None
    if m["cn"] and len(raw) == 1 and raw in "十百千万亿":
        return None  # "(万元)", "亿元以上" name a unit, not an amount
    if m["num"] and len(raw) > 1 and raw[0] == "0" and raw[1] != ".":
        return None  # 0351…: a phone or a code, not a quantity
    number = parse_chinese_number(raw)
    if number is None:
        return None
    number2 = parse_chinese_number(m["num2"]) if m["num2"] else None
    approx = bool(m["pre"] or m["more1"] or m["more2"] or m["post"] in ("以上", "左右", "上下", "之多", "许"))
    start, end = m.start(), m.end()
    cpre_code = CURRENCY_PREFIXES.get(m["cpre"] or "")
    if kind is None:
        # A bare 万/亿 is money when the clause talks about money ("研发经费支出5000万以上").
        if not mag or m["cn"] or m["per"]:
            return None
        if not cpre_code and not _money_context(work, start):
            return None
        kind = "money"
    if m["per"] and kind != "money":
        return None
    if not m["pre"] and not m["cpre"]:
        start = m.start("num") if m["num"] else m.start("cn")
    elif m["pre"] and m["cpre"]:
        pass
    elif m["cpre"] and not m["pre"]:
        start = m.start("cpre")
    if kind == "money":
        currency_word = unit if unit in CURRENCY_WORDS else None
        # "港币15亿元", "USD 3亿元": a foreign prefix names the currency, 元 only the unit.
        if cpre_code and (currency_word is None or (cpre_code != "CNY" and currency_word in ("元", "圆"))):
            currency_word = next(w for w, c in CURRENCY_WORDS.items() if c == cpre_code)
        if mag not in MAGNITUDES:
            return None
        value, code = money_to_wan(number, mag, currency_word)
        to = money_to_wan(number2, mag, currency_word)[0] if number2 is not None else None
        fact = Fact(
            "money",
            text[start:end],
            start,
            end,
            value,
            unit="万",
            currency=code,
            approx=approx,
            value_to=to,
        )
        if m["per"]:
            per = m["per"].lstrip("/每")
            fact.unit, fact.qualifier = f"万/{per}", "per"
        return fact
    if kind == "area":
        value, norm_unit = area_value(number, mag, unit)
        to = area_value(number2, mag, unit)[0] if number2 is not None else None
        return Fact("area", text[start:end], start, end, value, unit=norm_unit, approx=approx, value_to=to)
    if kind == "rate":
        if mag:
            return None
        return Fact("rate", text[start:end], start, end, tidy(number), unit=_RATE_UNITS[unit], approx=approx)
    if m["cn"] and kind == "count":
        return None
    multiplier = MAGNITUDES.get(mag, Decimal(1))
    value = tidy(number * multiplier)
    to = tidy(number2 * multiplier) if number2 is not None else None
    if kind == "count" and (mag or _production_context(work, start)):
        kind = "capacity"
    if kind == "count" and value != value.to_integral_value():
        return None
    return Fact(kind, text[start:end], start, end, value, unit=unit, approx=approx, value_to=to)


def _money_context(work: str, pos: int) -> bool:
    before = _clause_before(work, pos, 14)
    return any(w in before for w in lexicon.MONEY_CONTEXT)


def _production_context(work: str, pos: int) -> bool:
    before = _clause_before(work, pos, 10)
    return any(w in before for w in lexicon.PRODUCTION_CONTEXT)
