"""Period arithmetic for dispatch, in one place: months, ISO weeks and years, their bounds, the previous
period, the same period last year, the elapsed share of the year (时间进度) and the ``Window`` a KPI,
a ranking or a bulletin is computed for. Nothing else in dispatch adds days to find a month's end."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zonedesk.core.errors import ValidationFailed
from zonedesk.core.inputs import limits

from .calendar import local_day
from .choices import Frequency


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    first_of_next = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first_of_next - dt.timedelta(days=1)


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    return day.replace(day=1), month_end(day)


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The ISO week (Monday to Sunday) containing ``day``."""
    start = day - dt.timedelta(days=day.weekday())
    return start, start + dt.timedelta(days=6)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def month_label(start: dt.date) -> str:
    return f"{start.year}年{start.month}月"


def week_label(start: dt.date) -> str:
    iso = start.isocalendar()
    return f"{iso.year}年第{iso.week}周"


def period_bounds(frequency: str, day: dt.date) -> tuple[dt.date, dt.date, str]:
    """The reporting period of ``frequency`` (monthly / weekly) containing ``day``: (start, end, label)."""
    if frequency == Frequency.MONTHLY:
        start, end = month_bounds(day)
        return start, end, month_label(start)
    start, end = week_bounds(day)
    return start, end, week_label(start)


def elapsed_share(day: dt.date) -> Decimal:
    """时间进度 at ``day``: days elapsed in its year (``day`` included) ÷ days in the year."""
    start = dt.date(day.year, 1, 1)
    days_in_year = (dt.date(day.year + 1, 1, 1) - start).days
    return Decimal((day - start).days + 1) / Decimal(days_in_year)


