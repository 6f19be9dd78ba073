"""Real zones, enterprises and projects from the field texts (shared/corpus), as the demo's core.

Names, amounts and stages are those the published reports give; the dates are the reports' own
where they say one, otherwise plausible days in the same month.
"""

# (key, name, aliases, kind, level, region code, parent city bureau key or None for the province)
ZONES = [
    ("changzhi_hitech", "长治高新技术产业开发区", ["长治高新区"], "high_tech", "national", "140400", "changzhi"),
    ("zhongbei_hitech", "中北高新技术产业开发区", ["中北高新区"], "high_tech", "provincial", "140100", "taiyuan"),
    ("reform_zone", "山西转型综合改革示范区", ["综改区", "综改示范区"], "reform", "national", "140100", None),
    ("xingxian_etdz", "兴县经济技术开发区", ["兴县经开区"], "etdz", "provincial", "141123", "lvliang"),
    ("yuncheng_etdz", "运城经济技术开发区", ["运城经开区"], "etdz", "provincial", "140800", "yuncheng"),
    ("fenglingdu_etdz", "风陵渡经济开发区", ["风陵渡开发区"], "etdz", "provincial", "140830", "yuncheng"),
    ("shuozhou_etdz", "朔州经济开发区", ["朔州开发区"], "etdz", "provincial", "140600", "shuozhou"),
    ("xiangfen_etdz", "襄汾经济技术开发区", ["襄汾经开区"], "etdz", "provincial", "141023", "linfen"),
    ("guxian_etdz", "古县经济技术开发区", ["古县经开区"], "etdz", "provincial", "141025", "linfen"),
    ("youyu_eco", "右玉生态文化旅游示范区", ["右玉示范区"], "eco_tourism", "provincial", "140623", "shuozhou"),
]

CITY_BUREAUS = {
    "taiyuan": ("太原市商务局", "140100"),
    "changzhi": ("长治市商务局", "140400"),
    "lvliang": ("吕梁市商务局", "141100"),
    "yuncheng": ("运城市商务局", "140800"),
    "shuozhou": ("朔州市商务局", "140600"),
    "linfen": ("临汾市商务局", "141000"),
}

# Departments every zone committee has (三级精准招商: refer → pursue → land).
DEPARTMENTS = [
    ("经济发展局", "department"),
    ("科技金融部", "department"),
    ("新能源招商中心", "investment_centre"),
    ("先进制造招商中心", "investment_centre"),
    ("生物医药招商中心", "investment_centre"),
    ("规划和自然资源分局", "department"),
    ("园区服务中心", "park_centre"),
    ("招商服务工作组", "service_team"),
]

PARKS = {
    "changzhi_hitech": ["生物医药产业园", "光电产业园"],
    "xingxian_etdz": ["山西铝镁新材料产业园区", "兴县绿电园区"],
    "shuozhou_etdz": ["新兴产业园区", "循环经济产业园"],
    "xiangfen_etdz": ["高端装备制造产业园"],
    "fenglingdu_etdz": ["现代医药产业园"],
}

# (name, uscc or "", zone key, tags)
ENTERPRISES = [
    ("安博泰克（长治）生物科技有限公司", "", "changzhi_hitech", ["high_tech"]),
    ("安徽稳卓汽车部件有限公司", "", None, ["specialised"]),
    ("山西万盛源新能源集团有限责任公司", "", "xingxian_etdz", []),
    ("中海石油气电集团有限责任公司华北分公司", "", None, ["soe"]),
    ("华润新能源投资有限公司山西分公司", "", None, ["soe", "fortune500"]),
    ("山西建筑工程集团有限公司", "", None, ["soe"]),
    ("山西华兴铝业有限公司", "", "xingxian_etdz", ["above_scale", "chain_master"]),
    ("山西永兴达能源有限公司", "", "xingxian_etdz", []),
    ("山植树下（运城）果汁有限公司", "", "yuncheng_etdz", []),
    ("山西新鑫弘电气科技有限公司", "", "yuncheng_etdz", ["high_tech"]),
    ("江苏一联合智造有限公司", "", "fenglingdu_etdz", []),
    ("亚宝药业集团股份有限公司", "91140000701012868F", "fenglingdu_etdz", ["listed", "chain_master", "above_scale"]),
    ("浙江运达风电股份有限公司", "", "xiangfen_etdz", ["listed", "chain_master"]),
    ("鑫石（朔州）新材有限公司", "", "shuozhou_etdz", []),
    ("河南南街村（集团）有限公司", "", None, []),
    ("中晋新能源有限公司", "", "shuozhou_etdz", []),
    # The reports do not name these investors; the demo gives them plausible stand-in names.
    ("山西中北金属材料科技有限公司", "", "zhongbei_hitech", []),
    ("运城保税物流中心有限公司", "", "yuncheng_etdz", ["soe"]),
    ("朔州开发区建设投资有限公司", "", "shuozhou_etdz", ["soe"]),
    ("山西盛隆泰达焦化有限公司", "", "guxian_etdz", ["above_scale"]),
]

