import datetime as dt
import random

from zonedesk.core.audit import acting_as
from zonedesk.dispatch.demo import build_dispatch_demo
from zonedesk.dispatch.models import ProgressReport, ReportingPeriod
from zonedesk.dispatch.selectors import reporting_status


def test_demo_builds_periods_plans_reports_and_meetings(world):
    for i in range(6):
        world.project(name=f"演示项目{i}", pursuing_unit=world.centre_a.pk, total_investment_wan=10000 + i)
    from zonedesk.projects.models import Project

    Project.objects.update(stage="started")
    with acting_as(None, source="job", label="演示数据生成"):
        result = build_dispatch_demo(
            [world.zone_a, world.zone_b], rng=random.Random(1), today=dt.date(2026, 11, 21)
        )
    assert (result.cycles, result.periods, result.meetings) == (2, 20, 2)
    assert result.plans == 6 * 12
    october = ReportingPeriod.objects.get(zone=world.zone_a, label="2026年10月")
    assert october.state == "open" and october.deadline == dt.date(2026, 11, 4)
    assert ReportingPeriod.objects.filter(zone=world.zone_a, state="closed").count() == 9
    rows = reporting_status(world.admin, october)
    assert sum(r.expected for r in rows) == 6
    assert ProgressReport.objects.filter(period=october).count() == sum(r.reported for r in rows)
