"""The dashboard's figures come from one grouped scan; each must still equal the ledger behind its link."""

import datetime as dt
from decimal import Decimal

import pytest

from zonedesk.projects import stats
from zonedesk.projects.models import Project
from zonedesk.projects.selectors import ProjectFilters, project_list

TODAY = dt.date.today()  # the ledger's "no follow-up for N days" filter counts from the real date


def _set(project, **fields):
    Project.objects.filter(pk=project.pk).update(**fields)


@pytest.fixture
def ledger(world):
    def d(days):
        return TODAY - dt.timedelta(days=days)

    rows = [
        # name, zone, stage, status, unit, officer, investment, signed, started, planned start, last follow-up
        (
            "甲",
            world.zone_a,
            "negotiating",
            "normal",
            world.centre_a,
            world.officer_a,
            "1000",
            None,
            None,
            None,
            d(3),
        ),
        (
            "乙",
            world.zone_a,
            "signed",
            "behind",
            world.centre_a,
            world.officer_a,
            "2500.50",
            d(40),
            None,
            d(10),
            None,
        ),
        (
            "丙",
            world.zone_a,
            "signed",
            "normal",
            world.centre_a,
            world.centre_user,
            None,
            d(20),
            None,
            d(1),
            d(45),
        ),
        (
            "丁",
            world.zone_a,
            "started",
            "normal",
            None,
            world.centre_user,
            "800",
            d(300),
            d(200),
            d(250),
            d(31),
        ),
        (
            "戊",
            world.zone_a,
            "in_production",
            "behind",
            world.centre_a,
            None,
            "120",
            d(500),
            d(400),
            d(420),
            d(2),
        ),
        (
            "己",
            world.zone_b,
            "signed",
            "terminated",
            world.centre_b,
            world.officer_b,
            "60",
            d(90),
            None,
            d(30),
            None,
        ),
        (
            "庚",
            world.zone_b,
            "started",
            "normal",
            world.centre_b,
            world.officer_b,
            "75.25",
            d(100),
            d(60),
            d(70),
            d(29),
        ),
        ("辛", world.zone_b, "reserve", "paused", None, None, None, None, None, None, None),
    ]
    for name, zone, stage, status, unit, officer, inv, signed, started, planned, followed in rows:
        p = world.project(zone, name=name)
        _set(
            p,
            stage=stage,
            status=status,
            pursuing_unit=unit,
            responsible_officer=officer,
            total_investment_wan=Decimal(inv) if inv else None,
            counted_investment_wan=Decimal(inv) if inv else None,
            first_signed_date=signed,
            landed_date=signed,
            land_supplied_date=signed,
            start_date=started,
            production_date=d(30) if stage == "in_production" else None,
            planned_start_date=planned,
            last_follow_up_on=followed,
        )
    return world


def _ledger_count(user, filters: dict) -> int:
    return project_list(user, ProjectFilters.from_query(filters)).count()


@pytest.mark.parametrize("who", ["admin", "officer_a", "officer_b"])
def test_every_bar_and_watch_list_counts_what_its_ledger_link_shows(ledger, who):
    user = getattr(ledger, who)
    data = stats.dashboard(user, ProjectFilters(), TODAY)
    bars = data["funnel"] + data["by_unit"] + data["by_officer"] + data["signings"] + data["hesitations"]
    for bar in bars:
        assert bar.count == _ledger_count(user, bar.filters), bar.label
    for watch in data["watch"]:
        assert watch.count == _ledger_count(user, watch.filters), watch.title
        assert len(watch.projects) == min(watch.count, stats.TOP)


def test_province_totals_and_groups_have_exact_values(ledger):
    data = stats.dashboard(ledger.admin, ProjectFilters(), TODAY)
    assert data["totals"]["count"] == 8
    assert data["totals"]["investment"] == Decimal("4555.75")
    assert [(w.title, w.count) for w in data["watch"]] == [
        ("进度滞后", 2),
        ("超时限未开工", 2),
        ("30 天以上未跟进", 5),
    ]
    assert [(b.label, b.count, b.investment) for b in data["by_unit"]] == [
        ("生物医药招商中心", 4, Decimal("3620.50")),
        ("兴县招商中心", 2, Decimal("135.25")),
    ]
    assert [(b.label, b.count) for b in data["by_officer"]] == [
        ("officer_a", 2),
        ("officer_b", 2),
        ("centre", 2),
    ]
    funnel = {b.filters["stage"]: (b.count, b.investment) for b in data["funnel"]}
    assert funnel["signed"] == (3, Decimal("2560.50"))
    assert funnel["started"] == (2, Decimal("875.25"))
    assert funnel["reserve"] == (1, None)


def test_zone_officer_sees_only_their_zones_figures(ledger):
    data = stats.dashboard(ledger.officer_b, ProjectFilters(), TODAY)
    assert data["totals"]["count"] == 3
    assert data["totals"]["investment"] == Decimal("135.25")
    assert [b.label for b in data["by_unit"]] == ["兴县招商中心"]


def test_conversion_counts_and_medians_from_the_grouped_scan_equal_the_direct_ones(ledger):
    qs = project_list(ledger.admin, ProjectFilters())
    direct = stats.conversions(qs)
    grouped = stats.conversions(qs, stats.summary(qs, TODAY))
    assert grouped == direct
    started = next(c for c in grouped if (c.from_label, c.to_label) == ("供地", "开工"))
    # land supplied → started: 丁 100 days, 戊 100, 庚 40
    assert (started.reached_from, started.reached_to, started.rate, started.median_days) == (6, 3, 0.5, 100)


def test_summed_investment_is_exact_in_yuan_cents_on_every_database(world):
    for name, amount in (("一", "0.10"), ("二", "0.20"), ("三", "12345678.91")):
        _set(world.project(name=name), total_investment_wan=Decimal(amount))
    data = stats.dashboard(world.admin, ProjectFilters(), TODAY)
    assert data["totals"]["investment"] == Decimal("12345679.21")
    assert str(data["totals"]["investment"]) == "12345679.21"


def test_dashboard_opens_no_transaction_on_sqlite_so_it_never_takes_the_write_lock(ledger):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's transactions begin IMMEDIATE (a write lock); PostgreSQL's reads do not lock")
    with CaptureQueriesContext(connection) as ctx:
        stats.dashboard(ledger.admin, ProjectFilters(), TODAY)
    assert [q["sql"] for q in ctx.captured_queries if q["sql"].startswith(("BEGIN", "SAVEPOINT"))] == []
