"""Word lists the extractor decides with. Kept apart from the logic so they can grow.

All entries are simplified and half-width: the extractor matches on normalize()d text.
"""

from __future__ import annotations

# Stage words → ledger stage codes (zonedesk.projects.choices.Stage). The ledger has no
# "completed" stage, so 竣工/建成/落成 count as in production, the next stage after building.
STAGE_WORDS: dict[str, str] = {
    "储备": "reserve", "谋划": "reserve", "策划": "reserve",
    "在谈": "negotiating", "洽谈": "negotiating", "意向": "negotiating",
    "签约": "signed", "签署": "signed", "签订": "signed",
    "落地": "landed", "入区": "landed", "入驻": "landed", "落户": "landed", "进驻": "landed",
    "供地": "land_supplied", "摘牌": "land_supplied", "拿地": "land_supplied",
    "开工": "started", "在建": "started", "复工": "started", "开复工": "started", "施工": "started",
    "动工": "started", "奠基": "started", "加紧建设": "started", "加快建设": "started",
    "正在建设": "started", "建设中": "started", "开工建设": "started", "主体建设": "started",
    "封顶": "started", "主体完工": "started",
    "投产": "in_production", "试产": "in_production", "试生产": "in_production",
    "竣工投产": "in_production", "建成投产": "in_production", "竣工": "in_production",
    "建成": "in_production", "落成": "in_production", "投入运营": "in_production",
    "投运": "in_production", "试运行": "in_production", "投入使用": "in_production",
    "达产": "at_capacity", "满产": "at_capacity", "达效": "at_capacity",
}
STAGE_ORDER = [
    "reserve", "negotiating", "signed", "landed", "land_supplied", "started", "in_production",
    "at_capacity",
]
STAGE_RANK = {code: i for i, code in enumerate(STAGE_ORDER)}

# A stage word right after one of these is a plan or a wish, not a fact.
FUTURE_MARKERS = (
    "力争", "争取", "确保", "预计", "计划", "拟", "将", "准备", "有望", "即将", "推动", "推进", "促进",
    "早日", "尽快", "助推", "目标", "要", "待", "未", "尚未", "没有", "早", "加快推进", "抓", "力促",
    "保障", "实现", "以便", "便于", "后续", "下一步",
)

# Words that say a money figure is a project's total investment …
INVESTMENT_WORDS = ("总投资", "投资总额", "计划投资", "拟投资", "项目投资", "投资额", "投资")
# … unless one of these stands right before "投资" (progress, not size).
NOT_INVESTMENT_BEFORE = ("完成", "累计", "到位", "实际", "已", "年度", "本年", "当年", "新增", "带动", "吸引")
# A bare 万/亿 with no 元 is money only next to one of these.
MONEY_CONTEXT = (
    "投资", "资金", "金额", "总额", "经费", "产值", "营收", "收入", "销售", "利润", "利税", "税收", "税金",
    "融资", "贷款", "资产", "支出", "出口", "进口", "交易", "成交", "补贴", "补助", "奖励", "奖补",
    "增加值", "基金", "资本", "估值", "费用", "价值", "营业额", "GDP", "预算", "造价", "合同额", "拨付",
    "收益", "成本", "产出", "工资", "财政", "营业", "外资", "内资", "美元",
)
# Aggregates: a figure after these describes many projects, not one.
AGGREGATE_WORDS = ("签约总额", "签约金额", "签约总金额", "总金额", "合计", "共计", "总计", "累计", "共签约")

# Zone name endings (开发区 and its kin), longest first in the regex.
ZONE_SUFFIXES = (
    "经济技术开发区", "高新技术产业开发区", "高新技术开发区", "经济开发区", "工业开发区", "开发区",
    "经开区", "高新区", "综改区", "综合改革示范区", "示范区", "综合保税区", "保税区", "综保区", "自贸区",
    "自由贸易试验区", "自贸试验区", "试验区", "综合实验区", "实验区", "工业园区", "产业园区", "产业集聚区", "集聚区", "合作区",
    "新区", "经济区",
)
# Standalone short forms that name one zone by themselves.
ZONE_STANDALONE = ("综改区",)
# Parts of a zone name that do not identify it ("国家级经济技术开发区" names no zone).
ZONE_DESCRIPTORS = (
    "国家级", "省级", "市级", "县级", "国家", "经济技术", "经济", "技术", "高新技术", "高新", "产业",
    "工业", "现代农业", "农业", "生态文化旅游", "生态", "文化", "旅游", "转型综改", "转型", "综改",
    "综合改革", "综合", "保税", "物流", "临空", "临港", "自由贸易", "新材料", "化工", "循环经济", "能源",
    "新能源", "承接产业转移", "科技", "创新", "示范", "开放", "特色", "智能",
)
ZONE_STOP_CORES = (
    "全省", "全国", "全市", "全区", "各", "该", "本", "我", "清廉", "新型", "所在", "周边", "相关", "其他",
    "其它", "各类", "多个", "这", "各个", "一批", "两", "三", "首批", "全", "省", "市", "县", "区",
    # periods: "今年首三季合作区新增…" is the zone of the sentence before, unnamed
    "首季", "首三季", "前三季", "前三季度", "一季度", "二季度", "三季度", "四季度", "上半年", "下半年", "全年",
)

