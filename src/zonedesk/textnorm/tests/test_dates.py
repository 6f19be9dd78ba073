from datetime import date

import pytest

from zonedesk.textnorm import excel_serial_to_date, parse_date

PUBLISHED = date(2024, 10, 25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024.3", date(2024, 3, 1)),
        ("2024年3月", date(2024, 3, 1)),
        ("2024年3月份", date(2024, 3, 1)),
        ("2024/3/15", date(2024, 3, 15)),
        ("2024-03-15", date(2024, 3, 15)),
        ("2024年3月15日", date(2024, 3, 15)),
        ("20240315", date(2024, 3, 15)),
        ("２０２４年３月１５日", date(2024, 3, 15)),
        ("二〇二四年三月", date(2024, 3, 1)),
        ("2024年", date(2024, 1, 1)),
        ("2026年6月底", date(2026, 6, 30)),
        ("2026年6月前", date(2026, 6, 30)),
    ],
)
def test_parse_date_reads_absolute_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3月底", date(2024, 3, 31)),
        ("10月24日", date(2024, 10, 24)),
        ("今年3月", date(2024, 3, 1)),
        ("去年9月26日", date(2023, 9, 26)),
        ("12月中旬", date(2024, 12, 15)),
    ],
)
def test_parse_date_resolves_year_from_publication(text, expected):
    assert parse_date(text, published=PUBLISHED) == expected


def test_parse_date_takes_last_year_for_a_late_month_read_in_january():
    assert parse_date("12月28日", published=date(2025, 1, 3)) == date(2024, 12, 28)


def test_parse_date_returns_ranges_as_tuples():
    assert parse_date("1月-9月", published=PUBLISHED) == (date(2024, 1, 1), date(2024, 9, 30))
    assert parse_date("2024年1-6月") == (date(2024, 1, 1), date(2024, 6, 30))
    assert parse_date("上半年", published=PUBLISHED) == (date(2024, 1, 1), date(2024, 6, 30))
    assert parse_date("2024年三季度") == (date(2024, 7, 1), date(2024, 9, 30))


def test_parse_date_reads_excel_serials_in_the_1900_system():
    assert parse_date(45366) == date(2024, 3, 15)
    assert parse_date(45366.75) == date(2024, 3, 15)
    assert excel_serial_to_date(1) == date(1900, 1, 1)
    assert excel_serial_to_date(59) == date(1900, 2, 28)
    assert excel_serial_to_date(61) == date(1900, 3, 1)
    assert excel_serial_to_date(60) is None  # Excel's phantom 1900-02-29


@pytest.mark.parametrize("garbage", ["", "待定", "3月底", "2024年13月", "2024-02-30", None])
def test_parse_date_returns_none_when_it_cannot_tell(garbage):
    assert parse_date(garbage) is None


def test_parse_date_passes_dates_through():
    assert parse_date(date(2024, 1, 2)) == date(2024, 1, 2)
