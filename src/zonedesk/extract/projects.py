"""Projects: the names a text gives projects, and the figures it ties to each.

A figure belongs to a project only when the text ties them:
1. it stands right before the name ("投资5.78亿元的X项目", "总投资6650万元Y公司X项目");
2. it follows the name in the same sentence with no other project in between and no
   project count ("…等9个项目，总投资15亿元" is an aggregate);
3. it is in a later sentence that refers back ("该项目总投资…", "项目占地…", or the head
   noun of a facility: "研发中心总建筑面积…").
Aggregates, thresholds ("5亿元以上重大项目") and non-investment money (产值, 利润) are never
a project's investment.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal

from zonedesk.textnorm.quantities import alternation, area_to

from . import lexicon
from .entities import clean_name, cut_left, left_run
from .model import Fact, Project
from .segment import SentenceIndex

_PROJECT_END = re.compile(
    r"项目(?:\((?:[一二三四五六七八九十]|[0-9]{1,2})期\))?"
    r"(?!部|经理|组|负责人|库|办|指挥部|管理|单位|业主|法人|专员|代办|方|书|孵化)"
)
_STRONG = re.compile(
    # 等 ends a list ("A、B等项目") but is part of 高等级, 中等, 平等…
    r"(?<![高中初平同均对相上优])等(?![级离同量效待])|"
    + alternation(
        w
        for w in lexicon.NAME_BOUNDARY_WORDS + lexicon.OBJECT_VERBS + lexicon.PROJECT_BOUNDARY_EXTRA
        if w not in lexicon.PROJECT_NAME_INNER
    )
)
_WEAK_LEAD = re.compile(f"^(?:{alternation(lexicon.PROJECT_NAME_LEADS)})+")
_GENERIC = re.compile(alternation(lexicon.PROJECT_GENERIC_WORDS))
_ENUM_END = re.compile(
    r"等(?:[0-9一二三四五六七八九十两几多]+(?:个|项|大)|多个|一批|一系列)?"
    r"(?:重点|重大|优质|新建|续建|产业|招商引资|转型|在建|储备|签约|民生|基础设施)*项目"
)
_BIG = re.compile(r"(?P<n>[两二三四五六七八九十]|[0-9]+)大(?P<head>[\u4e00-\u9fff]{1,10}?)项目")
_FACILITY_AFTER = re.compile(
    rf"(?:{alternation(lexicon.FACILITY_HEADS)})(?=\u200b*(?:{alternation(lexicon.FACILITY_VERBS_AFTER)}|——|—))"
)
_FACILITY_BEFORE = re.compile(
    rf"(?:{alternation(lexicon.FACILITY_VERBS_BEFORE)})"
    rf"(?P<name>[\u4e00-\u9fffA-Za-z0-9()\u200b]{{2,30}}?(?:{alternation(lexicon.FACILITY_HEADS)}))"
)
_CN_COUNT = "[0-9一二三四五六七八九十两几多]+"
_PROJECT_COUNT = re.compile(rf"{_CN_COUNT}个(?:重点|重大)?项目|项目{_CN_COUNT}个|等{_CN_COUNT}个")
_ANAPHOR_ANY = re.compile(r"(?:该|此|本|这一|这个|上述)(?:一期)?项目")
_LEAD_ADVERBS = (
    r"(?:(?:据悉|据了解|据介绍|目前|其中|同时|此外|另外|预计|当前|截至目前|今年|去年|近日)[,，]?)?"
)
_ANAPHOR_START = re.compile(
    _LEAD_ADVERBS + r"(?:一期)?项目(?!部|经理|组|负责人|单位|引|招商|为王|是|建设[是在要])"
)
_INVEST = re.compile(r"投资")
_NON_INVEST_MONEY = (
    "产值",
    "收入",
    "利润",
    "税",
    "销售",
    "营收",
    "资金",
    "经费",
    "补贴",
    "奖励",
    "融资",
    "贷款",
    "营业",
)
_LAND_WORDS = ("占地", "用地", "土地", "宗地", "地块", "征地", "出让", "流转")
# What may stand between a company and its project: "X公司投资建设的Y项目", "与X公司签署Y项目".
_ENTERPRISE_GAP = re.compile(r"(?:投资|投资建设|投资兴建|建设|兴建|新建|签署|签订|签约|拟建)?的?")
_LOCATIVES = ("在", "于", "落户", "入驻", "进驻", "位于", "落地", "来到", "走进")
_MAX_ANAPHOR_DISTANCE = 800
_MAX_ZONE_LOOKBACK = 1500


@dataclass
class Mention:
    start: int
    end: int
    name: str
    sent: int
    kind: str = "named"  # named | enum | facility | table
    enterprise: str | None = None
    group: int | None = None
    zone: str | None = None
    investment: Decimal | None = None
    currency: str = "CNY"
    land_mu: Decimal | None = None
    floor_m2: Decimal | None = None
    stages: list[str] = field(default_factory=list)
    weak_stages: list[str] = field(default_factory=list)  # from nominal uses ("项目的落地")

    @property
    def head(self) -> str:
        for h in lexicon.FACILITY_HEADS:
            if self.name.endswith(h):
                return h
        return ""


def _core_valid(core: str) -> bool:
    core = clean_name(core)
    if len(core) < 2 or core[0] in "()" or core.endswith(lexicon.GENERIC_PROJECT_ENDINGS):
        return False
    if core[-1] in "及和与或、":
        return False  # "人才和项目": projects in general
    # "产学研合作专区及科研项目": what follows the last 及/和 is the thing named
    last = re.split(r"[及和与或]", core)[-1]
    if last != core and not _GENERIC.sub("", last):
        return False
    rest = _GENERIC.sub("", core)
    rest = re.sub(r"[0-9()\s·&]", "", rest)
    return len(rest) >= 2


def _strip_weak(core: str) -> str:
    """Drop leading verbs/adverbs ("签署", "重点", "建设") while a real name remains."""
    while True:
        m = _WEAK_LEAD.match(core)
        if not m:
            return core
        # try the longest strip first, then shorter ones, keeping the name valid
        for cut in range(m.end(), 0, -1):
            if _WEAK_LEAD.fullmatch(core[:cut]) and _core_valid(core[cut:]):
                core = core[cut:]
                break
        else:
            return core
        if not m.end():
            return core


class _Barriers:
    """Ends of spans a project name cannot extend over (zones, firms, money, dates)."""

    def __init__(self, ends: list[int]):
        self.ends = sorted(set(ends))

    def floor(self, pos: int, sentence_start: int) -> int:
        i = bisect_right(self.ends, pos) - 1
        return max(self.ends[i] if i >= 0 else 0, sentence_start)


def find_mentions(
    work: str, sents: SentenceIndex, facts: list[Fact], masked: list[tuple[int, int]]
) -> list[Mention]:
    ents = [f for f in facts if f.kind == "enterprise"]
    ent_by_end = {f.end: f for f in ents}
    barrier_spans = [f for f in facts if f.kind in ("zone", "enterprise", "money", "date", "rate")]
    barriers = _Barriers([f.end for f in barrier_spans] + [m.end() for m in _PROJECT_END.finditer(work)])
    # An entity that contains a position blocks names from starting inside it.
    mentions: list[Mention] = []

    def add(start: int, end: int, name: str, kind: str, run_floor: int, core_start: int) -> Mention | None:
        if any(s <= start < e for s, e in masked):
            return None
        ent = _adjacent_enterprise(work, ent_by_end, run_floor, core_start)
        mention = Mention(start, end, clean_name(name), sents.of(start), kind, ent.value if ent else None)
        mentions.append(mention)
        return mention

    # 1. names ending in 项目
    for m in _PROJECT_END.finditer(work):
        s_start = sents.spans[sents.of(m.start())][0]
        floor = barriers.floor(m.start() - 1, s_start) if m.start() else 0
        floor = min(floor, m.start())
        run_start = left_run(work, m.start(), floor, 40)
        run = work[run_start : m.start()]
        if not run:
            continue
        quoted = run_start > 0 and work[run_start - 1] in '“"《「' and work[m.end() : m.end() + 1] in '”"》」'
        pos = cut_left(run, _STRONG, _core_valid, rightmost_only=True)
        if pos is None:
            if not (quoted and _core_valid(run)):
                continue
            pos = 0
        core = _strip_weak(run[pos:])
        core_start = m.start() - len(core)
        add(core_start, m.end(), core + work[m.start() : m.end()], "named", run_start, core_start)

    # 2. enumerations: "A、B、C等9个项目", "盛隆泰达、宏源两大焦化项目"
    group = 0
    for m in _ENUM_END.finditer(work):
        group += 1
        _enumeration(work, sents, m.start(), "", group, add, mentions)
    for m in _BIG.finditer(work):
        group += 1
        head = m["head"] + "项目"
        # the last item is the text between the previous 、 and the number
        span = (m.start(), m.end())
        _enumeration(work, sents, m.start(), head, group, add, mentions, drop_overlapping=span)

    # 3. facilities beside a stage verb: "X研发中心建成", "新落成的X研发中心"
    for m in _FACILITY_AFTER.finditer(work):
        if work.startswith("项目", m.end()):
            continue
        s_start = sents.spans[sents.of(m.start())][0]
        floor = barriers.floor(m.start() - 1, s_start)
        run_start = left_run(work, m.start(), floor, 30)
        run = work[run_start : m.start()]
        pos = cut_left(run, _STRONG, _facility_core_valid, rightmost_only=True)
        if pos is None:
            continue
        core = _strip_weak(run[pos:])
        start = m.start() - len(core)
        if work[max(0, start - 2) : start].endswith(_LOCATIVES):
            continue  # "在X产业园开工": the park is where, not what
        add(start, m.end(), core + m.group(), "facility", run_start, start)
    for m in _FACILITY_BEFORE.finditer(work):
        name = m["name"]
        core = name[: -len(_head_of(name))]
        if _facility_core_valid(core) and not work.startswith("项目", m.end()):
            add(m.start("name"), m.end("name"), name, "facility", m.start("name"), m.start("name"))

    mentions = _dedupe(mentions)
    _coordinate(work, mentions, group)
    return mentions


_COORDINATORS = ("、", "和", "及", "与", "以及", ",", "，")


def _coordinate(work: str, mentions: list[Mention], last_group: int) -> None:
    """Names joined by 、/和/及 ("A项目、B项目建成投产") share what follows them: one group."""
    group = last_group
    for a, b in itertools.pairwise(mentions):
        if a.sent != b.sent or a.kind != "named" or b.kind != "named":
            continue
        gap = work[a.end : b.start].replace("\u200b", "").strip()
        if gap not in _COORDINATORS[:5]:
            continue
        if a.group is None:
            group += 1
            a.group = group
        if b.group is None:
            b.group = a.group


def _head_of(name: str) -> str:
    return next((h for h in sorted(lexicon.FACILITY_HEADS, key=len, reverse=True) if name.endswith(h)), "")


def _facility_core_valid(core: str) -> bool:
    return _core_valid(core) and len(clean_name(core)) >= 4


def _adjacent_enterprise(
    work: str, ent_by_end: dict[int, Fact], run_floor: int, core_start: int
) -> Fact | None:
    """The company right before a project name ("X有限公司年产…项目", "与X公司签署…项目")."""
    for end in range(core_start, max(run_floor, core_start - 6) - 1, -1):
        ent = ent_by_end.get(end)
        if ent is not None:
            gap = work[end:core_start]
            if not gap or _WEAK_LEAD.fullmatch(gap) or _ENTERPRISE_GAP.fullmatch(gap):
                return ent
    return None


def _enumeration(work, sents, pos, suffix, group, add, mentions, drop_overlapping=None) -> None:
    s_start = sents.spans[sents.of(pos)][0]
    left = pos
    while left > s_start and work[left - 1] not in '，,。；;：:！？!?\n“”"':
        left -= 1
    segment = work[left:pos]
    if suffix and "、" not in segment:
        return
    items: list[tuple[int, int]] = []
    i = left
    for piece in segment.split("、"):
        items.append((i, i + len(piece)))
        i += len(piece) + 1
    if not suffix and len(items) == 1 and not segment:
        return
    created = []
    for n, (a, b) in enumerate(items):
        raw = work[a:b]
        if n == 0:
            cut = cut_left(raw, _STRONG, _core_valid, rightmost_only=True)
            if cut is None:
                continue
            a += cut
            raw = raw[cut:]
        core = _strip_weak(raw)
        a = b - len(core)
        if not _core_valid(core):
            continue
        if not suffix and core.endswith("项目"):
            # caught as a name already; only mark its group
            for mention in reversed(mentions):
                if mention.kind == "named" and mention.start < b and a < mention.end:
                    mention.group = group
                    break
            continue
        created.append((a, b, core + suffix))
    if suffix and drop_overlapping and created:
        lo, hi = drop_overlapping
        mentions[:] = [m for m in mentions if not (m.start < hi and lo < m.end)]
        # the last item ends where the number starts ("宏源" + "焦化项目")
    if len(created) + sum(1 for m in mentions if m.group == group) < 1:
        return
    for a, b, name in created:
        mention = add(a, b, name, "enum", a, a)
        if mention is not None:
            mention.group = group


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    """Overlapping mentions: keep the most reliable kind (table > list item > name > facility)."""
    rank = {"table": 0, "enum": 1, "named": 2, "facility": 3}
    mentions.sort(key=lambda m: (rank[m.kind], m.start))
    taken: list[tuple[int, int]] = []  # sorted, non-overlapping spans already kept
    kept: list[Mention] = []
    for m in mentions:
        i = bisect_right(taken, (m.start, float("inf")))
        if (i > 0 and taken[i - 1][1] > m.start) or (i < len(taken) and taken[i][0] < m.end):
            continue
        taken.insert(i, (m.start, m.end))
        kept.append(m)
    kept.sort(key=lambda m: m.start)
    return kept


# ---------------------------------------------------------------- tying figures


def _money_role(work: str, f: Fact) -> str | None:
    """'investment' when the text says this is what a project invests, else None."""
    if f.kind != "money" or f.qualifier == "per":
        return None
    before = _clause_tail(work, f.start, 10)
    if any(w in before for w in lexicon.AGGREGATE_WORDS):
        return "aggregate"
    matches = list(_INVEST.finditer(before))
    if not matches:
        return None
    last = matches[-1]  # the last 投资 in the clause is the one that counts
    prefix = before[: last.start()]
    if any(prefix.endswith(w) for w in lexicon.NOT_INVESTMENT_BEFORE):
        return None
    return "investment"


def _area_role(work: str, f: Fact) -> str | None:
    """land / floor when a keyword says so; the *_weak roles tie only right before a name."""
    if f.kind != "area":
        return None
    before = _clause_tail(work, f.start, 10)
    if "建筑面积" in before or "厂房" in before:
        return "floor"
    if any(w in before for w in lexicon.AGGREGATE_WORDS):
        return None
    if any(w in before for w in _LAND_WORDS):
        return "land"
    return "land_weak" if f.unit == "亩" else "floor_weak"


def _clause_tail(work: str, pos: int, width: int) -> str:
    left = work[max(0, pos - width) : pos]
    for i in range(len(left) - 1, -1, -1):
        if left[i] in "，,。；;！？!?\n：:、":
            return left[i + 1 :]
    return left


def _is_threshold(work: str, f: Fact) -> bool:
    return f.text.endswith(("以上", "以下", "以内")) or work[f.end : f.end + 2] in ("以上", "以下")


def _apply(mention: Mention, work: str, f: Fact, role: str) -> None:
    role = role.removesuffix("_weak")
    if role == "investment" and mention.investment is None:
        mention.investment, mention.currency = f.value, f.currency or "CNY"
    elif role == "land" and mention.land_mu is None:
        mention.land_mu = area_to("亩", f.value, f.unit)
    elif role == "floor" and mention.floor_m2 is None and f.unit == "平方米":
        mention.floor_m2 = f.value


def tie(work: str, sents: SentenceIndex, mentions: list[Mention], facts: list[Fact]) -> None:
    by_sent: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sent.setdefault(m.sent, []).append(m)
    figures_by_sent: dict[int, list[Fact]] = {}
    for f in facts:
        if f.kind in ("money", "area", "stage"):
            figures_by_sent.setdefault(sents.of(f.start), []).append(f)
    group_size: dict[int, int] = {}
    for m in mentions:
        if m.group is not None:
            group_size[m.group] = group_size.get(m.group, 0) + 1

    ends = [m.end for m in mentions]  # mentions are sorted by start, and so nearly by end
    for si, figures in figures_by_sent.items():
        s_start, s_end = sents.spans[si]
        in_sent = by_sent.get(si, [])
        antecedent = None
        if not in_sent:
            lo = bisect_right(ends, s_start - _MAX_ANAPHOR_DISTANCE)
            hi = bisect_right(ends, s_start)
            antecedent = _antecedent(work, s_start, s_end, [m for m in mentions[lo:hi] if m.end <= s_start])
        for f in figures:
            if f.kind == "stage":
                _tie_stage(f, in_sent, antecedent, mentions)
                continue
            role = _money_role(work, f) if f.kind == "money" else _area_role(work, f)
            if role in (None, "aggregate"):
                continue
            # rule 1: right before a name
            target = _directly_before(work, f, in_sent)
            if target is not None:
                _apply(target, work, f, role)
                continue
            if _is_threshold(work, f) or role.endswith("_weak"):
                continue
            # rule 2: after a name in the same sentence
            before = [m for m in in_sent if m.end <= f.start]
            if before:
                m = before[-1]
                between = work[m.end : f.start]
                if (m.group is None or group_size.get(m.group, 0) < 2) and not _PROJECT_COUNT.search(between):
                    _apply(m, work, f, role)
                continue
            # rule 3: a sentence that refers back
            if antecedent is not None and not in_sent:
                _apply(antecedent, work, f, role)
    _inherit_subset_stage(work, sents, by_sent, figures_by_sent)


def _inherit_subset_stage(
    work: str, sents: SentenceIndex, by_sent: dict[int, list[Mention]], figures_by_sent: dict[int, list[Fact]]
) -> None:
    """ "共签约项目6个…。其中，X项目总投资…": the projects of a 其中 sentence are members of the
    set the sentence before described, so they take its stage when they have none of their own."""
    for si, in_sent in by_sent.items():
        first = si  # clauses after ；belong to the same 其中
        while first > 0 and work[sents.spans[first - 1][1] - 1] in "；;":
            first -= 1
        if first == 0 or not work[sents.spans[first][0] : sents.spans[first][1]].startswith("其中"):
            continue
        before = [
            f.value for f in figures_by_sent.get(first - 1, []) if f.kind == "stage" and f.qualifier is None
        ]
        if not before:
            continue
        stage = max(before, key=lambda s: lexicon.STAGE_RANK[s])
        for m in in_sent:
            if not m.stages:
                m.stages.append(stage)


def _directly_before(work: str, f: Fact, in_sent: list[Mention]) -> Mention | None:
    for m in in_sent:
        if m.start >= f.end and m.start - f.end <= 40:
            gap = work[f.end : m.start]
            if m.enterprise:
                gap = gap.replace(m.enterprise, "")
            gap = gap.replace("\u200b", "").strip()
            if gap in ("", "的") or (gap.endswith("的") and _WEAK_LEAD.fullmatch(gap)):
                if f.kind == "money" and any(w in _clause_tail(work, f.start, 8) for w in _NON_INVEST_MONEY):
                    return None
                return m
            return None
    return None


def _tie_stage(f: Fact, in_sent: list[Mention], antecedent: Mention | None, mentions: list[Mention]) -> None:
    if f.qualifier == "planned":
        return
    if any(m.start <= f.start < m.end for m in in_sent):
        return  # a stage word inside a name ("建设项目") says nothing
    if in_sent:
        target = min(in_sent, key=lambda m: max(m.start - f.end, f.start - m.end))
        targets = [m for m in mentions if target.group is not None and m.group == target.group] or [target]
    elif antecedent is not None:
        targets = [antecedent]
    else:
        return
    for m in targets:
        (m.weak_stages if f.qualifier == "nominal" else m.stages).append(f.value)


def _antecedent(work: str, s_start: int, s_end: int, mentions: list[Mention]) -> Mention | None:
    """The project a sentence without its own name refers back to, if it does."""
    sentence = work[s_start:s_end]
    earlier = mentions  # already limited to the window before the sentence
    if not earlier:
        return None
    lead = re.match(_LEAD_ADVERBS, sentence)
    rest = sentence[lead.end() :] if lead else sentence
    # the head noun of an earlier facility: "研发中心总建筑面积为…" → that 研发中心
    for m in reversed(earlier):
        head = m.head
        if head and len(head) >= 2 and rest.startswith(head) and m.name != head:
            return m
    if _ANAPHOR_START.match(sentence) or _ANAPHOR_ANY.search(sentence):
        last = earlier[-1]
        if last.group is not None and sum(1 for m in earlier if m.group == last.group) > 1:
            return None  # "该项目" after a list is ambiguous
        return last
    return None


# ---------------------------------------------------------------- zones and merging


_ZONE_CORE_STRIP = re.compile(
    alternation(lexicon.ZONE_SUFFIXES + lexicon.ZONE_DESCRIPTORS + ("省", "市", "县", "山西", "国家"))
)


def _zone_key(name: str) -> str:
    # "左云经济技术开发区", "左云经开区" and "左云经济开发区" are one zone: key "左云".
    return _ZONE_CORE_STRIP.sub("", name) or name


def _title_blocks(work: str, sents: SentenceIndex) -> list[tuple[int, int]]:
    """Title blocks: runs of short lines without sentence punctuation, as (start, end)."""
    blocks: list[tuple[int, int]] = []
    previous_was_title = False
    for s, e in sents.spans:
        piece = work[s:e]
        is_title = e - s < 30 and not any(c in piece for c in "。！？!?；;，,")
        if is_title and previous_was_title:
            blocks[-1] = (blocks[-1][0], e)
        elif is_title:
            blocks.append((s, e))
        previous_was_title = is_title
    return blocks


# A title naming a government or a whole city/province ("郑州市政府工作报告", "全市…通报")
# heads a text about many places: a project takes a zone only from its own paragraph.
_GOVERNMENT_TITLE = re.compile(r"政府|工作报告|全[省市县区]|[省市县]委|通报|公报")


def assign_zones(mentions: list[Mention], zones: list[Fact], sents: SentenceIndex, work: str) -> None:
    """The zone of a project: one named in its sentence, else the zone its article is about."""
    starts = [z.start for z in zones]
    blocks = _title_blocks(work, sents)
    titles = [b[0] for b in blocks]
    for m in mentions:
        if m.zone:
            continue
        s_start, s_end = sents.spans[m.sent]
        lo, hi = bisect_right(starts, s_start - 1), bisect_right(starts, s_end - 1)
        same = [z for z in zones[lo:hi] if not (m.start <= z.start < m.end)]
        before = [z for z in same if z.end <= m.start]
        if before:
            m.zone = before[-1].value
        elif same:
            m.zone = same[0].value
        else:
            m.zone = _passage_zone(m.start, zones, starts, sents, titles)
            if m.zone is not None and _in_government_text(work, m.start, blocks, zones):
                para_start = work.rfind("\n", 0, m.start) + 1
                m.zone = next((z.value for z in reversed(zones) if para_start <= z.start < m.start), None)


def _in_government_text(work: str, pos: int, blocks: list[tuple[int, int]], zones: list[Fact]) -> bool:
    i = bisect_right([b[0] for b in blocks], pos) - 1
    if i < 0:
        return False
    start, end = blocks[i]
    if any(start <= z.start < end for z in zones):
        return False  # the title names a zone: the text is about that zone
    return _GOVERNMENT_TITLE.search(work, start, end) is not None


def _passage_zone(
    pos: int, zones: list[Fact], starts: list[int], sents: SentenceIndex, titles: list[int]
) -> str | None:
    """The zone named most often since the article's title; a title counts double."""
    i = bisect_right(starts, pos) - 1
    lo = bisect_right(starts, pos - _MAX_ZONE_LOOKBACK - 200)
    window = [z for z in zones[lo : i + 1] if pos - z.end <= _MAX_ZONE_LOOKBACK]
    t = bisect_right(titles, pos) - 1
    while window and t >= 0:
        # stay inside the article; step back one title block when it names no zone
        inside = [z for z in window if z.start >= titles[t]]
        if inside:
            window = inside
            break
        t -= 1
    if not window:
        return None
    score: dict[str, float] = {}
    latest: dict[str, Fact] = {}
    for z in window:
        s_start, s_end = sents.spans[sents.of(z.start)]
        weight = 2.0 if s_end - s_start < 30 else 1.0
        key = _zone_key(z.value)
        score[key] = score.get(key, 0.0) + weight
        latest[key] = z
    best = max(score, key=lambda k: (score[k], latest[k].start))
    return latest[best].value


