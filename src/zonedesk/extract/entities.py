"""Names: development zones, enterprises, and stage words.

Chinese has no spaces, so a name is found from its ending (开发区, 有限公司, 项目) and its
start is decided by scanning left over name characters and cutting after the rightmost
word that cannot be part of the name (a preposition or verb: 在, 与, 的, 推进…).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from zonedesk.textnorm.quantities import alternation

from . import lexicon
from .model import Fact
from .segment import SOFT

_CLAUSE_STOP = "，,。；;！？!?\n：:"


def is_name_char(c: str) -> bool:
    # "/" for capacities in names: "20万吨/年特种润滑油项目"
    return "\u4e00" <= c <= "\u9fff" or (c.isascii() and c.isalnum()) or c in "()·&\u200b〇/"


def left_run(work: str, end: int, floor: int, max_len: int = 32) -> int:
    """Start of the run of name characters that ends at `end` (not before floor).

    Parentheses are allowed only when balanced inside the run: "纵联农业(北京)有限公司".
    """
    i = end
    depth = 0
    lo = max(floor, end - max_len)
    while i > lo:
        c = work[i - 1]
        if c == ")":
            depth += 1
        elif c == "(":
            if depth == 0:
                break
            depth -= 1
        elif not is_name_char(c):
            break
        i -= 1
    while i < end and work[i] in ")\u200b":
        i += 1
    return i


def clean_name(s: str) -> str:
    return s.replace(SOFT, "").strip()


def words_regex(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(alternation(words))


def cut_left(
    run: str, boundary: re.Pattern[str], valid: Callable[[str], bool], rightmost_only: bool = False
) -> int | None:
    """Offset in run where the name starts: after the rightmost boundary word that leaves a
    valid name. With rightmost_only, a generic remainder rejects the name outright."""
    ends = [m.end() for m in boundary.finditer(run) if not _inside_place(run, m.start(), m.end())]
    for pos in reversed(ends):
        if pos < len(run) and valid(run[pos:]):
            return pos
        if rightmost_only:
            return None
    return 0 if valid(run) else None


_PLACE = re.compile(alternation(lexicon.PLACES_WITH_BOUNDARY_CHARS))


def _inside_place(run: str, start: int, end: int) -> bool:
    """Is run[start:end] part of a place name such as 呼和浩特 (so not a boundary)?"""
    for m in _PLACE.finditer(run, max(0, start - 4), min(len(run), end + 4)):
        if m.start() <= start and end <= m.end():
            return True
    return False


def future_context(work: str, pos: int, width: int = 14) -> bool:
    """Is the word at pos a plan or wish (力争投产, 确保…建成)? Looks back within the clause."""
    left = work[max(0, pos - width) : pos]
    for i in range(len(left) - 1, -1, -1):
        if left[i] in _CLAUSE_STOP or left[i] == "、":
            left = left[i + 1 :]
            break
    for w in lexicon.FUTURE_MARKERS:
        i = left.rfind(w)
        # "已实现达产", "已经推动投产": 已 before the marker reports a fact, not a plan
        if i >= 0 and "已" not in left[max(0, i - 2) : i] and "已" not in left[i + len(w) :]:
            return True
    return False


# ---------------------------------------------------------------- zones

_ZONE_SUFFIX = words_regex(lexicon.ZONE_SUFFIXES)
# Characters that also start place names (成都, 正定, 和林格尔, 以色列…) are not boundaries here.
_NOT_BOUNDARY_IN_NAMES = ("同", "经", "向", "以", "都", "正", "新", "于", "从", "到")
# Words that are verbs elsewhere but nouns inside zone names ("现代服务业合作区").
_ZONE_NOUNS = ("服务", "开发", "建设", "配套", "发展", "合作", "创新", "示范")
_ZONE_BOUNDARY = words_regex(
    tuple(w for w in lexicon.NAME_BOUNDARY_WORDS if w not in _NOT_BOUNDARY_IN_NAMES + _ZONE_NOUNS)
    + tuple(w for w in lexicon.OBJECT_VERBS if len(w) > 1)
    + lexicon.ORG_CLOSERS
    + (
        "提升",
        "巩固",
        "创建",
        "发展",
        "培育",
        "壮大",
        "做强",
        "做大",
        "申报",
        "争创",
        "升级",
        "成为",
        "认定",
        "晋升",
        "批准",
        "毗邻",
        "融入",
        "对接",
        "推介",
        "学习",
        "打通",
        "企业",
        "经开区",
        "高新区",
        "借鉴",
        "夯实",
        "按照",
        "根据",
        "依据",
        "参照",
        "对照",
        "比照",
        "赶超",
        "学习借鉴",
        "开发区",
        "示范区",
        "管委会",
        "党工委",
        "管理局",
        # news formulas: "记者从X开发区获悉"
        "记者",
        "记者从",
        "通讯员",
        "获悉",
    )
)
_MORE_DESCRIPTORS = ("升级", "融合", "发展", "绿色", "低碳", "数字", "改革", "集聚")
_ZONE_DESCRIPTOR = re.compile(f"(?:{alternation(lexicon.ZONE_DESCRIPTORS + _MORE_DESCRIPTORS)})")


def _zone_core_valid(core: str) -> bool:
    core = clean_name(core)
    if len(core) < 2 or core in lexicon.ZONE_STOP_CORES or core[0].isdigit():
        return False
    rest = _ZONE_DESCRIPTOR.sub("", core)
    return len(rest) >= 2 and rest not in lexicon.ZONE_STOP_CORES


def find_zones(work: str, text: str) -> list[Fact]:
    facts: list[Fact] = []
    floor = 0
    for m in _ZONE_SUFFIX.finditer(work):
        suffix = m.group()
        run_start = left_run(work, m.start(), floor, 24)
        run = work[run_start : m.start()]
        start: int | None = None
        if run:
            pos = cut_left(run, _ZONE_BOUNDARY, _zone_core_valid, rightmost_only=True)
            if pos is not None:
                start = run_start + pos
        if start is None and suffix in lexicon.ZONE_STANDALONE:
            start = m.start()
        if start is None:
            continue
        end = m.end()
        if facts and facts[-1].end == start:
            # "朔州经济开发区新兴产业园区": a park inside a zone is named with the zone.
            prev = facts.pop()
            start = prev.start
        facts.append(Fact("zone", text[start:end], start, end, clean_name(work[start:end])))
        floor = end
    return facts


# ---------------------------------------------------------------- enterprises

_ENT_SUFFIX = re.compile(rf"(?:{alternation(lexicon.ENTERPRISE_SUFFIXES)})(?:[\u4e00-\u9fff]{{2,8}}?分公司)?")
# Verbs that are also words inside company names ("…创新投资建设管理有限公司").
_COMPANY_NOUNS = ("投资", "开发", "建设", "服务", "配套", "总投资", "创新", "发展", "利用", "成立", "注册")
_ENT_BOUNDARY = words_regex(
    tuple(w for w in lexicon.NAME_BOUNDARY_WORDS if w not in _NOT_BOUNDARY_IN_NAMES + _COMPANY_NOUNS)
    + tuple(w for w in lexicon.OBJECT_VERBS if len(w) > 1 and w not in _COMPANY_NOUNS)
    + ("企业", "单位", "龙头", "链主", "委", "厅", "管委会", "一行", "董事长", "总经理", "负责人")
)
_LIMITED = ("有限公司", "有限责任公司", "股份有限公司")


def _count_name_chars(core: str) -> int:
    # Parenthesised places ("(北京)") do not make a name longer.
    return len(re.sub(r"\([^)]*\)", "", clean_name(core)))


def _ent_valid_for(suffix: str) -> Callable[[str], bool]:
    limited = any(suffix.startswith(s) or s in suffix for s in _LIMITED)

    def valid(core: str) -> bool:
        core = clean_name(core)
        if not core or core[0] in "()" or core[-1] in "与和及的了是把":
            return False
        if limited:
            return _count_name_chars(core) >= 4
        return _count_name_chars(core) >= 2 and core not in lexicon.ENTERPRISE_GENERIC_CORES

    return valid


def find_enterprises(work: str, text: str, floors: list[int]) -> list[Fact]:
    """Company names. floors: ends of figures and dates, which a company name cannot cross."""
    facts: list[Fact] = []
    floor = 0
    floors = sorted(floors)
    fi = 0
    for m in _ENT_SUFFIX.finditer(work):
        suffix = m.group()
        if suffix in ("集团", "公司", "集团公司") and _longer_name_follows(work, m.end()):
            continue  # "中国煤炭科工集团煤炭科学技术研究院有限公司" is one company
        while fi < len(floors) and floors[fi] <= m.start():
            floor = max(floor, floors[fi])
            fi += 1
        run_start = left_run(work, m.start(), floor, 30)
        run = work[run_start : m.start()]
        if not run:
            continue
        # a bare 公司/集团 after a verb is a company in general ("介绍了公司"), not a name
        bare = suffix in ("公司", "集团", "集团公司")
        pos = cut_left(run, _ENT_BOUNDARY, _ent_valid_for(suffix), rightmost_only=bare)
        if pos is None:
            continue
        start, end = run_start + pos, m.end()
        facts.append(Fact("enterprise", text[start:end], start, end, clean_name(work[start:end])))
        floor = end
    return facts


_NEXT_COMPANY = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()\u200b]{0,20}?(?:有限公司|有限责任公司)")


def _longer_name_follows(work: str, pos: int) -> bool:
    m = _NEXT_COMPANY.match(work, pos)
    return m is not None


# ---------------------------------------------------------------- stages

_STAGE = words_regex(lexicon.STAGE_WORDS)


def find_stages(work: str, text: str) -> list[Fact]:
    facts: list[Fact] = []
    for m in _STAGE.finditer(work):
        # "建成后", "投产后": what will follow completion, so not a fact yet
        planned = future_context(work, m.start()) or work.startswith("后", m.end())
        # "这一项目的落地，不仅…": a stage word used as a noun comments on the project; it
        # counts only when nothing in the text says the stage plainly.
        nominal = m.start() > 0 and work[m.start() - 1] == "的" and not work.startswith("的", m.end())
        qualifier = "planned" if planned else "nominal" if nominal else None
        facts.append(
            Fact(
                "stage",
                text[m.start() : m.end()],
                m.start(),
                m.end(),
                lexicon.STAGE_WORDS[m.group()],
                qualifier=qualifier,
            )
        )
    return facts
