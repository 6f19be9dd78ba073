"""The ledger page: filters, search, sort, columns, totals, saved views — all inside the user's scope."""

import datetime as dt
from decimal import Decimal

import pytest

from zonedesk.web.models import SavedView


@pytest.fixture
def ledger(world):
    a1 = world.project(
        name="碳化硅衬底项目",
        total_investment_wan=Decimal("120000"),
        pursuing_unit=world.centre_a.pk,
        responsible_officer=world.officer_a.pk,
        leader_name="张副主任",
        chain_node="衬底",
        agreement_date=dt.date(2026, 3, 15),
        planned_start_date=dt.date(2026, 5, 1),
    )
    a2 = world.project(name="光伏组件项目", total_investment_wan=Decimal("8000.5"), progress_note="已签约")
    a3 = world.project(name="生物医药研发中心", park=world.park_a.pk)
    b1 = world.project(world.zone_b, name="兴县铝镁项目", total_investment_wan=Decimal("50000"))
    return a1, a2, a3, b1


def names(html: str, candidates) -> list[str]:
    return [p.name for p in candidates if f">{p.name}</a>" in html]


def test_officer_sees_own_zone_with_count_and_investment_totals(world, ledger, client):
    client.force_login(world.officer_a)
    html = client.get("/projects/").content.decode()
    assert names(html, ledger) == ["碳化硅衬底项目", "光伏组件项目", "生物医药研发中心"]
    assert '<strong id="total-count">3</strong>' in html
    assert '<strong id="total-investment">128,000.5</strong>' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=碳化硅", ["碳化硅衬底项目"]),
        ("q=签约", ["光伏组件项目"]),
        ("leader=张副主任", ["碳化硅衬底项目"]),
        ("chain_node=衬底", ["碳化硅衬底项目"]),
        ("investment_min=10000", ["碳化硅衬底项目", "兴县铝镁项目"]),
        ("investment_max=10000", ["光伏组件项目"]),
        (
            "signed_from=2026-03-01&signed_to=2026-03-31",
            [],
        ),  # agreement_date is not a signing until the stage moves
        ("overdue_start=1", ["碳化硅衬底项目"]),
        ("no_follow_up_days=30", ["碳化硅衬底项目", "光伏组件项目", "生物医药研发中心", "兴县铝镁项目"]),
    ],
)
def test_filters_narrow_the_ledger(world, ledger, client, query, expected):
    client.force_login(world.admin)
    html = client.get(f"/projects/?{query}").content.decode()
    assert names(html, ledger) == expected


def test_unit_officer_and_park_filters(world, ledger, client):
    client.force_login(world.admin)
    assert names(client.get(f"/projects/?pursuing_unit={world.centre_a.pk}").content.decode(), ledger) == [
        "碳化硅衬底项目"
    ]
    assert names(client.get(f"/projects/?officer={world.officer_a.pk}").content.decode(), ledger) == [
        "碳化硅衬底项目"
    ]
    assert names(client.get(f"/projects/?park={world.park_a.pk}").content.decode(), ledger) == [
        "生物医药研发中心"
    ]


def test_sort_by_investment_both_ways_with_empty_values_last(world, ledger, client):
    client.force_login(world.admin)
    html = client.get("/projects/?sort=total_investment_wan").content.decode()
    order = sorted(ledger, key=lambda p: html.index(f">{p.name}</a>"))
    assert [p.name for p in order] == ["光伏组件项目", "兴县铝镁项目", "碳化硅衬底项目", "生物医药研发中心"]
    html = client.get("/projects/?sort=-total_investment_wan").content.decode()
    order = sorted(ledger, key=lambda p: html.index(f">{p.name}</a>"))
    assert [p.name for p in order] == ["碳化硅衬底项目", "兴县铝镁项目", "光伏组件项目", "生物医药研发中心"]