# Projects: name, zone key, park or "", investors (indices into ENTERPRISES), stage, fields.
PROJECTS = [
    ("古巴分子免疫学长治研发中心（安博泰克创新药物研发及产业化项目）", "changzhi_hitech", "生物医药产业园", [0],
     "started", dict(total_investment_wan=2000, floor_area_m2=1500, agreement_amount_wan=2000, agreement_type="formal",
                     agreement_date="2024-03-18", landed_date="2024-05-10", land_supplied_date="2024-06-01",
                     leased_floor_area_m2=1500, start_date="2024-07-15", chain_node="抗体药物研发", level="municipal_key",
                     progress_note="研发中心已建成，实验室投入使用")),
    ("高端金属材料加工生产基地项目", "zhongbei_hitech", "", [16], "landed",
     dict(land_area_mu=40.8, total_investment_wan=18000, agreement_amount_wan=18000, agreement_type="formal",
          agreement_date="2025-08-20", landed_date="2025-10-10", progress_note="已入驻，盘活低效土地40.8亩")),
    ("年产120万件新能源汽车铝合金零部件项目", "xingxian_etdz", "山西铝镁新材料产业园区", [1], "signed",
     dict(total_investment_wan=30000, agreement_amount_wan=30000, agreement_type="formal", agreement_date="2026-03-16",
          chain_node="铝基新材料—高端智造", level="municipal_key")),
    ("天然气（煤层气）液化储气调峰提氢项目", "xingxian_etdz", "山西铝镁新材料产业园区", [2, 3, 7], "signed",
     dict(total_investment_wan=115000, agreement_amount_wan=115000, agreement_type="framework",
          agreement_date="2026-06-12", chain_node="天然气提氢制氢", level="provincial_key")),
    ("兴县绿电园区开发及能源综合利用项目", "xingxian_etdz", "兴县绿电园区", [4, 5], "signed",
     dict(total_investment_wan=493200, agreement_amount_wan=493200, agreement_type="framework",
          agreement_date="2026-07-08", level="provincial_key")),
    ("山西华兴新建淤泥堆场项目", "xingxian_etdz", "山西铝镁新材料产业园区", [6], "started",
     dict(total_investment_wan=57800, agreement_amount_wan=57800, agreement_type="formal", agreement_date="2025-11-05",
          landed_date="2025-12-01", land_supplied_date="2026-02-10", land_area_mu=256, start_date="2026-04-20",
          chain_node="危废、固废综合利用")),
    ("山植树下（运城）果汁有限公司新建年产10万吨果汁饮料项目", "yuncheng_etdz", "", [8], "started",
     dict(total_investment_wan=50000, agreement_amount_wan=50000, agreement_type="formal", agreement_date="2024-09-01",
          landed_date="2024-10-15", land_supplied_date="2024-12-01", land_area_mu=180, start_date="2025-03-10")),
    ("运城保税物流中心及配套设施建设项目", "yuncheng_etdz", "", [17], "land_supplied",
     dict(total_investment_wan=60000, agreement_amount_wan=60000, agreement_type="formal", agreement_date="2025-05-20",
          landed_date="2025-06-30", land_supplied_date="2025-09-15", land_area_mu=300)),
    ("新兴产业园区科技创业园标准化厂房一期工程项目", "shuozhou_etdz", "新兴产业园区", [18], "started",
     dict(total_investment_wan=80000, agreement_amount_wan=80000, agreement_type="formal", agreement_date="2023-06-01",
          landed_date="2023-07-01", land_supplied_date="2023-08-01", land_area_mu=80, floor_area_m2=50000,
          start_date="2023-10-01", progress_note="今年三月初全面复工，五个标段全部进场")),
    ("河南南街村集团年产60万吨醇基燃料调配项目", "shuozhou_etdz", "循环经济产业园", [14], "negotiating",
     dict(hesitation_note="能耗指标待落实，企业在比较周边园区条件")),
    ("中晋新能源年产80万吨甲醇燃料调配中心", "shuozhou_etdz", "循环经济产业园", [15], "reserve", {}),
    ("江苏一联合智造口服软袋智能化生产线项目", "fenglingdu_etdz", "现代医药产业园", [10], "in_production",
     dict(total_investment_wan=6650, agreement_amount_wan=6650, agreement_type="formal", agreement_date="2023-02-10",
          landed_date="2023-03-01", land_supplied_date="2023-03-20", leased_floor_area_m2=8000,
          start_date="2023-05-01", production_date="2026-09-01", progress_note="正在试生产")),
    ("盛隆泰达焦化项目", "guxian_etdz", "", [19], "started",
     dict(total_investment_wan=450000, agreement_amount_wan=450000, agreement_type="formal", agreement_date="2022-05-01",
          landed_date="2022-06-01", land_supplied_date="2022-08-01", land_area_mu=1200, start_date="2023-03-01",
          status="behind", status_reason="环保手续办理滞后，主体工程进度落后计划", status_date="2026-09-30")),
    ("浙江运达风电设备制造全产业链（襄汾）基地项目", "xiangfen_etdz", "高端装备制造产业园", [12], "started",
     dict(total_investment_wan=320000, agreement_amount_wan=320000, agreement_type="formal", agreement_date="2024-11-01",
          landed_date="2024-12-01", land_supplied_date="2025-02-01", land_area_mu=600, start_date="2025-04-18",
          level="provincial_key", chain_node="风电装备")),
    ("粉煤灰制造硅酸钙板和硅酸钙板涂装板生产项目", "shuozhou_etdz", "循环经济产业园", [13], "negotiating",
     dict(total_investment_wan=35000, hesitation_note="项目评审中，企业关注用地指标和电价")),
    ("潇北污水处理厂项目", "reform_zone", "", [], "reserve", dict(construction_content="一期处理污水能力每日12万吨")),
]
