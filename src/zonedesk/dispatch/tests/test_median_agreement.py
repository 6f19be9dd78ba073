"""The dashboard (projects/stats.py) and the bulletin give the same 签约至开工天数 for the same projects:
both take core.median's median and round half a day up."""

import datetime as dt

from zonedesk.access.scoping import restrict
from zonedesk.dispatch.bulletin import build_bulletin_data
from zonedesk.dispatch.metrics import Scope, Window, compute_kpis
from zonedesk.projects import stats
from zonedesk.projects.models import Project

OCT = Window.parse("2026-10")
D = dt.date


def _started(world, name, signed, supplied, started):
    p = world.project(world.zone_a, name=name)
    Project.objects.filter(pk=p.pk).update(
        stage="started", first_signed_date=signed, land_supplied_date=supplied, start_date=started
    )


def test_dashboard_and_bulletin_give_the_same_days_from_signing_to_start(world):
    # 10 and 11 days: the median is 10.5, which the dashboard rounded to 10 (to even) and the bulletin to 11.
    _started(world, "甲", D(2026, 3, 1), D(2026, 3, 1), D(2026, 3, 11))
    _started(world, "乙", D(2026, 4, 1), D(2026, 4, 1), D(2026, 4, 12))
    _started(world, "丙（去年开工，不计）", D(2025, 1, 1), D(2025, 1, 1), D(2025, 6, 1))
    started_this_year = restrict(world.admin, "view", Project).filter(
        zone=world.zone_a, start_date__gte=OCT.year_start, start_date__lte=OCT.end
    )
    dashboard = stats.median_days_between(started_this_year, "first_signed_date", "start_date")
    data = build_bulletin_data(
        world.admin, OCT, zone=world.zone_a, issued_on=D(2026, 11, 21), with_charts=False
    )
    kpi = compute_kpis(Scope(world.admin, [world.zone_a.pk]), OCT, keys=["days_sign_to_start"])
    assert dashboard == 11
    assert data.kpis["days_sign_to_start"] == ("签约至开工天数（中位数）", "11", "天")
    assert str(kpi["days_sign_to_start"].value) == "10.50"  # the KPI itself keeps its two places (API)


def test_dashboard_conversion_median_rounds_half_a_day_up(world):
    _started(world, "甲", D(2026, 3, 1), D(2026, 3, 1), D(2026, 3, 11))
    _started(world, "乙", D(2026, 4, 1), D(2026, 4, 1), D(2026, 4, 12))
    conversions = stats.conversions(restrict(world.admin, "view", Project))
    supplied_to_started = next(c for c in conversions if (c.from_label, c.to_label) == ("供地", "开工"))
    assert supplied_to_started.median_days == 11
