from decimal import Decimal

import pytest

from zonedesk.textnorm import area_to, money_in_unit, parse_area, parse_money_wan


@pytest.mark.parametrize(
    ("text", "default_unit", "expected"),
    [
        ("22.22亿元", "万元", ("222200", "CNY", False)),
        ("2000万元", "万元", ("2000", "CNY", False)),
        ("4500万美元", "万元", ("4500", "USD", False)),
        ("约3亿", "万元", ("30000", "CNY", True)),
        ("1.5亿元", "万元", ("15000", "CNY", False)),
        ("三亿元", "万元", ("30000", "CNY", False)),
        ("千亿元", "万元", ("10000000", "CNY", False)),
        ("百亿元", "万元", ("1000000", "CNY", False)),
        ("５０００万", "万元", ("5000", "CNY", False)),
        ("5000万以上", "万元", ("5000", "CNY", True)),
        ("12,000", "万元", ("12000", "CNY", False)),
        ("3.5", "亿元", ("35000", "CNY", False)),
        ("800000", "元", ("80", "CNY", False)),
        ("450", "万美元", ("450", "USD", False)),
        ("12。5億元", "万元", ("125000", "CNY", False)),
        ("２２．２２億元", "万元", ("222200", "CNY", False)),
        ("3億港元", "万元", ("30000", "HKD", False)),
        ("1500餘萬元", "万元", ("1500", "CNY", True)),
        ("人民币3亿元", "万元", ("30000", "CNY", False)),
        ("近5亿欧元", "万元", ("50000", "EUR", True)),
    ],
)
def test_parse_money_wan_reads_cells_and_phrases(text, default_unit, expected):
    value, currency, approx = expected
    assert parse_money_wan(text, default_unit=default_unit) == (Decimal(value), currency, approx)


@pytest.mark.parametrize("garbage", ["", "待定", "亿元", "约", "3亿元整体打包", "abc", None])
def test_parse_money_wan_returns_none_on_garbage(garbage):
    assert parse_money_wan(garbage) is None


def test_parse_money_wan_rejects_an_unknown_default_unit():
    with pytest.raises(ValueError, match="default_unit"):
        parse_money_wan("12", default_unit="千美元")


def test_parse_money_wan_accepts_numbers_from_spreadsheets():
    assert parse_money_wan(12000) == (Decimal(12000), "CNY", False)
    assert parse_money_wan(3.5, default_unit="亿元") == (Decimal(35000), "CNY", False)


@pytest.mark.parametrize(
    ("text", "default_unit", "expected"),
    [
        ("1500余亩", "亩", ("1500", "亩", True)),
        ("3万平方米", "亩", ("30000", "平方米", False)),
        ("近3万平方米", "亩", ("30000", "平方米", True)),
        ("20公顷", "亩", ("300", "亩", False)),
        ("1.2平方公里", "亩", ("1200000", "平方米", False)),
        ("1.8万亩", "亩", ("18000", "亩", False)),
        ("256畝", "亩", ("256", "亩", False)),
        ("2200㎡", "亩", ("2200", "平方米", False)),
        ("2200m²", "亩", ("2200", "平方米", False)),
        ("85", "亩", ("85", "亩", False)),
        ("85", "平方米", ("85", "平方米", False)),
        ("两百亩", "亩", ("200", "亩", False)),
    ],
)
def test_parse_area_normalises_to_mu_or_square_metres(text, default_unit, expected):
    value, unit, approx = expected
    assert parse_area(text, default_unit=default_unit) == (Decimal(value), unit, approx)


@pytest.mark.parametrize("garbage", ["", "若干", "亩", "3万吨", None])
def test_parse_area_returns_none_on_garbage(garbage):
    assert parse_area(garbage) is None


@pytest.mark.parametrize(
    ("target", "value", "unit", "expected"),
    [
        ("亩", "6666.7", "平方米", "10"),  # 10.00005 → cents, tidied
        ("亩", "30000", "平方米", "45"),
        ("亩", "1000", "平方米", "1.5"),
        ("亩", "85.5", "平方米", "0.13"),
        ("平方米", "120", "亩", "80000"),
        ("平方米", "1", "亩", "666.67"),
        ("亩", "120.125", "亩", "120.125"),  # already in the unit: as it is, not rounded
        ("平方米", "85.00", "平方米", "85.00"),
    ],
)
def test_area_to_converts_between_mu_and_m2_to_the_cent(target, value, unit, expected):
    assert str(area_to(target, Decimal(value), unit)) == expected


def test_area_to_refuses_a_unit_it_does_not_keep():
    with pytest.raises(ValueError):
        area_to("亩", Decimal(1), "公顷")


@pytest.mark.parametrize(
    ("number", "unit", "expected"),
    [
        ("3.5", "亿元", ("35000", "CNY")),
        ("800000", "元", ("80", "CNY")),
        ("12000", "万元", ("12000", "CNY")),
        ("450", "万美元", ("450", "USD")),
        ("2", "千元", ("0.2", "CNY")),
        ("3", "万港元", ("3", "HKD")),
    ],
)
def test_money_in_unit_reads_a_bare_number_as_parse_money_wan_does(number, unit, expected):
    value, currency = money_in_unit(Decimal(number), unit)
    assert (str(value), currency) == expected
    assert parse_money_wan(number, default_unit=unit) == (value, currency, False)


def test_money_in_unit_knows_only_money_units():
    assert money_in_unit(Decimal(1), "亩") is None
