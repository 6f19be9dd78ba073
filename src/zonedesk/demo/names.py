"""Reproducible Chinese names for generated enterprises and projects."""

PLACES = [
    "山西",
    "太原",
    "长治",
    "吕梁",
    "晋中",
    "运城",
    "临汾",
    "大同",
    "朔州",
    "忻州",
    "晋城",
    "阳泉",
    "北京",
    "江苏",
    "浙江",
    "河南",
]
WORDS = [
    "华晟",
    "鑫泰",
    "中科",
    "晋能",
    "瑞丰",
    "宏远",
    "恒创",
    "博远",
    "凯达",
    "明阳",
    "正通",
    "新辉",
    "腾跃",
    "安泰",
    "卓信",
    "德润",
]
TRADES = [
    "新材料科技",
    "新能源",
    "生物科技",
    "智能装备",
    "光电科技",
    "化工",
    "铝业",
    "物流",
    "食品",
    "环保科技",
    "半导体",
    "医药",
]
FORMS = ["有限公司", "股份有限公司", "集团有限公司", "有限责任公司"]
PRODUCTS = [
    ("年产{n}万吨", ["高纯氧化铝", "铝合金型材", "甲醇燃料", "再生铝", "果汁饮料", "有机肥", "煤基碳材料"]),
    ("年产{n}万片", ["碳化硅衬底", "光伏电池片", "硅片"]),
    ("年产{n}万套", ["新能源汽车零部件", "风电塔筒", "智能传感器", "医疗器械"]),
    ("{n}MW", ["分布式光伏", "储能电站", "风电"]),
    ("", ["抗体药物研发中心", "标准化厂房", "保税物流中心", "污水处理厂", "数据中心", "研发中试基地"]),
]


def enterprise_name(rng, seq: int) -> str:
    # The sequence number keeps names unique at province scale without looking mechanical.
    return (
        f"{rng.choice(PLACES)}{rng.choice(WORDS)}{rng.choice(TRADES)}{FORMS[seq % len(FORMS)]}（{seq}）"
        if seq > 5000
        else f"{rng.choice(PLACES)}{rng.choice(WORDS)}{rng.choice(TRADES)}{rng.choice(FORMS)}"
    )


def project_name(rng, seq: int) -> str:
    fmt, products = rng.choice(PRODUCTS)
    n = rng.choice([5, 10, 20, 30, 50, 100, 120, 200])
    prefix = fmt.format(n=n)
    suffix = rng.choice(["项目", "建设项目", "生产线项目", "一期项目", "扩建项目"])
    return f"{rng.choice(WORDS)}{prefix}{rng.choice(products)}{suffix}"
