"""The board moves cards only through the stage gate; the dashboard's figures match the ledger they link to."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from zonedesk.core.audit import acting_as
from zonedesk.projects import services
from zonedesk.projects.models import Project


def post_move(client, **body):
    """A move as board.js sends it: with the version the card was drawn with (the current one unless given)."""
    if "version" not in body:
        body["version"] = Project.objects.filter(pk=body["project"]).values_list("version", flat=True).first()
    resp = client.post("/board/move/", json.dumps(body), content_type="application/json")
    return resp.status_code, resp.json()


@pytest.fixture
def negotiating(world):
    p = world.project(
        name="碳化硅衬底项目", pursuing_unit=world.centre_a.pk, responsible_officer=world.officer_a.pk
    )
    with acting_as(world.admin, source="test"):
        return services.project_advance(
            user=world.admin, project=p, to_stage="negotiating", occurred_on=dt.date(2026, 1, 5)
        )


def test_board_shows_a_column_per_stage_with_counts(world, negotiating, client):
    client.force_login(world.officer_a)
    html = client.get("/board/").content.decode()
    assert re.findall(r'<section class="column" data-stage="(\w+)"', html) == [
        "reserve",
        "negotiating",
        "signed",
        "landed",
        "land_supplied",
        "started",
        "in_production",
        "at_capacity",
    ]
    assert 'data-project="%d" data-stage="negotiating"' % negotiating.pk in html


def test_move_refused_lists_missing_fields_as_inputs_and_moves_nothing(world, negotiating, client):
    client.force_login(world.officer_a)
    status, body = post_move(client, project=negotiating.pk, to_stage="signed", occurred_on="2026-02-01")
    assert status == 409
    assert body["message"] == "不能进入“签约”阶段，缺少：投资方、协议类型、协议投资额（万元）"
    assert [m["field"] for m in body["missing"]] == ["investors", "agreement_type", "agreement_amount_wan"]
    inputs = {i["name"]: i["type"] for m in body["missing"] for i in m["inputs"]}
    assert inputs == {"agreement_type": "select", "agreement_amount_wan": "number"}
    assert (
        body["form_url"]
        == f"/projects/{negotiating.pk}/edit/?focus=investors,agreement_type,agreement_amount_wan"
    )
    assert Project.objects.get(pk=negotiating.pk).stage == "negotiating"


def test_move_with_the_missing_values_fills_them_and_moves_in_one_step(world, negotiating, client):
    enterprise = world.enterprise(name="山西烁科晶体有限公司")
    with acting_as(world.admin, source="test"):
        services.project_update(
            user=world.admin, project=negotiating, data={"investors": [enterprise.pk]}, expected_version=None
        )
    client.force_login(world.officer_a)
    status, body = post_move(
        client,
        project=negotiating.pk,
        to_stage="signed",
        occurred_on="2026-02-01",
        agreement_type="formal",
        agreement_amount_wan="22.5",
    )
    assert (status, body["ok"], body["label"]) == (200, True, "签约")
    project = Project.objects.get(pk=negotiating.pk)
    assert (project.stage, project.agreement_type, project.agreement_amount_wan, project.agreement_date) == (
        "signed",
        "formal",
        Decimal("22.50"),
        dt.date(2026, 2, 1),
    )
    assert project.stage_logs.values_list("source", flat=True).last() == "web"


def test_move_with_a_bad_value_names_the_field_and_moves_nothing(world, negotiating, client):
    client.force_login(world.officer_a)
    status, body = post_move(client, project=negotiating.pk, to_stage="signed", agreement_amount_wan="很多")
    assert status == 400 and list(body["fields"]) == ["agreement_amount_wan"]
    assert Project.objects.get(pk=negotiating.pk).stage == "negotiating"


def test_move_of_a_sibling_zones_project_is_not_found(world, client):
    other = world.project(world.zone_b, name="兴县项目")
    client.force_login(world.officer_a)
    status, body = post_move(client, project=other.pk, to_stage="negotiating")
    assert (status, body["message"]) == (404, "项目不存在或无权访问")


def test_move_with_garbage_body_is_a_clear_error(world, negotiating, client):
    client.force_login(world.officer_a)
    resp = client.post("/board/move/", "{not json", content_type="application/json")
    assert resp.status_code == 404 and resp.json()["ok"] is False
    status, body = post_move(client, project=negotiating.pk, to_stage="nowhere")
    assert (status, body["message"]) == (400, "目标阶段无效")
    status, body = post_move(client, project=negotiating.pk, to_stage="signed", occurred_on="2026-13-01")
    assert (status, body["message"]) == (400, "发生日期格式应为 年-月-日")


def test_dashboard_funnel_links_lead_to_ledgers_with_the_same_counts(world, negotiating, client):
    world.project(name="储备一号", total_investment_wan=Decimal("1000"))
    world.project(world.zone_b, name="兴县储备")
    client.force_login(world.officer_a)
    resp = client.get("/dashboard/")
    found = re.search(
        r'<script id="chart-data" type="application/json">(.*?)</script>', resp.content.decode()
    )
    assert found is not None
    data = json.loads(found.group(1))
    funnel = data["funnel"]
    assert funnel["labels"][:2] == ["储备", "在谈"] and funnel["counts"][:2] == [1, 1]
    for count, link in zip(funnel["counts"], funnel["links"]):
        html = client.get(link).content.decode()
        assert f'<strong id="total-count">{count}</strong>' in html
    assert '<strong id="tile-count">2</strong>' in resp.content.decode()


def test_dashboard_conversion_and_median_days(world, client):
    for signed, started in (
        (dt.date(2026, 1, 1), dt.date(2026, 1, 11)),
        (dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
        (dt.date(2026, 2, 1), None),
    ):
        p = world.project(name=f"项目{signed}{started}", start_date=started)
        Project.objects.filter(pk=p.pk).update(
            first_signed_date=signed, landed_date=signed, land_supplied_date=signed
        )
    from zonedesk.projects import stats
    from zonedesk.projects.selectors import ProjectFilters, project_list

    conv = {
        (c.from_label, c.to_label): c for c in stats.conversions(project_list(world.admin, ProjectFilters()))
    }
    supplied_to_started = conv[("供地", "开工")]
    assert (
        supplied_to_started.reached_from,
        supplied_to_started.reached_to,
        supplied_to_started.rate,
        supplied_to_started.median_days,
    ) == (3, 2, 0.6667, 20)
    assert conv[("签约", "落地")].median_days == 0


def test_enterprise_zone_and_unit_pages_stay_in_scope(world, client):
    enterprise = world.enterprise(name="山西烁科晶体有限公司", zone=world.zone_b)
    client.force_login(world.officer_a)
    assert client.get(f"/zones/{world.zone_a.pk}/").status_code == 200
    assert client.get(f"/zones/{world.zone_b.pk}/").status_code == 404
    assert client.get(f"/enterprises/{enterprise.pk}/").status_code == 404
    assert client.get(f"/units/{world.centre_b.pk}/").status_code == 404
    html = client.get(f"/units/{world.centre_a.pk}/").content.decode()
    assert world.centre_a.name in html


def test_signings_by_month_count_each_month_of_the_last_twelve(world):
    from zonedesk.projects import stats
    from zonedesk.projects.selectors import ProjectFilters, project_list

    for name, signed, amount in (
        ("一", dt.date(2026, 3, 2), "100"),
        ("二", dt.date(2026, 3, 31), "50.5"),
        ("三", dt.date(2025, 12, 1), "7"),
        ("四", dt.date(2024, 1, 1), "9"),
    ):
        p = world.project(name=name)
        Project.objects.filter(pk=p.pk).update(
            first_signed_date=signed, counted_investment_wan=Decimal(amount)
        )
    bars = stats.signings_by_month(
        project_list(world.admin, ProjectFilters()), ProjectFilters(), dt.date(2026, 11, 21)
    )
    assert next(b.label for b in bars) == "2025年12月" and [b.label for b in bars][-1] == "2026年11月"
    got = {b.label: (b.count, b.investment) for b in bars if b.count}
    assert got == {"2025年12月": (1, Decimal("7.00")), "2026年3月": (2, Decimal("150.50"))}
    march = next(b for b in bars if b.label == "2026年3月")
    assert (march.filters["signed_from"], march.filters["signed_to"]) == ("2026-03-01", "2026-03-31")


@pytest.mark.parametrize(
    "who, counts",
    [
        # reserve, negotiating, signed, landed, land_supplied, started, in_production, at_capacity
        ("officer_a", [2, 1, 2, 0, 0, 1, 0, 0]),
        ("officer_b", [1, 0, 1, 0, 0, 0, 0, 0]),
    ],
)
def test_board_column_heads_are_the_funnel_of_the_users_scope(world, client, who, counts):
    from zonedesk.projects import stats
    from zonedesk.projects.ledger import ledger_url
    from zonedesk.projects.selectors import ProjectFilters, project_list

    for zone, stage, investment in (
        (world.zone_a, "reserve", "100"),
        (world.zone_a, "reserve", None),
        (world.zone_a, "negotiating", "250.5"),
        (world.zone_a, "signed", "30000"),
        (world.zone_a, "signed", "12"),
        (world.zone_a, "started", None),
        (world.zone_b, "reserve", "7"),
        (world.zone_b, "signed", "40000"),
    ):
        p = world.project(zone, name=f"{zone.pk}-{stage}-{investment}")
        Project.objects.filter(pk=p.pk).update(
            stage=stage, total_investment_wan=Decimal(investment) if investment else None
        )
    user = getattr(world, who)
    client.force_login(user)
    resp = client.get("/board/")
    bars = stats.funnel(project_list(user, ProjectFilters()), ProjectFilters())
    assert [b.count for b in bars] == counts
    assert [
        (c["stage"], c["label"], c["count"], c["investment"], c["ledger_url"])
        for c in resp.context["columns"]
    ] == [(b.filters["stage"], b.label, b.count, b.investment, ledger_url(b.filters)) for b in bars]
    shown = re.findall(
        r'<section class="column" data-stage="\w+" aria-label="[^"]*">\s*<header><h2>[^<]*</h2>'
        r'<span class="count">(\d+) 个',
        resp.content.decode(),
    )
    assert [int(n) for n in shown] == counts
