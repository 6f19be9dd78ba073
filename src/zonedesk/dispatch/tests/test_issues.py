"""超期 (an overdue coordination issue) is one rule: the per-unit count, the API's flag and filter and the
issues page's mark agree, and an issue closed after its deadline stays overdue."""

import datetime as dt
import re

import pytest

from zonedesk.core.audit import acting_as
from zonedesk.dispatch import calendar as workcal
from zonedesk.dispatch import selectors, services
from zonedesk.dispatch.metrics import Scope
from zonedesk.testing.world import PASSWORD

BASE = "/api/v1/dispatch"


@pytest.fixture
def four_issues(world):
    """As of today: closed late, closed in time, open past its deadline, open on its deadline day (in time),
    and one without a deadline."""
    today = workcal.local_day()
    day = lambda n: today + dt.timedelta(days=n)  # noqa: E731
    cases = {
        "迟办结事项": {"deadline": day(-20), "closed_on": day(-10), "resolution": "已解决"},
        "按时办结事项": {"deadline": day(-10), "closed_on": day(-15), "resolution": "已解决"},
        "逾期在办事项": {"deadline": day(-1)},
        "未到期在办事项": {"deadline": today},
        "无时限事项": {},
    }
    with acting_as(world.admin, source="test"):
        for title, facts in cases.items():
            services.issue_create(
                user=world.admin,
                data={
                    "zone": world.zone_a.pk,
                    "title": title,
                    "issue_type": "land_use",
                    "raised_on": day(-30),
                    "raised_by": "企业",
                    "owner_unit": world.centre_a.pk,
                    **facts,
                },
            )
    return today


OVERDUE = {
    "迟办结事项": True,
    "按时办结事项": False,
    "逾期在办事项": True,
    "未到期在办事项": False,
    "无时限事项": False,
}


def test_per_unit_count_api_flag_api_filter_and_issues_page_agree(
    world, four_issues, api_client, token_for, client
):
    today = four_issues
    [unit] = selectors.issues_by_unit(Scope(world.admin, [world.zone_a.pk]), today)
    assert (unit.unit, unit.received, unit.closed, unit.overdue) == ("生物医药招商中心", 5, 2, 2)

    h = token_for(world.officer_a)
    listed = api_client.get(f"{BASE}/issues", {"zone": world.zone_a.pk}, **h).json()["results"]
    assert {i["title"]: i["overdue"] for i in listed} == OVERDUE
    filtered = api_client.get(f"{BASE}/issues", {"zone": world.zone_a.pk, "overdue": "true"}, **h).json()[
        "results"
    ]
    assert sorted(i["title"] for i in filtered) == ["迟办结事项", "逾期在办事项"]
    one = {i["title"]: i["id"] for i in listed}
    assert {
        t: api_client.get(f"{BASE}/issues/{pk}", **h).json()["overdue"] for t, pk in one.items()
    } == OVERDUE

    assert client.login(username=world.officer_a.username, password=PASSWORD)
    html = client.get("/dispatch/issues/", {"zone": world.zone_a.pk}).content.decode()
    rows = {
        re.search(r">([^<>]+)</a>", tr).group(1): tr for tr in html.split("<tr>") if "/dispatch/issues/" in tr
    }
    assert {title: "超期</span>" in rows[title] for title in OVERDUE} == OVERDUE
    assert (
        '生物医药招商中心</a></td><td class="num">5</td><td class="num">2</td><td class="num">40.00</td>'
        '<td class="num">2</td></tr>' in html
    )


def test_an_issue_closed_late_is_overdue_on_days_after_its_deadline_only(world, four_issues):
    today = four_issues
    scope = Scope(world.admin, [world.zone_a.pk])
    late = selectors.issue_list(scope, as_of=today - dt.timedelta(days=20)).get(title="迟办结事项")
    assert late.is_overdue is False  # its deadline day itself
    late = selectors.issue_list(scope, as_of=today - dt.timedelta(days=19)).get(title="迟办结事项")
    assert late.is_overdue is True  # open the day after the deadline; closing later does not undo it
