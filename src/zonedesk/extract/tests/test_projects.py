from decimal import Decimal

from zonedesk.extract import extract


def projects(text):
    return extract(text).projects


def one(text):
    [p] = projects(text)
    return p


def test_investment_before_the_name_ties_to_it():
    p = one("其中，包括投资5.78亿元的山西华峰新建污泥处置项目，为稳投资提供支撑。")
    assert (p.name, p.investment_wan) == ("山西华峰新建污泥处置项目", Decimal(57800))


def test_investment_before_a_company_and_its_project_ties_to_the_project():
    p = one("2023年，重点引入了总投资6650万元江苏某某智造有限公司软袋智能化生产线项目。")
    assert (p.name, p.enterprise, p.investment_wan) == (
        "软袋智能化生产线项目",
        "江苏某某智造有限公司",
        Decimal(6650),
    )


def test_figures_after_the_name_in_the_same_sentence_tie_to_it():
    p = one(
        "宁波某某电子年产500万套传感器项目落户高新区，项目总投资8.5亿元，占地150亩，总建筑面积12万平方米。"
    )
    assert (p.investment_wan, p.land_mu, p.floor_area_m2, p.stage) == (
        Decimal(85000),
        Decimal(150),
        Decimal(120000),
        "landed",
    )


def test_a_sentence_referring_back_with_gai_xiangmu_ties_its_figures():
    text = (
        "今年6月，金川经济技术开发区光伏玻璃深加工项目签约。该项目总投资约11亿元，占地300亩，"
        "建成后年产光伏玻璃3000万平方米。"
    )
    p = one(text)
    assert (p.name, p.zone, p.investment_wan, p.land_mu, p.stage) == (
        "光伏玻璃深加工项目",
        "金川经济技术开发区",
        Decimal(110000),
        Decimal(300),
        "signed",
    )


def test_a_facility_referred_to_by_its_head_noun_gets_the_figures():
    text = (
        "在临沂高新区新落成的临沂智能装备检测研发中心，科研人员正在调试设备。\n"
        "研发中心总建筑面积为3000平方米，项目总投资5000万元，其中财政补助资金800万元。"
    )
    p = one(text)
    assert (p.name, p.zone, p.investment_wan, p.floor_area_m2) == (
        "临沂智能装备检测研发中心",
        "临沂高新区",
        Decimal(5000),
        Decimal(3000),
    )


def test_aggregates_are_facts_not_projects():
    text = "1-9月，开发区完成签约项目9个，签约总金额约22.22亿元，已超额完成目标任务。"
    result = extract(text)
    assert result.projects == []
    assert [f.value for f in result.facts if f.kind == "money"] == [Decimal(222200)]


def test_threshold_money_is_never_a_project_investment():
    text = "其中，5亿元以上重大项目2个，包括投资6亿元的某某新材料项目、投资8亿元的某某储能电站项目。"
    assert [(p.name, p.investment_wan) for p in projects(text)] == [
        ("某某新材料项目", Decimal(60000)),
        ("某某储能电站项目", Decimal(80000)),
    ]


def test_a_list_of_projects_with_a_group_total_gives_no_project_that_total():
    text = "签约落地了甲乙机械托辊制造、丙丁食品加工、戊己新材料项目等3个项目，总投资15.11亿元。"
    result = projects(text)
    assert [p.name for p in result] == ["甲乙机械托辊制造", "丙丁食品加工", "戊己新材料项目"]
    assert all(p.investment_wan is None and p.stage == "landed" for p in result)


def test_n_big_projects_share_their_head():
    assert [p.name for p in projects("重点推进华茂、鑫源两大焦化项目加快建设进度。")] == [
        "华茂焦化项目",
        "鑫源焦化项目",
    ]


def test_generic_project_words_are_not_projects():
    text = (
        "要推动在谈项目抓签约、签约项目抓开工，加快项目立项，引进更多大项目、好项目，"
        "做好重点项目服务，现代医药产业链重点项目稳步推进，人才和项目双引进。"
    )
    assert projects(text) == []


def test_capacity_in_a_project_name_is_not_its_investment_or_land():
    p = one("开发区与安徽某某汽车部件有限公司年产120万件新能源汽车铝合金零部件项目签约。")
    assert (p.name, p.enterprise, p.investment_wan, p.land_mu, p.stage) == (
        "年产120万件新能源汽车铝合金零部件项目",
        "安徽某某汽车部件有限公司",
        None,
        None,
        "signed",
    )