# Enterprise name endings, longest first.
ENTERPRISE_SUFFIXES = (
    "株式会社", "有限合伙", "集团股份有限公司", "集团有限责任公司", "集团有限公司", "股份有限公司",
    "有限责任公司", "有限公司", "集团公司", "集团", "公司",
)
ENTERPRISE_GENERIC_CORES = (
    "该", "本", "这家", "此", "各", "母", "子", "分", "总", "上市", "龙头", "国有", "民营", "外资", "合资",
    "投资", "建设", "运营", "物业", "平台", "城投", "开发", "管理", "一家", "两家", "多家", "相关",
    "全资子", "控股", "参股", "企业", "大型", "央企", "国企", "其", "贵", "我", "该集团", "该公司",
    "企业集团", "家", "省属", "市属", "行业", "链主", "头部", "新", "科技", "实业",
)

# Place names that contain a character used as a name boundary elsewhere (和, 与, 及…):
# a cut is never made inside one of these.
PLACES_WITH_BOUNDARY_CHARS = (
    "呼和浩特", "和林格尔", "和田", "和龙", "和顺", "和县", "和平", "和政", "和静", "和硕", "永和", "宁和",
    "共和", "清和", "太和", "保和", "庆和", "及第", "对江", "在平",
)

# Words that end the left context of a name: the name starts after the rightmost one
# that still leaves a real name. Each word is listed once, in the group that says why.
CONNECTIVES = (
    "的", "在", "于", "与", "对", "将", "把", "为", "是", "由", "从", "向", "了", "和", "及", "同", "赴",
    "到", "据", "经", "等", "以及", "以", "则", "即", "并", "而", "又", "还", "也", "都", "已", "正",
    "将于", "先后", "分别",
)
DISCOURSE_LEADS = ("其中", "据悉", "目前", "今年", "去年", "近日", "日前", "当前", "此外", "同时", "另外")
MANNER_ADVERBS = (
    "全力", "积极", "大力", "加紧", "全面", "成功", "顺利", "正式", "重点", "确保", "力争", "争取", "预计",
    "计划",
)
# Verbs that stand before a name ("推进X项目", "来自X公司"); some are also the last word of
# real names (建设, 开发, 投资…), which is why project names drop them (PROJECT_NAME_NOUNS).
VERBS_BEFORE_NAMES = (
    "推进", "推动", "加快", "引进", "引入", "实施", "启动", "谋划", "储备", "包括", "召开", "举行", "开展",
    "围绕", "参观", "考察", "来到", "走进", "调研", "签署", "签订", "签约", "落地", "开工", "落户", "入驻",
    "进驻", "保障", "服务", "支持", "助力", "依托", "建设", "打造", "聚焦", "承接", "带动", "促进", "拜访",
    "走访", "前往", "深入", "来自", "参加", "出席", "主持", "一行", "介绍", "表示", "认为", "指出", "强调",
    "完成", "实现", "形成", "开发", "总投资", "投资", "成立", "注册", "设立", "入选", "获批", "获评", "作为",
    "属于", "位于", "地处", "通过", "利用", "采用", "配套", "新落成", "落成", "建成",
)
NAME_BOUNDARY_WORDS = CONNECTIVES + DISCOURSE_LEADS + MANNER_ADVERBS + VERBS_BEFORE_NAMES

# Organisation words that close a preceding name (…局, …委员会) so a zone or firm after them
# starts fresh: "自然资源局中北高新区分局".
ORG_CLOSERS = ("局", "委", "厅", "会", "院", "站", "处", "办", "公司", "集团", "政府", "中心")