def test_sort_by_days_in_stage_puts_fewest_days_first_ascending(world, ledger, client):
    from zonedesk.projects.models import Project

    today = dt.date.today()
    entered = {"光伏组件项目": 40, "兴县铝镁项目": 5, "碳化硅衬底项目": 20}  # days in the current stage
    for name, days in entered.items():
        Project.objects.filter(name=name).update(stage_entered_on=today - dt.timedelta(days=days))
    Project.objects.filter(name="生物医药研发中心").update(stage_entered_on=None)
    client.force_login(world.admin)
    for sort, expected in (
        ("days_in_stage", ["兴县铝镁项目", "碳化硅衬底项目", "光伏组件项目", "生物医药研发中心"]),
        ("-days_in_stage", ["光伏组件项目", "碳化硅衬底项目", "兴县铝镁项目", "生物医药研发中心"]),
    ):
        html = client.get(f"/projects/?sort={sort}&cols=name,days_in_stage").content.decode()
        assert [p.name for p in sorted(ledger, key=lambda p: html.index(f">{p.name}</a>"))] == expected


def test_unknown_sort_and_bad_values_fall_back_instead_of_failing(world, ledger, client):
    client.force_login(world.admin)
    resp = client.get("/projects/?sort=password&zone=abc&investment_min=很多&page=999&size=7")
    assert resp.status_code == 200
    assert '<strong id="total-count">4</strong>' in resp.content.decode()


def test_column_chooser_shows_only_the_chosen_columns_and_remembers_them(world, ledger, client):
    client.force_login(world.officer_a)
    html = client.get("/projects/?col=leader_name&col=chain_node").content.decode()
    head = html.split("<thead>")[1].split("</thead>")[0]
    assert [label for label in ("项目名称", "包联领导", "产业链环节", "投资方", "阶段") if label in head] == [
        "项目名称",
        "包联领导",
        "产业链环节",
    ]
    later = client.get("/projects/").content.decode().split("<thead>")[1].split("</thead>")[0]
    assert "包联领导" in later and "投资方" not in later


def test_sibling_zone_filter_shows_nothing(world, ledger, client):
    client.force_login(world.officer_a)
    html = client.get(f"/projects/?zone={world.zone_b.pk}").content.decode()
    assert names(html, ledger) == [] and '<strong id="total-count">0</strong>' in html


def test_saved_view_is_personal_and_reopens_the_same_filters(world, ledger, client):
    client.force_login(world.officer_a)
    resp = client.post(
        "/views/save/", {"name": "大项目", "query": "investment_min=10000&sort=-total_investment_wan"}
    )
    assert (
        resp.status_code == 302 and resp.url == "/projects/?investment_min=10000&sort=-total_investment_wan"
    )
    view = SavedView.objects.get()
    assert (view.user, view.name) == (world.officer_a, "大项目")
    assert "已保存视图“大项目”" in client.get(resp.url).content.decode()
    client.force_login(world.officer_b)
    assert "大项目" not in client.get("/projects/").content.decode()
    assert client.post(f"/views/{view.pk}/delete/").status_code == 404


def test_saving_a_view_without_a_name_explains_in_chinese(world, client):
    client.force_login(world.officer_a)
    resp = client.post("/views/save/", {"name": " ", "query": "q=x"}, follow=True)
    assert "保存视图：请填写视图名称" in resp.content.decode()
    assert SavedView.objects.count() == 0


def test_zone_switch_defaults_the_ledger_to_that_zone_and_refuses_unseen_zones(world, ledger, client):
    client.force_login(world.city_officer)
    client.force_login(world.admin)
    client.post("/zone/switch/", {"zone": world.zone_b.pk})
    assert names(client.get("/projects/").content.decode(), ledger) == ["兴县铝镁项目"]
    client.post("/zone/switch/", {"zone": ""})
    assert len(names(client.get("/projects/").content.decode(), ledger)) == 4
    client.force_login(world.officer_a)
    client.post("/zone/switch/", {"zone": world.zone_b.pk})
    assert "zone" not in client.session


def test_ledger_query_count_does_not_grow_with_rows(world, client, django_assert_max_num_queries):
    for i in range(60):
        world.project(
            name=f"项目{i}", pursuing_unit=world.centre_a.pk, responsible_officer=world.officer_a.pk
        )
    client.force_login(world.admin)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cols = "cols=name,investors,park,industry,referring_unit,responsible_officer,days_in_stage"
    client.get(f"/projects/?{cols}")  # the choice is stored in the session once
    with CaptureQueriesContext(connection) as small:
        client.get(f"/projects/?size=50&{cols}")
    with CaptureQueriesContext(connection) as large:
        client.get(f"/projects/?size=200&{cols}")
    assert len(large) == len(small)