def _key(name: str) -> str:
    return re.sub(r"\((?:[一二三四五六七八九十]|[0-9]+)期\)|项目$|\s", "", name.replace("\u200b", ""))


def _same_key(ka: str, kb: str) -> bool:
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    if len(short) >= 4 and short in long_:
        return True
    common = 0
    for x, y in zip(short, long_, strict=False):
        if x != y:
            break
        common += 1
    return common >= max(4, int(0.8 * len(short)))


def merge(mentions: list[Mention], sents: SentenceIndex, text: str) -> list[Project]:
    clusters: list[list[Mention]] = []
    by_key: dict[str, int] = {}  # exact key → cluster, so repeated names cost one lookup
    cluster_keys: list[set[str]] = []
    for m in mentions:
        key = _key(m.name)
        index = by_key.get(key)
        if index is None:
            index = next(
                (i for i, keys in enumerate(cluster_keys) if any(_same_key(key, k) for k in keys)), None
            )
        if index is None:
            clusters.append([])
            cluster_keys.append(set())
            index = len(clusters) - 1
        clusters[index].append(m)
        cluster_keys[index].add(key)
        by_key[key] = index
    projects: list[Project] = []
    for cluster in clusters:
        primary = max(cluster, key=lambda m: (len(m.name), -m.start))
        ordered = [primary] + [m for m in cluster if m is not primary]
        s_start, s_end = sents.spans[primary.sent]
        stages = [s for m in cluster for s in m.stages] or [s for m in cluster for s in m.weak_stages]
        project = Project(
            name=primary.name,
            zone=next((m.zone for m in ordered if m.zone), None),
            enterprise=next((m.enterprise for m in ordered if m.enterprise), None),
            investment_wan=next((m.investment for m in ordered if m.investment is not None), None),
            land_mu=next((m.land_mu for m in ordered if m.land_mu is not None), None),
            floor_area_m2=next((m.floor_m2 for m in ordered if m.floor_m2 is not None), None),
            stage=max(stages, key=lambda s: lexicon.STAGE_RANK[s]) if stages else None,
            sentence=text[s_start:s_end],
            start=s_start,
            end=s_end,
            currency=next((m.currency for m in ordered if m.investment is not None), "CNY"),
            mentions=[(m.start, m.end) for m in sorted(cluster, key=lambda m: m.start)],
        )
        projects.append(project)
    projects.sort(key=lambda p: p.mentions[0][0])
    return projects