# Project names made only of these words name no particular project ("重点项目", "签约项目").
PROJECT_GENERIC_WORDS = (
    "重点", "重大", "优质", "大", "好", "新", "小", "各类", "各", "一批", "多个", "一些", "部分", "相关",
    "其他", "其它", "该", "此", "这", "这一", "这个", "本", "那个", "签约", "储备", "在谈", "在建", "新建",
    "续建", "拟建", "意向", "备案", "招商", "引资", "招商引资", "产业", "建设", "投资", "合作", "配套",
    "转型", "考察", "开工", "投产", "达产", "竣工", "落地", "入库", "省级", "市级", "县级", "国家级", "省",
    "市", "县", "区", "全省", "全市", "全区", "一期", "二期", "三期", "首期", "本期", "后续", "前期",
    "技改", "示范", "试点", "民生", "基础设施", "工业", "服务业", "农业", "文旅", "科技", "研发", "备选",
    "谋划", "入统", "推进", "推出", "引进", "见效", "亿元", "万元", "以上", "千万元", "元", "的",
    "两大", "三大", "四大", "五大", "个", "多", "些", "批", "类", "项", "等", "和", "及", "与", "中", "高",
    "质量", "发展", "总", "集中", "开复工", "复工", "实施", "重大转型", "省重点", "市重点", "康养", "龙头",
    "专班", "包联", "点位", "产业链", "链", "补链", "延链", "强链", "考核", "评审", "入区", "申报", "立项",
    "融资", "帮扶", "民营", "外资", "内资", "央企", "国企", "大型", "优秀", "精品", "标志性", "带动性",
    "支撑性", "牵引性", "重特大", "企业", "高端", "建", "工程", "科研", "生产性", "上下游", "关键", "骨干",
    "港资", "台资", "外商", "境外", "省外", "市外", "域外", "另一宗", "另一", "宗", "该宗", "多宗", "滞后",
    "问题", "整改", "亿元以上",
    # periods and origins qualify a set of projects, never name one ("一季度外资项目")
    "一季度", "二季度", "三季度", "四季度", "季度", "上半年", "下半年", "全年", "年度", "本年", "今年",
    "去年", "德资", "日资", "韩资", "美资", "欧资", "澳资", "侨资", "台企", "民资", "国资",
)

# Facility heads: a name ending in one of these is a project when a stage verb is beside it.
FACILITY_HEADS = (
    "研发中心", "产业园", "产业基地", "生产基地", "示范基地", "基地", "工厂", "厂房", "生产线", "加工厂",
    "电站", "电厂", "数据中心", "物流中心", "调配中心", "中心", "产业园区",
)
# Stage verbs that make a facility a project when they follow it directly.
FACILITY_VERBS_AFTER = (
    "建成", "落成", "开工", "投产", "竣工", "签约", "落地", "落户", "建设顺利", "加紧建设", "投入运营",
    "正式运营", "试运行", "试生产", "顺利投产", "主体完工", "封顶", "开工建设", "建设项目",
)
# … and the ones that make it a project when they precede it ("新落成的X").
FACILITY_VERBS_BEFORE = ("落成的", "建成的", "新建的", "在建的", "投产的", "签约的", "开工的", "新落成的")

# Classifiers: a number followed by one of these counts things.
COUNT_UNITS = (
    "个", "家", "名", "人次", "人", "户", "项", "宗", "座", "栋", "幢", "条", "次", "场", "批", "所", "处",
    "间", "类", "种", "款", "位", "台套", "台", "套", "件", "辆", "只", "头", "支", "片", "块", "张", "份",
    "本", "届", "期", "组", "队", "对", "起", "笔", "单", "列", "艘", "架", "棵", "株", "口", "眼",
)
# Physical units: a number followed by one of these is a capacity or output, never money or area.
PHYSICAL_UNITS = (
    "吨标准煤", "吨标煤", "吨", "千瓦时", "千瓦", "兆瓦时", "兆瓦", "吉瓦", "瓦", "kWh", "kW", "MWh", "MW",
    "GWh", "GW", "kV", "千伏", "伏安", "伏", "度电", "立方米", "标方", "方", "升", "千升", "毫升", "公斤",
    "千克", "克", "斤", "公里", "千米", "km", "米", "标准箱", "TEU", "箱", "瓶", "袋", "盒", "粒", "颗",
    "卷", "平方米/年", "Nm3", "m³", "立方", "羽", "度",
)
# Production context: with it before the number, a classifier reads as capacity.
PRODUCTION_CONTEXT = (
    "年产", "日产", "月产", "产能", "生产", "规模", "年加工", "年处理", "处理能力", "年出栏", "存栏",
    "装机", "年吞吐", "吞吐量", "年供", "年发电", "发电量", "年销售", "年输送", "设计能力",
)
# Units of time and other measures that look like quantities but are none of ours.
SKIP_UNITS = (
    "个多月", "个月", "个工作日", "个小时", "个百分点", "年度", "年", "月份", "月", "日", "号", "天",
    "小时", "分钟", "秒", "周年", "周", "岁", "倍", "级", "层", "楼", "代", "强", "佳", "星", "分", "毫米",
    "厘米", "MPa", "兆帕", "摄氏度", "℃", "G", "nm", "纳米",
)

