"""Which projects owe a report (ReportDuty): the period page's project list and the reported/missing
counts read the same rule, per cycle, whatever other periods are counted alongside."""

import datetime as dt

import pytest

from zonedesk.core.audit import acting_as
from zonedesk.dispatch import services
from zonedesk.dispatch.selectors import expected_projects, reporting_status, reporting_status_many
from zonedesk.projects.models import Project


@pytest.fixture
def weekly(dw):
    """Besides dw's monthly cycle (units: 生物医药招商中心; stages 签约…开工), a weekly cycle of zone A for
    started and producing projects of any unit; plus a project of the committee and a terminated one."""
    w = dw.w
    committee = w.project(name="管委会直管项目", pursuing_unit=w.committee_a.pk)
    stopped = w.project(name="已终止项目", pursuing_unit=w.centre_a.pk)
    Project.objects.filter(pk=committee.pk).update(stage="started")
    Project.objects.filter(pk=stopped.pk).update(
        stage="signed", status="terminated", status_reason="撤资", status_date=dt.date(2026, 9, 1)
    )
    with acting_as(w.admin, source="test"):
        cycle = services.cycle_create(
            user=w.admin,
            zone=w.zone_a,
            name="重点项目周调度",
            frequency="weekly",
            reporting_stages=["started", "in_production"],
        )
        return services.period_open(user=w.admin, cycle=cycle, day=dt.date(2026, 10, 12))


def owed(status):
    return [
        (r.unit.name if r.unit else None, r.expected, r.reported, [p.name for p in r.missing]) for r in status
    ]


def test_each_period_counts_the_projects_its_cycle_lists_as_owing(dw, weekly):
    user = dw.w.admin
    both = reporting_status_many(user, [dw.oct_a, weekly, dw.oct_b])  # zone A's two cycles, zone B's one
    assert owed(both[dw.oct_a.pk]) == [("生物医药招商中心", 2, 1, ["乙项目"])]
    assert owed(both[dw.oct_b.pk]) == [("兴县招商中心", 1, 1, [])]
    assert owed(both[weekly.pk]) == [
        ("生物医药招商中心", 2, 0, ["丙项目", "甲项目"]),
        ("长治高新区管委会", 1, 0, ["管委会直管项目"]),
    ]
    for period in (dw.oct_a, weekly, dw.oct_b):
        assert owed(reporting_status(user, period)) == owed(both[period.pk])
        names = sorted(expected_projects(user, period).values_list("name", flat=True))
        assert sum(r.expected for r in both[period.pk]) == len(names)
    assert sorted(expected_projects(user, weekly).values_list("name", flat=True)) == [
        "丙项目",
        "甲项目",
        "管委会直管项目",
    ]


def test_a_unit_reader_sees_only_its_own_units_projects_owing(dw, weekly):
    status = reporting_status_many(dw.w.centre_user, [weekly])[weekly.pk]
    assert owed(status) == [("生物医药招商中心", 2, 0, ["丙项目", "甲项目"])]
    assert sorted(expected_projects(dw.w.centre_user, weekly).values_list("name", flat=True)) == [
        "丙项目",
        "甲项目",
    ]
