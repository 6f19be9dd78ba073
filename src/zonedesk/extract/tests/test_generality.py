"""Rules written for texts the extractor has never seen: other provinces, work reports,
traditional characters, foreign currencies, pipe tables. Each test is one general rule."""

import json
from decimal import Decimal

import pytest

from zonedesk.extract import extract
from zonedesk.extract.evaluate import evaluate_document, read_text

from ._paths import OWN_TEXTS

GOLD = sorted(OWN_TEXTS.glob("*.json"))


@pytest.mark.parametrize("gold_path", GOLD, ids=[p.stem for p in GOLD])
def test_every_own_text_scores_full_marks(gold_path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    report = evaluate_document(read_text(OWN_TEXTS / gold["doc"]), gold)
    assert report.money.misses == [] and report.money.false_positives == []
    assert report.area.misses == [] and report.area.false_positives == []
    assert report.projects.misses == []
    assert (report.projects.zone_right, report.projects.stage_right) == (
        report.projects.zone_total,
        report.projects.stage_total,
    )
    assert report.traps_violated == []


def test_a_foreign_currency_prefix_wins_over_yuan():
    money = extract("投资额港币１５億元，另有USD 3亿元。").of_kind("money")
    assert [(f.text, f.value, f.currency) for f in money] == [
        ("港币１５億元", Decimal(150000), "HKD"),
        ("USD 3亿元", Decimal(30000), "USD"),
    ]


def test_eur_and_mop_amounts_keep_their_currency():
    money = extract("项目总投资6800万欧元，另一项目总投资约７５億澳門元。").of_kind("money")
    assert [(f.value, f.currency, f.approx) for f in money] == [
        (Decimal(6800), "EUR", False),
        (Decimal(750000), "MOP", True),
    ]


def test_stray_full_stop_inside_a_euro_amount():
    (f,) = extract("共签约项目６个，总投资约4。8亿欧元。").of_kind("money")
    assert (f.text, f.value, f.currency) == ("约4。8亿欧元", Decimal(48000), "EUR")


def test_pipe_table_with_progress_and_investor_columns():
    text = (
        "单位：万美元\n"
        "| 序号 | 项目名称 | 投资方 | 总投资 | 用地面积（公顷） | 项目进展 |\n"
        "| 1 | 氢燃料电池电堆项目 | 现代摩比斯株式会社 | 12000 | 6 | 已开工 |\n"
    )
    (p,) = extract(text).projects
    assert (p.name, p.enterprise, p.investment_wan, p.currency, p.land_mu, p.stage) == (
        "氢燃料电池电堆项目",
        "现代摩比斯株式会社",
        Decimal(12000),
        "USD",
        Decimal(90),
        "started",
    )


def test_periods_and_origins_do_not_name_a_project():
    r = extract("青岛西海岸新区一季度外资项目签约清单。嘉兴开发区举行德资项目集中签约。")
    assert r.projects == []


def test_reporter_formula_is_not_part_of_a_zone_name():
    zones = extract("記者從橫琴粵澳深度合作區經濟發展局獲悉，今年首三季合作區新增企業。").of_kind("zone")
    assert [(z.text, z.value) for z in zones] == [("橫琴粵澳深度合作區", "横琴粤澳深度合作区")]


def test_comprehensive_experimental_zone_is_a_zone():
    (z,) = extract("郑州航空港经济综合实验区完成进出口总值4263亿元。").of_kind("zone")
    assert z.value == "郑州航空港经济综合实验区"


def test_yi_before_a_future_marker_reports_a_fact():
    (p,) = extract("河北鑫海控股集团投资的特种润滑油项目已实现达产，项目总投资2.8亿元。").projects
    assert (p.stage, p.investment_wan) == ("at_capacity", Decimal(28000))


def test_coordinated_projects_share_the_stage_after_them():
    r = extract("比亚迪郑州基地二期项目、上汽乘用车郑州基地三期项目建成投产。")
    assert [(p.name, p.stage) for p in r.projects] == [
        ("比亚迪郑州基地二期项目", "in_production"),
        ("上汽乘用车郑州基地三期项目", "in_production"),
    ]


def test_coordinated_projects_do_not_take_a_total_after_them():
    r = extract("甲乙新材料项目和丙丁储能项目总投资8亿元。")
    assert [p.investment_wan for p in r.projects] == [None, None]


def test_projects_of_a_qizhong_sentence_take_the_stage_of_the_set():
    text = "开发区举行集中签约活动，共签约项目６个。其中，甲乙驱动系统项目总投资1.2亿欧元；丙丁轴承扩建项目总投资6800万欧元。"
    assert [(p.name, p.stage) for p in extract(text).projects] == [
        ("甲乙驱动系统项目", "signed"),
        ("丙丁轴承扩建项目", "signed"),
    ]


def test_a_nominal_stage_counts_only_when_nothing_plainer_is_said():
    signed = extract("今年6月，甲乙储气调峰提氢项目签约。这一项目的落地，为全县注入新动能。")
    assert [p.stage for p in signed.projects] == ["signed"]
    only_nominal = extract("甲乙储气调峰提氢项目的落地，为全县注入新动能。")
    assert [p.stage for p in only_nominal.projects] == ["landed"]


def test_a_capacity_with_a_slash_stays_in_the_project_name():
    (p,) = extract("由河北鑫海控股集团投资的20万吨/年特种润滑油项目已实现达产。").projects
    assert p.name == "20万吨/年特种润滑油项目"


def test_a_government_report_gives_a_zone_only_from_the_same_paragraph():
    text = (
        "2025年某市政府工作报告\n\n"
        "某某航空港经济综合实验区完成进出口总值4263亿元。\n\n"
        "总投资200亿元的富士康新事业总部项目开工建设。\n"
    )
    (p,) = extract(text).projects
    assert (p.zone, p.stage, p.investment_wan) == (None, "started", Decimal(2000000))
