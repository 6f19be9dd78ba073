import datetime as dt
from decimal import Decimal

import pytest

from zonedesk.core.errors import ValidationFailed
from zonedesk.dispatch.periods import Window, elapsed_share, last_month, month_end, period_bounds

D = dt.date


def test_kinds_of_window():
    assert [Window.parse(t).kind for t in ("2026-10", "2026-W42", "2026")] == ["month", "week", "year"]
    assert Window(D(2026, 11, 1), D(2026, 11, 20), "本月至今").kind == "span"


def test_previous_period_of_each_kind():
    assert Window.parse("2026-01").previous() == Window.parse("2025-12")
    assert Window.parse("2026-03").previous().end == D(2026, 2, 28)
    assert Window.parse("2026-W01").previous() == Window.parse("2025-W52")
    assert Window.parse("2026").previous() == Window.parse("2025")
    span = Window(D(2026, 11, 11), D(2026, 11, 20), "x").previous()
    assert (span.start, span.end) == (D(2026, 11, 1), D(2026, 11, 10))


def test_same_period_last_year():
    assert Window.parse("2026-10").same_period_last_year() == Window.parse("2025-10")
    assert Window.parse("2026-W42").same_period_last_year() == Window.parse("2025-W42")
    assert Window.parse("2026-W53").same_period_last_year() == Window.parse("2025-W52")  # 2025 has 52 weeks
    assert Window.parse("2021-W01").previous() == Window.parse("2020-W53")
    leap = Window(D(2028, 2, 1), D(2028, 2, 29), "x").same_period_last_year()
    assert (leap.start, leap.end) == (D(2027, 2, 1), D(2027, 2, 28))


def test_bounds_and_labels():
    assert month_end(D(2024, 2, 10)) == D(2024, 2, 29)
    assert period_bounds("monthly", D(2026, 12, 31)) == (D(2026, 12, 1), D(2026, 12, 31), "2026年12月")
    assert period_bounds("weekly", D(2026, 10, 14)) == (D(2026, 10, 12), D(2026, 10, 18), "2026年第42周")
    assert Window.parse("2026-W42").label == "2026年第42周"
    assert last_month(D(2026, 1, 5)) == Window.parse("2025-12")


def test_elapsed_share_counts_the_end_day_and_leap_years():
    assert Window.parse("2026-10").elapsed_pct == Decimal(304) / Decimal(365) * 100
    assert elapsed_share(D(2024, 12, 31)) == Decimal(1)
    assert elapsed_share(D(2024, 1, 1)) == Decimal(1) / Decimal(366)


def test_month_ends_stop_at_the_window_end():
    window = Window(D(2026, 1, 1), D(2026, 3, 15), "x")
    assert window.month_ends() == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 15)]


def test_bad_periods_are_refused_naming_the_field():
    for text in ("2026-13", "2026-W60", "十月"):
        with pytest.raises(ValidationFailed) as exc:
            Window.parse(text)
        assert list(exc.value.fields) == ["period"]
