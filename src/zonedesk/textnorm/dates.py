"""Dates as ledgers and articles write them: 2024.3, 2024年3月, 3月底, 10月24日, Excel serials."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .charmap import normalize
from .numerals import parse_chinese_number

# Relative year words → offset from the reference (publication) year.
RELATIVE_YEARS: dict[str, int] = {
    "今年": 0,
    "本年": 0,
    "当年": 0,
    "本年度": 0,
    "去年": -1,
    "上年": -1,
    "上一年": -1,
    "前年": -2,
    "明年": 1,
    "次年": 1,
    "来年": 1,
}
# Words after a month/year that qualify the point in time.
QUALIFIERS: dict[str, str] = {
    "底前": "before",
    "末前": "before",
    "前": "before",
    "以前": "before",
    "之前": "before",
    "底": "end",
    "末": "end",
    "年底": "end",
    "初": "start",
    "上旬": "early",
    "中旬": "mid",
    "下旬": "late",
    "以来": "since",
    "起": "since",
    "后": "after",
    "以后": "after",
}
CN_NUM = "〇零一二两三四五六七八九十"
YEAR_RE = r"(?:(?:19|20)[0-9]{2}|[〇零一二三四五六七八九]{4})"
MONTH_RE = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
DAY_RE = r"(?:3[01]|[12][0-9]|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"


@dataclass(frozen=True)
class DateParts:
    """A date as written: any part may be missing; year_offset is set for 今年/去年."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    year_offset: int | None = None
    qualifier: str | None = None

    def with_year(self, published: date | None) -> DateParts:
        """Fill in the year from the publication date (今年/去年, or the nearest year)."""
        if self.year is not None or published is None:
            return self
        if self.year_offset is not None:
            return DateParts(published.year + self.year_offset, self.month, self.day, None, self.qualifier)
        if self.month is None:
            return self
        # The publication year, unless that puts the date more than half a year ahead:
        # "12月28日" in a paper published 2025-01-03 is last December.
        year = published.year
        if (_safe_date(year, self.month, self.day or 1) - published).days > 183:
            year -= 1
        return DateParts(year, self.month, self.day, None, self.qualifier)

    def iso(self) -> str | None:
        """ISO 8601 at the precision written: 2024, 2024-03, 2024-03-15, --03-15 (no year)."""
        if self.year is None:
            if self.month is None:
                return None
            return f"--{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def to_date(self) -> date | None:
        """A concrete day: the qualifier picks it when the day is missing (底 → last day)."""
        if self.year is None:
            return None
        if self.month is None:
            if self.qualifier in ("end", "before"):
                return date(self.year, 12, 31)
            return date(self.year, 1, 1)
        if self.day is not None:
            return _valid_date(self.year, self.month, self.day)
        last = calendar.monthrange(self.year, self.month)[1]
        day = {"end": last, "before": last, "mid": 15, "late": 21}.get(self.qualifier or "", 1)
        return date(self.year, self.month, day)


