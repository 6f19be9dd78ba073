from zonedesk.extract.evaluate import evaluate_document

TEXT = "项目总投资2000万元，其中支持资金800万元；研发经费5000万以上的企业12家，年产10万吨，占地256亩。"


def test_a_prediction_matches_gold_by_value_and_overlapping_text():
    gold = {
        "money": [{"text": "项目总投资2000万元", "wan": 2000}],
        "area": [{"text": "占地256亩", "value": 256, "unit": "mu"}],
    }
    report = evaluate_document(TEXT, gold)
    # 800万元 and 5000万以上 are predicted but not in this gold: false positives
    assert (report.money.tp, report.money.fp, report.money.fn) == (1, 2, 0)
    assert (report.area.tp, report.area.fp, report.area.fn) == (1, 0, 0)


def test_optional_gold_neither_misses_nor_makes_a_false_positive():
    gold = {
        "money": [
            {"text": "项目总投资2000万元", "wan": 2000},
            {"text": "支持资金800万元", "wan": 800},
            {"text": "研发经费5000万以上", "wan": 5000, "optional": True},
            {"text": "不存在的1亿元", "wan": 10000, "optional": True},
        ]
    }
    report = evaluate_document(TEXT, gold)
    assert (report.money.tp, report.money.fp, report.money.fn) == (2, 0, 0)
    assert report.money.f1 == 1.0


def test_a_wrong_value_is_a_miss_and_a_false_positive():
    report = evaluate_document(TEXT, {"money": [{"text": "项目总投资2000万元", "wan": 20000000}]})
    assert (report.money.tp, report.money.fp, report.money.fn) == (0, 3, 1)


def test_traps_report_figures_that_should_not_be_there():
    report = evaluate_document(TEXT, {"traps": ["年产10万吨", "企业12家"]})
    assert report.traps_violated == []


def test_project_recall_needs_every_keyword_and_the_investment():
    text = "兴安经济技术开发区某某新材料项目签约，该项目总投资约3亿元。"
    gold = {
        "projects": [
            {
                "name_keywords": ["新材料"],
                "investment_wan": 30000,
                "zone_keywords": ["兴安"],
                "stage": "签约",
            },
            {"name_keywords": ["新材料"], "investment_wan": 40000},
            {"name_keywords": ["储能"]},
        ]
    }
    report = evaluate_document(text, gold)
    assert (report.projects.found, report.projects.total) == (1, 3)
    assert (report.projects.zone_right, report.projects.stage_right) == (1, 1)
