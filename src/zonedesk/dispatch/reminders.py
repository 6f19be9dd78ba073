"""Reminders of missing reports (未报送提醒): when a period is due a reminder, and what the reminder says.
Pure functions; sending (notices and mail) is ``services.reminders_send``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from zonedesk.geo.selectors import zone_short_name

from . import calendar as workcal
from .selectors import UnitReporting

# Remind from this many working days before the deadline (and every working day after it, until the
# period is closed).
BEFORE_WORKDAYS = 1


def cn_date(d: dt.date) -> str:
    """2026年11月4日, or 2026-11-04 in English (as the pages write dates)."""
    if (get_language() or "").startswith("en"):
        return d.isoformat()
    return f"{d.year}年{d.month}月{d.day}日"


def due(period: Any, day: dt.date, before_workdays: int = BEFORE_WORKDAYS) -> bool:
    """Whether ``period`` gets a reminder on ``day``: open, and its deadline at most ``before_workdays``
    working days ahead (or passed)."""
    if period.is_closed or day < period.start:
        return False
    return period.is_late_at(day) or workcal.workdays_between(day, period.deadline) <= before_workdays


def deadline_phrase(deadline: dt.date, day: dt.date) -> str:
    if workcal.is_late(deadline, day):
        late = workcal.workdays_between(deadline, day)
        if not late:
            return _("已过报送截止日期")
        return ngettext("已逾期%(n)s个工作日", "已逾期%(n)s个工作日", late) % {"n": late}
    if day == deadline:
        return _("今天截止")
    left = workcal.workdays_between(day, deadline)
    return ngettext("还有%(n)s个工作日截止", "还有%(n)s个工作日截止", left) % {"n": left}


@dataclass
class Composed:
    subject: str
    body: str
    missing: list[dict[str, Any]]
    units: int
    projects: int


def compose(period: Any, rows: list[UnitReporting], day: dt.date, recipient: Any) -> Composed | None:
    """The reminder for one dispatcher, from the reporting status they may see; None when nobody is missing.
    Written in the recipient's language (Chinese unless they chose English)."""
    language = getattr(recipient, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        return _compose(period, rows, day, recipient)


def _compose(period: Any, rows: list[UnitReporting], day: dt.date, recipient: Any) -> Composed | None:
    missing_rows = [r for r in rows if r.missing]
    if not missing_rows:
        return None
    units = len(missing_rows)
    projects = sum(len(r.missing) for r in missing_rows)
    zone = zone_short_name(period.zone)
    subject = _("【调度提醒】%(zone)s%(period)s：%(units)s个单位%(projects)s个项目未报送") % {
        "zone": zone,
        "period": period.label,
        "units": units,
        "projects": projects,
    }
    lines = [
        _("%(name)s：") % {"name": recipient},
        "",
        _(
            "%(zone)s“%(cycle)s”%(period)s（%(start)s至%(end)s）的进展报送截止日期为%(deadline)s，%(phrase)s。"
            "截至%(day)s，以下%(units)s个单位共%(projects)s个项目尚未报送："
        )
        % {
            "zone": zone,
            "cycle": period.cycle.name,
            "period": period.label,
            "start": cn_date(period.start),
            "end": cn_date(period.end),
            "deadline": cn_date(period.deadline),
            "phrase": deadline_phrase(period.deadline, day),
            "day": cn_date(day),
            "units": units,
            "projects": projects,
        },
        "",
    ]
    for n, row in enumerate(missing_rows, 1):
        unit = row.unit.name if row.unit else _("未明确单位")
        names = _("、").join(p.name for p in row.missing)
        lines.append(
            _("%(n)s. %(unit)s：应报%(expected)s个，已报%(reported)s个，未报%(missing)s个——%(names)s")
            % {
                "n": n,
                "unit": unit,
                "expected": row.expected,
                "reported": row.reported,
                "missing": len(row.missing),
                "names": names,
            }
        )
    lines += ["", _("请督促以上单位尽快报送。报送情况：%(url)s") % {"url": period_url(period)}]
    missing = [
        {
            "unit": row.unit.name if row.unit else "",
            "unit_id": row.unit.pk if row.unit else None,
            "expected": row.expected,
            "reported": row.reported,
            "missing": [{"id": p.pk, "name": p.name} for p in row.missing],
        }
        for row in missing_rows
    ]
    return Composed(subject, "\n".join(lines), missing, units, projects)


def period_url(period: Any) -> str:
    """The period's page; absolute when ZONEDESK_SITE_URL says where the site is (mail is read elsewhere)."""
    return f"{getattr(settings, 'ZONEDESK_SITE_URL', '').rstrip('/')}{reverse('dispatch:period', args=[period.pk])}"
