"""Who may do what to dispatch records — cycles, periods, reports, issues — on the API and the pages
(see ``zonedesk.testing.permissions``)."""

import datetime as dt

from zonedesk.core.audit import acting_as
from zonedesk.dispatch import services
from zonedesk.dispatch.models import (
    CoordinationIssue,
    Correction,
    ProgressReport,
    ReportingCycle,
    ReportingPeriod,
)
from zonedesk.testing.permissions import Endpoint, Matrix, page_ids

WATCH = (ReportingCycle, ReportingPeriod, ProgressReport, Correction, CoordinationIssue)
REPORT = {"investment_period_wan": 300, "investment_cumulative_wan": 900, "physical_progress": "基础施工"}


def records(world):
    """For each zone: a project of its centre, a monthly cycle, the October period with one report,
    and an open coordination issue owned by the centre."""
    made = {}
    with acting_as(world.admin, source="test"):
        for key, zone, unit in (("a", world.zone_a, world.centre_a), ("b", world.zone_b, world.centre_b)):
            project = world.project(zone, name=f"{zone.aliases[0]}调度项目", pursuing_unit=unit.pk)
            cycle = services.cycle_create(
                user=world.admin,
                zone=zone,
                name="月调度",
                frequency="monthly",
                deadline_workdays=3,
                units=[unit],
            )
            period = services.period_open(user=world.admin, cycle=cycle, day=dt.date(2026, 10, 1))
            report = services.report_submit(
                user=world.admin,
                period=period,
                project=project,
                data={"investment_period_wan": 100, "investment_cumulative_wan": 600},
            )
            issue = services.issue_create(
                user=world.admin,
                data={
                    "project": project.pk,
                    "title": "电力接入",
                    "issue_type": "utilities",
                    "raised_on": dt.date(2026, 10, 8),
                    "raised_by": "项目企业",
                    "owner_unit": unit.pk,
                    "deadline": dt.date(2026, 12, 31),
                },
            )
            made[key] = {
                "project": project,
                "cycle": cycle,
                "period": period,
                "report": report,
                "issue": issue,
            }
    return made


def of(kind):
    def setup(world):
        made = records(world)
        return {"target": made["a"][kind], "other": made["b"][kind], "project": made["a"]["project"]}

    return setup


def report_ids(response, ctx):
    return [row["id"] for row in response.json()]


# Cycles and periods sit in a zone; its members see them (member_zone). The department role may
# report and raise issues but not run cycles or close periods.
periods_api = Matrix(
    surface="api",
    setup=of("period"),
    watch=WATCH,
    endpoints=[
        Endpoint("periods", "list", "list", "/api/v1/dispatch/periods"),
        Endpoint("periods", "detail", "read", "/api/v1/dispatch/periods/{target.pk}"),
        Endpoint("reports", "list", "read", "/api/v1/dispatch/periods/{target.pk}/reports"),
        Endpoint(
            "reports",
            "submit",
            "write",
            "/api/v1/dispatch/periods/{target.pk}/reports",
            "post",
            {"project": "{project.pk}", **REPORT},
            ok=201,
        ),
    ],
)
issues_api = Matrix(
    surface="api",
    setup=of("issue"),
    watch=WATCH,
    endpoints=[
        Endpoint("issues", "list", "list", "/api/v1/dispatch/issues"),
        Endpoint("issues", "detail", "read", "/api/v1/dispatch/issues/{target.pk}"),
        Endpoint(
            "issues",
            "create",
            "create",
            "/api/v1/dispatch/issues",
            "post",
            {
                "project": "{project.pk}",
                "title": "用地指标",
                "issue_type": "land_use",
                "raised_on": "2026-10-09",
                "raised_by": "项目企业",
                "owner_unit": "{world.centre_a.pk}",
            },
            ok=201,
            expect={"sibling_zone": 422},
        ),
        Endpoint(
            "issues",
            "close",
            "write",
            "/api/v1/dispatch/issues/{target.pk}/close",
            "post",
            {"resolution": "已接入", "closed_on": "2026-10-20"},
        ),
    ],
)

PERIOD = "/dispatch/periods/{target.pk}/"
periods_pages = Matrix(
    surface="page",
    setup=of("period"),
    watch=WATCH,
    endpoints=[
        Endpoint("periods", "detail", "read", PERIOD),
        Endpoint(
            "reports",
            "submit",
            "write",
            PERIOD + "report/",
            "post",
            {"project": "{project.pk}", **REPORT},
            ok=302,
        ),
        Endpoint("periods", "close", "write", PERIOD + "close/", "post", {}, ok=302, refused=("own_unit",)),
    ],
)
reports_pages = Matrix(
    surface="page",
    setup=of("report"),
    watch=WATCH,
    endpoints=[
        Endpoint("reports", "detail", "read", "/dispatch/reports/{target.pk}/"),
        Endpoint("reports", "correct_form", "read", "/dispatch/reports/{target.pk}/correct/", ok=302),
    ],
)
issues_pages = Matrix(
    surface="page",
    setup=of("issue"),
    watch=WATCH,
    endpoints=[
        Endpoint(
            "issues", "list", "list", "/dispatch/issues/", ids=page_ids(r'href="/dispatch/issues/(\d+)/"')
        ),
        Endpoint("issues", "detail", "read", "/dispatch/issues/{target.pk}/"),
    ],
)
cycles_pages = Matrix(
    surface="page",
    setup=of("cycle"),
    watch=WATCH,
    endpoints=[
        Endpoint("cycles", "edit_form", "read", "/dispatch/cycles/{target.pk}/edit/"),
        Endpoint(
            "cycles",
            "open_period",
            "write",
            "/dispatch/cycles/{target.pk}/open/",
            "post",
            {"day": "2026-11-02"},
            ok=302,
            refused=("own_unit",),
        ),
    ],
)

test_periods_api_matrix = periods_api.test()
test_issues_api_matrix = issues_api.test()
test_periods_page_matrix = periods_pages.test()
test_reports_page_matrix = reports_pages.test()
test_issues_page_matrix = issues_pages.test()
test_cycles_page_matrix = cycles_pages.test()