@dataclass(frozen=True)
class Window:
    """The period a KPI is computed for: the period itself, and the year up to its end."""

    start: dt.date
    end: dt.date
    label: str

    # ------------------------------------------------------------ making one
    @classmethod
    def month(cls, year: int, month: int) -> Window:
        start = dt.date(year, month, 1)
        return cls(start, month_end(start), month_label(start))

    @classmethod
    def week(cls, year: int, week: int) -> Window:
        start = dt.date.fromisocalendar(year, week, 1)
        return cls(start, start + dt.timedelta(days=6), f"{year}年第{week}周")

    @classmethod
    def of_year(cls, year: int) -> Window:
        return cls(*year_bounds(year), f"{year}年")

    @classmethod
    def month_of(cls, day: dt.date) -> Window:
        return cls.month(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Window:
        """ "2026-10" (a month), "2026-W42" (an ISO week) or "2026" (a year), its year within the
        installation's period range (``ZONEDESK_INPUT["PERIOD_RANGE"]``, default 1990–2100)."""
        text = (text or "").strip()
        m = re.match(r"(\d{4})(?:-|$)", text)
        if m:
            first, last = limits()["PERIOD_RANGE"]
            if not first <= int(m.group(1)) <= last:
                raise ValidationFailed(
                    _("期次无效"),
                    fields={
                        "period": [
                            _("期次年份应在 %(first)s 至 %(last)s 之间：%(text)s")
                            % {"first": first, "last": last, "text": text}
                        ]
                    },
                )
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if not 1 <= month <= 12:
                raise ValidationFailed(
                    _("期次无效"), fields={"period": [_("月份应为 1–12：%(text)s") % {"text": text}]}
                )
            return cls.month(year, month)
        m = re.fullmatch(r"(\d{4})-W(\d{1,2})", text, re.I)
        if m:
            try:
                return cls.week(int(m.group(1)), int(m.group(2)))
            except ValueError:
                raise ValidationFailed(
                    _("期次无效"), fields={"period": [_("周次无效：%(text)s") % {"text": text}]}
                ) from None
        m = re.fullmatch(r"(\d{4})", text)
        if m:
            return cls.of_year(int(m.group(1)))
        raise ValidationFailed(
            _("期次格式无效"),
            fields={"period": [_("期次应写作 2026-10、2026-W42 或 2026：%(text)s") % {"text": text}]},
        )

    # ------------------------------------------------------------ what it is
    @property
    def kind(self) -> str:
        """ "year", "month", "week", or "span" for any other run of days (a test's "本月至今")."""
        if (self.start, self.end) == year_bounds(self.start.year):
            return "year"
        if self.start.day == 1 and self.end == month_end(self.start):
            return "month"
        if self.start.weekday() == 0 and self.end - self.start == dt.timedelta(days=6):
            return "week"
        return "span"

    @property
    def year(self) -> int:
        return self.end.year

    @property
    def as_of(self) -> dt.date:
        """The period's end, or today (Beijing) while the period is still running: a condition judged
        "by then" (超时限未开工) must not count what falls due later in the current month as late."""
        return min(self.end, local_day())

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.end.year, 1, 1)

    @property
    def elapsed_share(self) -> Decimal:
        """Days elapsed in the year at the period's end ÷ days in the year (时间进度)."""
        return elapsed_share(self.end)

    @property
    def elapsed_pct(self) -> Decimal:
        return self.elapsed_share * 100

    # ------------------------------------------------------------ its neighbours
    def previous(self) -> Window:
        """The period before this one, of the same kind (a span: as many days, ending the day before)."""
        kind = self.kind
        if kind == "year":
            return Window.of_year(self.start.year - 1)
        if kind == "month":
            return Window.month_of(self.start - dt.timedelta(days=1))
        if kind == "week":
            iso = (self.start - dt.timedelta(days=7)).isocalendar()
            return Window.week(iso.year, iso.week)
        days = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return Window(end - days, end, f"{end - days:%Y-%m-%d}—{end:%Y-%m-%d}")

    def same_period_last_year(self) -> Window:
        """The same period a year earlier (同比): the same month, the same ISO week number (the last
        week of a year without week 53), the year before."""
        kind = self.kind
        if kind == "year":
            return Window.of_year(self.start.year - 1)
        if kind == "month":
            return Window.month(self.start.year - 1, self.start.month)
        if kind == "week":
            iso = self.start.isocalendar()
            last = dt.date(iso.year - 1, 12, 28).isocalendar().week  # 28 December is always in the last week
            return Window.week(iso.year - 1, min(iso.week, last))

        def back(day: dt.date) -> dt.date:
            return (
                day.replace(year=day.year - 1)
                if (day.month, day.day) != (2, 29)
                else day.replace(year=day.year - 1, day=28)
            )

        return Window(
            back(self.start), back(self.end), f"{back(self.start):%Y-%m-%d}—{back(self.end):%Y-%m-%d}"
        )

    def month_ends(self) -> list[dt.date]:
        """The last day of each month from January to the window's end (the window's end in its own month)."""
        return [min(month_end(dt.date(self.year, m, 1)), self.end) for m in range(1, self.end.month + 1)]

    # ------------------------------------------------------------ how it reads
    @property
    def ytd_label(self) -> str:
        return f"{self.year}年1—{self.end.month}月" if self.end.month > 1 else f"{self.year}年1月"

    def display(self) -> str:
        """The window as pages show it: the Chinese label, or ISO-like text on English pages (``label``
        itself stays Chinese: bulletins and stored periods use it)."""
        if not (get_language() or "").startswith("en"):
            return self.label
        if self.start.month == 1 and self.start.day == 1 and self.end == dt.date(self.end.year, 12, 31):
            return str(self.end.year)
        if self.start.day == 1 and self.end.month == self.start.month:
            return f"{self.start:%b} {self.start.year}"
        iso = self.start.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"

    def ytd_display(self) -> str:
        if not (get_language() or "").startswith("en"):
            return self.ytd_label
        return f"Jan–{self.end:%b} {self.year}" if self.end.month > 1 else f"Jan {self.year}"


def last_month(day: dt.date | None = None) -> Window:
    """The month before ``day`` (default: today in Beijing): the period pages open on."""
    return Window.month_of(day or local_day()).previous()
