from decimal import Decimal

import pytest

from zonedesk.textnorm import parse_chinese_number, to_json_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三亿", "300000000"),
        ("一千五百", "1500"),
        ("两万", "20000"),
        ("十二", "12"),
        ("二十", "20"),
        ("一百零五", "105"),
        ("一百五", "150"),
        ("两万五", "25000"),
        ("三亿五千万", "350000000"),
        ("千亿", "100000000000"),
        ("百亿", "10000000000"),
        ("2.5万", "25000"),
        ("1.2万亿", "1200000000000"),
        ("1,500", "1500"),
        ("12,000.5", "12000.5"),
        ("１２．５", "12.5"),
        ("12。5", "12.5"),
        ("二〇二四", "2024"),
        ("壹佰贰拾", "120"),
        ("4500", "4500"),
    ],
)
def test_parse_chinese_number_reads_every_written_form(text, expected):
    assert parse_chinese_number(text) == Decimal(expected)


@pytest.mark.parametrize("garbage", ["", "约三亿", "abc", "3亿元", "待定", "—", None, True])
def test_parse_chinese_number_returns_none_for_non_numbers(garbage):
    assert parse_chinese_number(garbage) is None


def test_parse_chinese_number_passes_numbers_through():
    assert parse_chinese_number(45) == Decimal(45)
    assert parse_chinese_number(2.5) == Decimal("2.5")
    assert parse_chinese_number(Decimal(7)) == Decimal(7)


def test_to_json_number_uses_int_when_integral():
    assert to_json_number(Decimal("222200.00")) == 222200
    assert isinstance(to_json_number(Decimal("222200.00")), int)
    assert to_json_number(Decimal("40.8")) == 40.8
