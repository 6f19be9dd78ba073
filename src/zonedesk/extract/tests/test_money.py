from decimal import Decimal

import pytest

from zonedesk.extract import extract


def money(text):
    return [(f.text, f.value, f.currency, f.approx) for f in extract(text).facts if f.kind == "money"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("签约总金额约22.22亿元。", ("约22.22亿元", "222200", "CNY", True)),
        ("项目总投资2000万元。", ("2000万元", "2000", "CNY", False)),
        ("总投资4500万美元。", ("4500万美元", "4500", "USD", False)),
        ("产值突破千亿元。", ("千亿元", "10000000", "CNY", False)),
        ("打造百亿元产业集群。", ("百亿元", "1000000", "CNY", False)),
        ("总投资三亿元。", ("三亿元", "30000", "CNY", False)),
        ("总投资一千五百万元。", ("一千五百万元", "1500", "CNY", False)),
        ("投资12。5億元建设。", ("12。5億元", "125000", "CNY", False)),
        ("总投资２２．２２亿元。", ("２２．２２亿元", "222200", "CNY", False)),
        ("總投資約３億元。", ("約３億元", "30000", "CNY", True)),
        ("投资额达8000萬元。", ("8000萬元", "8000", "CNY", False)),
        ("研发经费支出5000万以上的企业", ("5000万以上", "5000", "CNY", True)),
        ("项目总投资1.5亿，", ("1.5亿", "15000", "CNY", False)),
        ("引进资金近3亿元，", ("近3亿元", "30000", "CNY", True)),
        ("利用外资超5000万美元。", ("超5000万美元", "5000", "USD", True)),
        ("营收300余万元。", ("300余万元", "300", "CNY", True)),
        ("投资2亿多元。", ("2亿多元", "20000", "CNY", True)),
        ("总投资约22亿港元。", ("约22亿港元", "220000", "HKD", True)),
        ("投资3000万欧元。", ("3000万欧元", "3000", "EUR", False)),
        ("奖励资金50000元。", ("50000元", "5", "CNY", False)),
        ("总投资12,000万元。", ("12,000万元", "12000", "CNY", False)),
        ("总投资1.2万亿元。", ("1.2万亿元", "120000000", "CNY", False)),
        ("5亿元以上重大项目2个", ("5亿元以上", "50000", "CNY", True)),
    ],
)
def test_money_forms_are_normalised_to_wan(text, expected):
    fact_text, value, currency, approx = expected
    assert money(text) == [(fact_text, Decimal(value), currency, approx)]


def test_money_range_keeps_both_ends():
    [fact] = [f for f in extract("计划总投资3-5亿元。").facts if f.kind == "money"]
    assert (fact.text, fact.value, fact.value_to) == ("3-5亿元", Decimal(30000), Decimal(50000))


def test_money_per_mu_is_a_rate_not_an_amount():
    [fact] = [f for f in extract("投资强度不低于300万元/亩。").facts if f.kind == "money"]
    assert (fact.text, fact.value, fact.unit, fact.qualifier, fact.approx) == (
        "不低于300万元/亩",
        Decimal(300),
        "万/亩",
        "per",
        True,
    )


@pytest.mark.parametrize(
    "text",
    [
        "年产10万吨铝材。",
        "装机容量100万千瓦。",
        "年产2000万支注射剂。",
        "入驻企业30余家。",
        "签约项目9个。",
        "开复工率95.8%。",
        "高出全市18.6个百分点。",
        "联系电话：0351-7654321。",
        "电话13800138000。",
        "预计2026年6月前完成。",
        "2024年工作会议召开。",
        "全市人口300万。",
        "近万名产业工人。",
        "打造千亿级铝镁产业集群。",
        "年供水6205万立方米。",
        "700MPa级超高强铝合金。",
        "JH032注射液。",
        "单位：万元",
        "亿元以上项目27个",
    ],
)
def test_traps_are_not_money(text):
    assert money(text) == []