# Verbs and adverbs that take a project or zone as their object ("缩短项目落地周期",
# "打造开发区升级版"), beyond NAME_BOUNDARY_WORDS (every user takes both). A name never
# ends in one of these, so a "name" that is only one of them is generic. Verbs that are also
# nouns at the end of real names (建设, 改造, 开发, 利用, 服务, 加工, 修复) are deliberately absent.
OBJECT_VERBS = (
    "介入", "缩短", "结合", "降低", "抓好", "做好", "抢抓", "提高", "解决", "克服", "踏勘", "聚集", "应加快", "规范",
    "负责", "直至", "筛选", "推出", "关于", "优化", "帮助", "协调", "督促", "跟踪", "跟进", "对接", "洽谈", "评审",
    "审批", "办理", "盯紧", "紧盯", "招引", "招商", "调度", "监管", "统计", "论证", "分析", "了解", "掌握", "梳理",
    "排查", "摸排", "观摩", "视察", "检查", "巡查", "督查", "指导", "学习", "宣传", "推介", "展示", "发布", "公布",
    "公示", "确定", "明确", "安排", "部署", "布局", "选择", "遴选", "评选", "支撑", "吸引", "集聚", "承载", "容纳",
    "保证", "满足", "提供", "给予", "享受", "涉及", "涵盖", "覆盖", "包含", "拥有", "新增", "增加", "减少", "加强",
    "强化", "深化", "扩大", "抓实", "抓紧", "抓", "盯", "跑出", "健全", "构建", "壮大", "做强", "做大", "做优",
    "巩固", "发挥", "激发", "激活", "释放", "营造", "优选", "精选", "瞄准", "锁定", "谋", "看", "对标", "提前",
    "大幅", "认真", "切实", "进一步", "多次", "主动", "及时", "持续", "不断", "尽快", "优先", "集中", "统筹", "着力",
    "努力", "全程", "全方位", "高效", "精准", "扎实", "扎在", "再到", "聚力", "全速", "有序", "稳步", "快速", "加速",
    "助推", "落实", "服务于", "参与", "配合", "组织", "召集", "邀请", "欢迎", "引导", "鼓励", "支援", "让", "使",
    "给", "帮", "请", "被", "至",
)

# Project names are cut on NAME_BOUNDARY_WORDS and OBJECT_VERBS too, except these, which
# occur inside project names or are stripped as leads instead (PROJECT_NAME_LEADS):
# conjunctions joining a name's halves ("绿氢制备及综合利用示范项目"), verbs that end names
# (建设, 开发, 配套, 利用), and manner/speech words that would cut a name too early.
PROJECT_NAME_INNER = (
    "于", "与", "从", "和", "及", "同", "到", "经", "等", "以", "则", "都", "正", "将于", "积极", "大力",
    "全面", "成功", "顺利", "正式", "重点", "进驻", "服务", "建设", "来自", "参加", "出席", "主持", "一行",
    "介绍", "表示", "认为", "指出", "强调", "形成", "开发", "总投资", "投资", "注册", "设立", "利用", "采用",
    "配套", "新落成", "落成", "建成",
)
# … and also cut after these: stage verbs, past tenses and list words that precede a project.
PROJECT_BOUNDARY_EXTRA = (
    "承担", "进行", "共", "有", "这", "申报", "获得", "争创", "包联", "服务保障", "竣工", "复工", "投产",
    "引进了", "开工了", "签约了", "谋划了", "落地了", "投产了", "储备了",
)
# Words a project name may start with that are not part of it ("签署", "重点", "新上"): they
# are stripped from the left while a valid name remains.
PROJECT_NAME_LEADS = (
    "建设", "实施", "开展", "打造", "支持", "服务", "开工", "签约", "落地", "投产", "竣工", "启动", "推进",
    "重点", "全力", "积极", "大力", "加紧", "全面", "成功", "顺利", "正式", "优质", "重大", "一批", "和",
    "及", "与", "同", "对", "将", "于", "从", "由", "以", "还", "也", "已", "正", "召开", "举办", "新上",
    "上马", "新引进", "引进", "规划建设", "规划", "计划", "拟", "签署", "签订", "包括", "如", "有", "共",
    "今年", "去年", "目前", "了", "、", "的", "是", "在",
)

# A name whose last word before 项目 is one of these is a category, not a project
# ("现代医药产业链重点项目", "上下游企业项目").
GENERIC_PROJECT_ENDINGS = (
    "重点", "重大", "优质", "招商引资", "龙头", "标志性", "关键", "骨干", "好", "大", "企业", "体育运动",
    "文体", "各类", "相关", "其他", "一批", "新", "小",
)
