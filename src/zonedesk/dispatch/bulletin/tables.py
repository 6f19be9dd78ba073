"""The bulletin's tables as (heading, header, rows), worked out once for both files, in the order and
under the headings ``bulletin.toml`` gives."""

from __future__ import annotations

from django.utils import translation

from zonedesk.geo.selectors import zone_short_name

from .charts import text_pt
from .data import BULLETIN_LANGUAGE, BulletinData, cn_date, fmt
from .layout import Section, get_layout

Table = tuple[str, list[str], list[list[str]]]


def _cap(rows: list, what: str, limit: int) -> list:
    """A bulletin names the worst cases; the full lists are on the dashboard."""
    if len(rows) <= limit:
        return rows
    width = len(rows[0])
    return rows[:limit] + [[f"另有{len(rows) - limit}{what}，详见调度工作台"] + [""] * (width - 1)]


def sections(data: BulletinData) -> list[Table]:
    """(heading, header, rows) for every table of the bulletin, worked out once for both files."""
    if data.tables is None:
        layout = data.layout or get_layout()
        with translation.override(BULLETIN_LANGUAGE):
            data.tables = [
                (section.title(data.entity_label), *TABLES[section.kind](data, section, layout.list_limit))
                for section in layout.sections
            ]
    return data.tables


def _kpis(data: BulletinData, section: Section, limit: int) -> tuple[list[str], list[list[str]]]:
    return ["指标", "数值", "单位"], [list(data.kpis[k]) for k in section.kpis]


def _ranking(data: BulletinData, section: Section, limit: int) -> tuple[list[str], list[list[str]]]:
    return (
        ["名次", data.entity_label, "组别", "得分", "等次", "计分说明"],
        [[str(r.rank), r.name, r.group or "—", fmt(r.score), r.grade, r.explanation()] for r in data.ranking],
    )


def _red_list(data: BulletinData, section: Section, limit: int) -> tuple[list[str], list[list[str]]]:
    return ["名次", data.entity_label, "得分"], [
        [str(n), r.name, fmt(r.score)] for n, r in enumerate(data.red_list, 1)
    ]


def _black_list(data: BulletinData, section: Section, limit: int) -> tuple[list[str], list[list[str]]]:
    return ["名次", data.entity_label, "得分"], [
        [str(n), r.name, fmt(r.score)] for n, r in enumerate(data.black_list, 1)
    ]


def _behind(data: BulletinData, section: Section, limit: int) -> tuple[list[str], list[list[str]]]:
    rows = [
        [
            r.project.name,
            unit.name if (unit := r.project.pursuing_unit) else "—",
            fmt(r.plan_year_wan),
            fmt(r.done_ytd_wan),
            fmt(r.completion_pct),
            fmt(r.gap_pct),
        ]
        for r in sorted(data.behind, key=lambda r: (r.gap_pct, r.project.name))
    ]
    header = [
        "项目名称",
        "责任单位",
        "年度计划（万元）",
        "累计完成（万元）",
        "完成率（%）",
        "与时间进度差（个百分点）",
    ]
    return header, _cap(rows, "个滞后项目", limit)


def _overdue(data: BulletinData, section: Section, limit: int) -> tuple[list[str], list[list[str]]]:
    rows = [
        [
            p.name,
            zone_short_name(p.zone),
            p.pursuing_unit.name if p.pursuing_unit_id else "—",
            cn_date(p.planned_start_date),
        ]
        for p in data.overdue
    ]
    return ["项目名称", "开发区", "责任单位", "计划开工日期"], _cap(rows, "个超时限未开工项目", limit)


def _missing(data: BulletinData, section: Section, limit: int) -> tuple[list[str], list[list[str]]]:
    rows = [
        [
            period.label,
            row.unit.name if row.unit else "未明确单位",
            str(row.expected),
            str(row.reported),
            "、".join(p.name for p in row.missing[:10])
            + (f"等{len(row.missing)}个" if len(row.missing) > 10 else ""),
        ]
        for period, row in data.missing
    ]
    return ["期次", "单位", "应报", "已报", "未报项目"], _cap(rows, "个单位", limit)


def _issues_by_unit(data: BulletinData, section: Section, limit: int) -> tuple[list[str], list[list[str]]]:
    return ["责任单位", "受理", "办结", "办结率（%）", "超期"], [
        [u.unit, str(u.received), str(u.closed), fmt(u.closure_pct), str(u.overdue)] for u in data.unit_issues
    ]


def _open_issues(data: BulletinData, section: Section, limit: int) -> tuple[list[str], list[list[str]]]:
    rows = [
        [
            i.title,
            i.get_issue_type_display(),
            i.project.name if i.project_id else "—",
            i.owner_unit.name,
            cn_date(i.raised_on),
            cn_date(i.deadline) if i.deadline else "—",
        ]
        for i in data.open_issues
    ]
    return ["事项", "类型", "项目", "责任单位", "提出日期", "办结时限"], _cap(rows, "件在办事项", limit)


def _closed_issues(data: BulletinData, section: Section, limit: int) -> tuple[list[str], list[list[str]]]:
    rows = [
        [i.title, i.get_issue_type_display(), i.owner_unit.name, cn_date(i.closed_on), i.resolution]
        for i in data.closed_issues
    ]
    return ["事项", "类型", "责任单位", "办结日期", "办理结果"], _cap(rows, "件办结事项", limit)


# One table builder per section kind of bulletin.toml (layout.SECTION_KINDS).
TABLES = {
    "kpis": _kpis,
    "ranking": _ranking,
    "red_list": _red_list,
    "black_list": _black_list,
    "behind": _behind,
    "overdue": _overdue,
    "missing": _missing,
    "issues_by_unit": _issues_by_unit,
    "open_issues": _open_issues,
    "closed_issues": _closed_issues,
}


def column_shares(header: list[str], rows: list[list[str]]) -> list[float]:
    """Each column's share of the table width: as much as its longest line needs, the long columns
    (a ranking's explanation) sharing what the short ones (rank, score) leave. Equal widths gave a
    explanation column of a few characters and pages of one-row tables."""
    natural = []
    for i, head in enumerate(header):
        longest = max(
            [text_pt(head, 1)]
            + [
                max((text_pt(line, 1) for line in (r[i] if i < len(r) else "").split("\n")), default=0)
                for r in rows
            ]
        )
        natural.append(max(longest, 2.0) + 1.0)  # at least two characters, plus the cell's padding
    total = float(len(header)) * 6  # a column fits about six characters at an even split
    if sum(natural) <= total:
        return [n / sum(natural) for n in natural]
    # Water-filling: the columns above a common cap get the cap, chosen so that all of them fill the width.
    ordered = sorted(natural)
    remaining, cap = total, 0.0
    for k, n in enumerate(ordered):
        share = remaining / (len(ordered) - k)
        if n >= share:
            cap = share
            break
        remaining -= n
    else:
        cap = ordered[-1]
    widths = [min(n, cap) for n in natural]
    return [w / sum(widths) for w in widths]