def test_a_planned_stage_is_not_the_project_stage():
    p = one("浙江某某风电基地项目加紧建设，确保一期项目今年6月建成投产，力争早日达产。")
    assert p.stage == "started"


def test_mentions_of_one_project_merge():
    text = (
        "浙江运通风电项目加紧建设。\n襄城经济技术开发区内的浙江运通风电设备制造基地项目建设现场一派繁忙。"
        "据悉，该项目占地约300亩，总投资32亿元，年产值45亿元。"
    )
    p = one(text)
    assert (p.name, p.zone, p.investment_wan, p.land_mu) == (
        "浙江运通风电设备制造基地项目",
        "襄城经济技术开发区",
        Decimal(320000),
        Decimal(300),
    )


def test_usd_investment_keeps_its_currency():
    p = one("韩国某某电子株式会社汽车电子零部件生产基地项目落户开发区，项目总投资4500万美元。")
    assert (p.investment_wan, p.currency, p.enterprise) == (Decimal(4500), "USD", "韩国某某电子株式会社")
    assert p.to_json()["currency"] == "USD"


def test_traditional_text_gives_simplified_names():
    p = one(
        "前海深港現代服務業合作區內，香港某某物流集團有限公司投資的跨境冷鏈物流中心項目正式動工，"
        "項目總投資約２２億港元。"
    )
    assert (p.name, p.zone, p.enterprise, p.investment_wan, p.currency, p.stage) == (
        "跨境冷链物流中心项目",
        "前海深港现代服务业合作区",
        "香港某某物流集团有限公司",
        Decimal(220000),
        "HKD",
        "started",
    )


def test_flattened_table_rows_become_projects():
    text = (
        "单位：万元\n"
        "序号\t项目名称\t建设单位\t总投资\t占地面积(亩)\t建设进度\n"
        "1\t年产3万吨负极材料项目\t湖南某某新能源科技有限公司\t86000\t320\t已开工\n"
        "2\t冷链仓储中心项目\t某某供应链管理有限公司\t12800\t65\t已签约\n"
    )
    assert [(p.name, p.enterprise, p.investment_wan, p.land_mu, p.stage) for p in projects(text)] == [
        ("年产3万吨负极材料项目", "湖南某某新能源科技有限公司", Decimal(86000), Decimal(320), "started"),
        ("冷链仓储中心项目", "某某供应链管理有限公司", Decimal(12800), Decimal(65), "signed"),
    ]


def test_a_table_on_one_line_is_split_by_serial_numbers():
    text = (
        "表2 新签约项目 序号 项目名称 投资主体 协议投资（亿元） 用地（亩） "
        "1 光伏边框项目 某某铝业有限公司 3.5 80 2 中央厨房项目 某某食品有限公司 1.2 35"
    )
    assert [(p.name, p.investment_wan, p.land_mu) for p in projects(text)] == [
        ("光伏边框项目", Decimal(35000), Decimal(80)),
        ("中央厨房项目", Decimal(12000), Decimal(35)),
    ]


def test_project_sentence_is_the_evidence_in_the_original_text():
    text = "兴安经济技术开发区與某某公司簽約年產５萬噸鋁材項目。"
    p = one(text)
    assert text[p.start : p.end] == p.sentence == text.rstrip()


def test_place_names_containing_boundary_characters_stay_whole():
    p = one("1.呼和浩特经济技术开发区年产5万吨高纯硅项目：总投资46亿元，10月28日一期主体结构封顶。")
    assert (p.name, p.zone, p.investment_wan, p.stage) == (
        "年产5万吨高纯硅项目",
        "呼和浩特经济技术开发区",
        Decimal(460000),
        "started",
    )


def test_deng_inside_a_word_does_not_split_a_name():
    p = one("由某某钢铁有限公司投资建设的零碳高等级薄板项目正在加紧施工，项目计划总投资126亿元。")
    assert (p.name, p.enterprise, p.investment_wan, p.stage) == (
        "零碳高等级薄板项目",
        "某某钢铁有限公司",
        Decimal(1260000),
        "started",
    )