def _safe_date(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def small_int(s: str | None) -> int | None:
    """'3', '03', '十二', '二〇二四' → int; None for None/garbage."""
    if not s:
        return None
    value = parse_chinese_number(s)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


def excel_serial_to_date(serial: float) -> date | None:
    """Excel 1900 date system: serial 1 is 1900-01-01; 60 is Excel's phantom 1900-02-29."""
    if serial < 1 or serial > 2_958_465:
        return None
    days = int(serial)
    if days == 60:
        return None
    base = date(1899, 12, 31) if days < 60 else date(1899, 12, 30)
    return base + timedelta(days=days)


_FULL = re.compile(rf"^(?P<y>{YEAR_RE})[-/.年](?P<m>{MONTH_RE})[-/.月](?P<d>{DAY_RE})[日号]?$")
_COMPACT = re.compile(r"^(?P<y>(?:19|20)[0-9]{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12][0-9]|3[01])$")
_YEAR_MONTH = re.compile(
    rf"^(?P<y>{YEAR_RE})(?:[-/.]|年)(?P<m>{MONTH_RE})(?:月份?)?(?P<q>底前|末前|底|末|初|上旬|中旬|下旬|前)?$"
)
_YEAR = re.compile(rf"^(?P<y>{YEAR_RE})(?:年度?)?(?P<q>底前|底|末|初|前)?$")
_REL_MONTH_DAY = re.compile(
    rf"^(?P<rel>{'|'.join(RELATIVE_YEARS)})?(?:(?P<y>{YEAR_RE})年)?(?P<m>{MONTH_RE})月"
    rf"(?:(?P<d>{DAY_RE})[日号])?(?P<q>底前|末前|底|末|初|上旬|中旬|下旬|前)?$"
)
_MONTH_RANGE = re.compile(
    rf"^(?P<rel>{'|'.join(RELATIVE_YEARS)})?(?:(?P<y>{YEAR_RE})年)?(?P<m1>{MONTH_RE})月?"
    rf"(?:-|~|至|到|—|－)(?P<m2>{MONTH_RE})月(?:份)?$"
)
_PERIODS = "上半年|下半年|[一二三四1-4]季度|第[一二三四1-4]季度|年底|年初"
_HALF = re.compile(rf"^(?P<rel>{'|'.join(RELATIVE_YEARS)})?(?:(?P<y>{YEAR_RE})年)?(?P<h>{_PERIODS})$")


def parse_date(
    s: str | float | date | datetime | None, published: date | None = None
) -> date | tuple[date, date] | None:
    """Parse a date cell or phrase; a period comes back as a (first, last) tuple.

    >>> parse_date("2024.3")                 # month precision → first day of the month
    datetime.date(2024, 3, 1)
    >>> parse_date("2024年3月")
    datetime.date(2024, 3, 1)
    >>> parse_date("2024/3/15"), parse_date("2024-03-15")
    (datetime.date(2024, 3, 15), datetime.date(2024, 3, 15))
    >>> parse_date("3月底", published=date(2024, 2, 1))
    datetime.date(2024, 3, 31)
    >>> parse_date("10月24日", published=date(2024, 10, 25))
    datetime.date(2024, 10, 24)
    >>> parse_date("1月-9月", published=date(2024, 10, 25))
    (datetime.date(2024, 1, 1), datetime.date(2024, 9, 30))
    >>> parse_date(45366)                     # Excel serial, 1900 date system
    datetime.date(2024, 3, 15)
    >>> parse_date("3月底") is None           # no year and nothing to resolve it against
    True

    Qualifiers: 底/末/前 → last day of the period, 中旬 → 15th, 下旬 → 21st, else the 1st.
    """
    if s is None or isinstance(s, bool):
        return None
    if isinstance(s, datetime):
        return s.date()
    if isinstance(s, date):
        return s
    if isinstance(s, (int, float)):
        return excel_serial_to_date(float(s))
    text = normalize(s).strip().replace(" ", "")
    if not text:
        return None
    if m := _FULL.match(text):
        y, mo, d = small_int(m["y"]), small_int(m["m"]), small_int(m["d"])
        return _valid_date(y, mo, d) if y and mo and d else None
    if m := _COMPACT.match(text):
        return _valid_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if m := _YEAR_MONTH.match(text):
        parts = DateParts(small_int(m["y"]), small_int(m["m"]), None, None, QUALIFIERS.get(m["q"] or ""))
        return parts.to_date() if parts.month and 1 <= parts.month <= 12 else None
    if m := _YEAR.match(text):
        return DateParts(small_int(m["y"]), None, None, None, QUALIFIERS.get(m["q"] or "")).to_date()
    if m := _REL_MONTH_DAY.match(text):
        parts = DateParts(
            small_int(m["y"]),
            small_int(m["m"]),
            small_int(m["d"]),
            RELATIVE_YEARS.get(m["rel"] or ""),
            QUALIFIERS.get(m["q"] or ""),
        ).with_year(published)
        return parts.to_date()
    if m := _MONTH_RANGE.match(text):
        # The year is inferred from the end of the range: "1月-9月" read in October is this year.
        rel = RELATIVE_YEARS.get(m["rel"] or "")
        last = DateParts(small_int(m["y"]), small_int(m["m2"]), None, rel, "end")
        last = last.with_year(published)
        if last.year is None:
            return None
        first = DateParts(last.year, small_int(m["m1"]))
        a, b = first.to_date(), last.to_date()
        return (a, b) if a and b and a <= b else None
    if m := _HALF.match(text):
        year = small_int(m["y"])
        if year is None and published is not None:
            year = published.year + RELATIVE_YEARS.get(m["rel"] or "", 0)
        if year is None:
            return None
        return _period(year, m["h"])
    return None


def _period(year: int, word: str) -> tuple[date, date]:
    if word == "上半年":
        return date(year, 1, 1), date(year, 6, 30)
    if word == "下半年":
        return date(year, 7, 1), date(year, 12, 31)
    if word == "年底":
        return date(year, 12, 1), date(year, 12, 31)
    if word == "年初":
        return date(year, 1, 1), date(year, 2, calendar.monthrange(year, 2)[1])
    quarter = "一二三四1234".index(word.strip("第季度")) % 4 + 1
    first = date(year, 3 * quarter - 2, 1)
    last_month = 3 * quarter
    return first, date(year, last_month, calendar.monthrange(year, last_month)[1])
