"""``bulletin.toml``: which sections a bulletin has, in which order, under which headings, and which KPIs
its 主要指标 table lists. Checked against the schema below when loaded; a mistake is refused with a
Chinese message naming the key ("section[3].kind")."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from zonedesk.core.errors import ValidationFailed

from ..metrics import KpiConfig, get_config

LAYOUT_FILE = Path(__file__).resolve().parent.parent / "bulletin.toml"
SECTION_KINDS = (
    "kpis",
    "ranking",
    "red_list",
    "black_list",
    "behind",
    "overdue",
    "missing",
    "issues_by_unit",
    "open_issues",
    "closed_issues",
)
# The overview's paragraphs quote these KPIs whatever the table lists.
OVERVIEW_KPIS = (
    "signed_count",
    "signed_amount",
    "new_started",
    "start_rate",
    "start_resume_rate",
    "production_rate",
    "funds_rate",
    "plan_completion_rate",
    "ahead_of_schedule",
    "closure_rate",
    "overdue_not_started",
)


class BulletinConfigError(ValidationFailed):
    pass


@dataclass(frozen=True)
class Section:
    kind: str
    heading: str  # may hold {entity}
    kpis: tuple[str, ...] = ()

    def title(self, entity_label: str) -> str:
        return self.heading.replace("{entity}", entity_label)


@dataclass(frozen=True)
class BulletinLayout:
    sections: tuple[Section, ...]
    list_limit: int
    charts: bool

    @property
    def kpis(self) -> tuple[str, ...]:
        """Every KPI the bulletin shows in a table, in order, once."""
        return tuple(dict.fromkeys(k for s in self.sections for k in s.kpis))


def _fail(where: str, message: str) -> BulletinConfigError:
    return BulletinConfigError("通报配置有误", fields={where: [message]})


def parse_layout(data: dict[str, Any], kpis: KpiConfig | None = None) -> BulletinLayout:
    """Check a bulletin file's contents against the schema and build the layout."""
    kpis = kpis or get_config()
    extra = set(data) - {"list_limit", "charts", "section"}
    if extra:
        raise _fail(sorted(extra)[0], f"未知的键：{', '.join(sorted(extra))}")
    limit = data.get("list_limit", 20)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 1000:
        raise _fail("list_limit", f"list_limit 应为 1–1000 的整数：{limit}")
    charts = data.get("charts", True)
    if not isinstance(charts, bool):
        raise _fail("charts", f"charts 应为 true 或 false：{charts}")
    raw = data.get("section")
    if not isinstance(raw, list) or not raw:
        raise _fail("section", "缺少 [[section]] 各节定义")
    sections = []
    for n, spec in enumerate(raw, 1):
        where = f"section[{n}]"
        if not isinstance(spec, dict):
            raise _fail(where, "每一节应为表")
        extra = set(spec) - {"kind", "heading", "kpis"}
        if extra:
            raise _fail(where, f"未知的键：{', '.join(sorted(extra))}")
        kind = spec.get("kind")
        if kind not in SECTION_KINDS:
            raise _fail(f"{where}.kind", f"kind 应为 {'、'.join(SECTION_KINDS)} 之一：{kind}")
        heading = spec.get("heading")
        if not isinstance(heading, str) or not heading.strip():
            raise _fail(f"{where}.heading", "heading 缺少或为空")
        leftover = heading.replace("{entity}", "")
        if "{" in leftover or "}" in leftover:
            raise _fail(f"{where}.heading", f"标题中只能使用 {{entity}}：{heading}")
        listed = spec.get("kpis")
        if kind == "kpis":
            if not isinstance(listed, list) or not listed or not all(isinstance(k, str) for k in listed):
                raise _fail(f"{where}.kpis", "kpis 应为指标键的非空列表")
            unknown = [k for k in listed if k not in kpis.kpis]
            if unknown:
                raise _fail(f"{where}.kpis", f"kpis.toml 中没有这些指标：{', '.join(unknown)}")
            if len(set(listed)) != len(listed):
                raise _fail(f"{where}.kpis", "指标重复列出")
        elif listed is not None:
            raise _fail(f"{where}.kpis", f'只有 kind = "kpis" 的一节可以列出指标（此节为 {kind}）')
        sections.append(Section(kind, heading.strip(), tuple(listed or ())))
    return BulletinLayout(tuple(sections), limit, charts)


def load_layout(path: Path | str | None = None) -> BulletinLayout:
    path = Path(path) if path else LAYOUT_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path.name, f"TOML 格式错误：{exc}") from exc
    return parse_layout(data)


@lru_cache(maxsize=1)
def get_layout() -> BulletinLayout:
    return load_layout()
