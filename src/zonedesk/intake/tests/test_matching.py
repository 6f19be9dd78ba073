from decimal import Decimal

from zonedesk.intake.matching import bigram_similarity, find_candidates, name_key


def test_name_key_folds_width_script_brackets_and_xiangmu():
    assert name_key("年产５萬噸铝材（一期）項目") == "年产5万吨铝材一期"
    assert name_key("冷链物流仓储中心建设项目") == "冷链物流仓储中心"


def test_bigram_similarity():
    assert bigram_similarity("铝材加工", "铝材加工") == 1.0
    assert bigram_similarity("高端铝箔生产线", "高端铝箔加工线") == 0.5
    assert bigram_similarity("铝", "铝") == 1.0
    assert bigram_similarity("储能", "氢能") == 0.0


def test_candidates_by_name_investor_and_amount(world):
    ent = world.enterprise("山西华兴新材料有限公司")
    contained = world.project(name="山西华兴年产5万吨铝材项目")
    by_investor = world.project(name="华兴新厂", investors=[ent.pk])
    by_amount = world.project(name="别的项目", total_investment_wan=Decimal("32000"))
    world.project(name="无关的储能电站")
    found = find_candidates(
        world.officer_a,
        world.zone_a,
        name="年产5万吨铝材项目",
        enterprise="山西华兴新材料（有限）公司",
        investment_wan=Decimal("32000"),
    )
    assert [(c.project.pk, c.reasons) for c in found] == [
        (contained.pk, ["名称包含"]),
        (by_investor.pk, ["投资方相同"]),
        (by_amount.pk, ["投资额相同"]),
    ]


def test_similar_names_score_by_bigrams(world):
    p = world.project(name="高端铝箔加工线")
    (c,) = find_candidates(world.officer_a, world.zone_a, name="高端铝箔生产线项目")
    assert (c.project.pk, c.reasons, c.score) == (p.pk, ["名称相近（相似度 0.50）"], 0.5)


def test_sibling_zone_projects_are_never_candidates(world):
    world.project(world.zone_b, name="年产5万吨铝材项目", total_investment_wan=Decimal("32000"))
    assert find_candidates(world.officer_a, world.zone_a, name="年产5万吨铝材项目") == []
    # even an all-zones user matching in zone A sees only zone A's projects
    assert find_candidates(world.admin, world.zone_a, name="年产5万吨铝材项目") == []
    # and a zone B officer asking about zone A gets nothing from there
    world.project(name="年产5万吨铝材项目")
    assert find_candidates(world.officer_b, world.zone_a, name="年产5万吨铝材项目") == []


def test_only_projects_the_user_may_change_are_candidates(world):
    world.project(name="年产5万吨铝材项目")
    assert find_candidates(world.city_officer, world.zone_a, name="年产5万吨铝材项目") == []
    assert len(find_candidates(world.officer_a, world.zone_a, name="年产5万吨铝材项目")) == 1


def test_the_same_investor_is_recognised_across_scripts(world):
    traditional = world.project(name="甲项目", investors=[world.enterprise("山西華興新材料有限公司").pk])
    simplified = world.project(name="乙项目", investors=[world.enterprise("长治华兴铝业有限公司").pk])
    (found,) = find_candidates(
        world.officer_a, world.zone_a, name="无关", enterprise="山西华兴新材料有限公司"
    )
    assert (found.project.pk, found.reasons) == (traditional.pk, ["投资方相同"])
    (found,) = find_candidates(world.officer_a, world.zone_a, name="无关", enterprise="長治華興鋁業有限公司")
    assert (found.project.pk, found.reasons) == (simplified.pk, ["投资方相同"])
