from decimal import Decimal

import pytest

from zonedesk.extract import extract


def facts(text, kind, published=None):
    return [(f.text, f.value, f.unit, f.approx) for f in extract(text, published).facts if f.kind == kind]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("占地256亩。", ("256亩", "256", "亩", False)),
        ("总面积1500余亩。", ("1500余亩", "1500", "亩", True)),
        ("培育1.8万亩沙棘林。", ("1.8万亩", "18000", "亩", False)),
        ("面积约5万平方米。", ("约5万平方米", "50000", "平方米", True)),
        ("总建筑面积为1500平方米。", ("1500平方米", "1500", "平方米", False)),
        ("出让工业用地86.5公顷。", ("86.5公顷", "1297.5", "亩", False)),
        ("规划面积12平方公里。", ("12平方公里", "12000000", "平方米", False)),
        ("佔地３.２公頃。", ("３.２公頃", "48", "亩", False)),
        ("合計１８０畝。", ("１８０畝", "180", "亩", False)),
        ("厂房2200㎡。", ("2200㎡", "2200", "平方米", False)),
        ("厂房3000m²。", ("3000m²", "3000", "平方米", False)),
        ("盘活土地两百亩。", ("两百亩", "200", "亩", False)),
        ("近3万平方米的厂房", ("近3万平方米", "30000", "平方米", True)),
    ],
)
def test_area_forms_are_normalised_to_mu_or_square_metres(text, expected):
    fact_text, value, unit, approx = expected
    assert facts(text, "area") == [(fact_text, Decimal(value), unit, approx)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("年产10万吨铝材。", ("10万吨", "100000", "吨")),
        ("年产能规模可达100万千瓦。", ("100万千瓦", "1000000", "千瓦")),
        ("年产2000万支注射剂。", ("2000万支", "20000000", "支")),
        ("年产120万件零部件。", ("120万件", "1200000", "件")),
        ("每日处理污水12万吨。", ("12万吨", "120000", "吨")),
    ],
)
def test_capacities_are_their_own_kind(text, expected):
    fact_text, value, unit = expected
    assert facts(text, "capacity") == [(fact_text, Decimal(value), unit, False)]


def test_counts_and_rates():
    assert facts("签约项目9个，入驻企业30余家。", "count") == [
        ("9个", Decimal(9), "个", False),
        ("30余家", Decimal(30), "家", True),
    ]
    assert facts("开复工率95.8%，高出18.6个百分点。", "rate") == [
        ("95.8%", Decimal("95.8"), "%", False),
        ("18.6个百分点", Decimal("18.6"), "个百分点", False),
    ]


def date_values(text, published=None):
    return [(f.text, f.value, f.qualifier) for f in extract(text, published).facts if f.kind == "date"]


def test_dates_without_a_publication_date_keep_the_precision_written():
    assert date_values("10月24日，预计2026年6月前完成。") == [
        ("10月24日", "--10-24", None),
        ("2026年6月前", "2026-06", "before"),
    ]


def test_dates_resolve_against_the_publication_date():
    from datetime import date

    assert date_values("今年3月签约，去年9月26日开工，10月24日投产。", date(2024, 10, 25)) == [
        ("今年3月", "2024-03", None),
        ("去年9月26日", "2023-09-26", None),
        ("10月24日", "2024-10-24", None),
    ]


def test_date_ranges_come_as_from_and_to():
    from datetime import date

    assert date_values("今年1月-9月，完成签约。", date(2024, 10, 25)) == [
        ("今年1月-9月", {"from": "2024-01", "to": "2024-09"}, None),
    ]
    assert date_values("10月22日至25日，考察团赴津。") == [
        ("10月22日至25日", {"from": "--10-22", "to": "--10-25"}, None),
    ]
    assert date_values("5-10月举办比赛。") == [("5-10月", {"from": "--05", "to": "--10"}, None)]


def test_iso_dates_in_text():
    assert date_values("于2024-03-15签约") == [("2024-03-15", "2024-03-15", None)]


def names(text, kind):
    return [f.value for f in extract(text).facts if f.kind == kind]


def test_zone_names_full_and_short():
    text = (
        "近日，项目成功入驻山西省太原市中北高新技术产业开发区。在长治高新区新落成的研发中心，"
        "兴县经开区、综改区新能源招商中心和运城经济技术开发区党工委参加。"
    )
    assert names(text, "zone") == [
        "山西省太原市中北高新技术产业开发区",
        "长治高新区",
        "兴县经开区",
        "综改区",
        "运城经济技术开发区",
    ]


def test_generic_zone_words_are_not_zone_names():
    text = "推动新政策在开发区落地见效，全省开发区考核，国家高新区考核评价，打造开发区升级版。"
    assert names(text, "zone") == []


def test_enterprise_names():
    text = (
        "与山西万盛源新能源集团有限责任公司、中海石油气电集团有限责任公司华北分公司签署协议。"
        "纵联农业(北京)有限公司执行总经理到访，京东集团来函，屯留经济技术开发区企业太行药业股份有限公司入选。"
        "中铁十四局集团等参建单位坚守岗位，朔州经济开发区创新投资建设管理有限公司负责施工。"
    )
    assert names(text, "enterprise") == [
        "山西万盛源新能源集团有限责任公司",
        "中海石油气电集团有限责任公司华北分公司",
        "纵联农业(北京)有限公司",
        "京东集团",
        "太行药业股份有限公司",
        "中铁十四局集团",
        "朔州经济开发区创新投资建设管理有限公司",
    ]


def test_company_in_general_is_not_a_company_name():
    text = "他介绍了公司的发展历程，欢迎某某农业(北京)有限公司前来投资，产业规划与公司发展方向契合。"
    assert names(text, "enterprise") == ["某某农业(北京)有限公司"]


def test_stage_words_map_to_ledger_codes():
    text = "储备项目、在谈项目、签约、落地、入驻、供地、开工、复工、在建、竣工投产、试产、达产。"
    assert names(text, "stage") == [
        "reserve",
        "negotiating",
        "signed",
        "landed",
        "landed",
        "land_supplied",
        "started",
        "started",
        "started",
        "in_production",
        "in_production",
        "at_capacity",
    ]


def test_stage_words_in_a_plan_are_marked_planned():
    [fact] = [f for f in extract("力争早日投产。").facts if f.kind == "stage"]
    assert (fact.value, fact.qualifier) == ("in_production", "planned")
