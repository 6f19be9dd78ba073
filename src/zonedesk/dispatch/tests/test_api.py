"""The dispatch features through /api/v1/dispatch/ (numbers from the small world in conftest.py)."""

import datetime as dt
import io
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from zonedesk.core.models import ObjectChange
from zonedesk.dispatch.metrics import Scope, Window
from zonedesk.dispatch.models import CoordinationIssue, ProgressReport
from zonedesk.dispatch.rankings import compute_ranking

BASE = "/api/v1/dispatch"


def post(client, url, body, headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def test_periods_list_reported_and_missing_per_unit(dw, api_client, token_for):
    r = api_client.get(
        f"{BASE}/periods", {"zone": dw.w.zone_a.pk, "period": "2026-10"}, **token_for(dw.w.officer_a)
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["count"] == 1
    p = body["results"][0]
    assert (p["id"], p["label"], p["deadline"], p["state"]) == (
        dw.oct_a.pk,
        "2026年10月",
        "2026-11-04",
        "open",
    )  # 3rd working day after 10-31
    assert (p["expected"], p["reported"], p["missing"]) == (2, 1, 1)
    assert len(p["units"]) == 1
    assert p["units"][0] == {
        "unit_id": dw.w.centre_a.pk,
        "unit": "生物医药招商中心",
        "expected": 2,
        "reported": 1,
        "late": 1,
        "missing": [{"id": dw.p2.pk, "name": "乙项目"}],
    }  # 甲 filed on 11-05


def test_submit_report_through_the_api_is_recorded_as_api(dw, api_client, token_for):
    r = post(
        api_client,
        f"{BASE}/periods/{dw.oct_a.pk}/reports",
        {
            "project": dw.p2.pk,
            "investment_period_wan": "300",
            "investment_cumulative_wan": "300",
            "physical_progress": "场地平整",
        },
        token_for(dw.w.officer_a),
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["project_id"], body["investment_cumulative_wan"], body["physical_progress"]) == (
        dw.p2.pk,
        "300.00",
        "场地平整",
    )
    report = ProgressReport.objects.get(pk=body["id"])
    change = ObjectChange.objects.filter(object_id=str(report.pk), action="create").order_by("-pk").first()
    assert change is not None and change.source == "api"
    after = api_client.get(f"{BASE}/periods/{dw.oct_a.pk}", **token_for(dw.w.officer_a)).json()
    assert (after["reported"], after["missing"]) == (2, 0)


def test_report_with_cumulative_below_period_is_a_chinese_422(dw, api_client, token_for):
    r = post(
        api_client,
        f"{BASE}/periods/{dw.oct_a.pk}/reports",
        {"project": dw.p2.pk, "investment_period_wan": "300", "investment_cumulative_wan": "100"},
        token_for(dw.w.admin),
    )
    assert r.status_code == 422
    assert r.json()["fields"] == {"investment_cumulative_wan": ["本年累计（100.00）小于本期（300.00）"]}
    assert not ProgressReport.objects.filter(project=dw.p2).exists()


def test_issues_list_create_and_close(dw, api_client, token_for):
    h = token_for(dw.w.officer_a)
    r = api_client.get(f"{BASE}/issues", {"state": "open"}, **h)
    assert r.status_code == 200
    assert [(i["title"], i["owner_unit"], i["overdue"]) for i in r.json()["results"]] == [
        ("乙项目用地指标", "生物医药招商中心", True)
    ]
    r = post(
        api_client,
        f"{BASE}/issues",
        {
            "project": dw.p2.pk,
            "title": "乙项目施工用电",
            "issue_type": "utilities",
            "raised_on": "2026-10-12",
            "raised_by": "乙公司",
            "owner_unit": dw.w.centre_a.pk,
            "deadline": "2026-11-15",
        },
        h,
    )
    assert r.status_code == 201, r.content
    new = r.json()
    assert (new["zone_id"], new["issue_type_label"], new["is_open"]) == (dw.w.zone_a.pk, "水电气热网", True)
    r = post(
        api_client,
        f"{BASE}/issues/{new['id']}/close",
        {"resolution": "已接临时电", "closed_on": "2026-10-30"},
        h,
    )
    assert r.status_code == 200, r.content
    assert (r.json()["closed_on"], r.json()["is_open"]) == ("2026-10-30", False)
    assert CoordinationIssue.objects.get(pk=new["id"]).resolution == "已接临时电"
    assert ObjectChange.objects.filter(object_id=str(new["id"]), source="api").count() == 2


def test_issue_close_without_resolution_is_refused_in_chinese(dw, api_client, token_for):
    r = post(
        api_client,
        f"{BASE}/issues/{dw.issues[1].pk}/close",
        {"resolution": "", "closed_on": "2026-10-30"},
        token_for(dw.w.officer_a),
    )
    assert r.status_code == 422
    assert "resolution" in r.json()["fields"]
    assert CoordinationIssue.objects.get(pk=dw.issues[1].pk).closed_on is None


def test_kpis_for_a_zone_and_period(dw, api_client, token_for):
    r = api_client.get(
        f"{BASE}/kpis", {"zone": dw.w.zone_a.pk, "period": "2026-10"}, **token_for(dw.w.officer_a)
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["label"], body["elapsed_pct"], body["zone_ids"]) == ("2026年10月", "83.29", [dw.w.zone_a.pk])
    got = {k["key"]: k["value"] for k in body["kpis"]}
    assert got["plan_completion_rate"] == "77.89"
    assert got["ahead_of_schedule"] == "-5.39"
    assert got["start_resume_rate"] == "66.67"
    assert got["closure_rate"] == "66.67"
    assert got["overdue_not_started"] == "1.00"
    plan = next(k for k in body["kpis"] if k["key"] == "plan_completion_rate")
    assert plan["inputs"] == {"done_ytd_wan": "14800.00", "plan_year_wan": "19000.00"}


def test_bad_period_is_a_chinese_422(dw, api_client, token_for):
    r = api_client.get(
        f"{BASE}/kpis", {"zone": dw.w.zone_a.pk, "period": "2026-13"}, **token_for(dw.w.officer_a)
    )
    assert r.status_code == 422
    assert r.json()["fields"] == {"period": ["月份应为 1–12：2026-13"]}


def test_ranking_rows_explain_themselves(dw, api_client, token_for):
    r = api_client.get(f"{BASE}/ranking", {"period": "2026-10", "entity": "zone"}, **token_for(dw.w.admin))
    assert r.status_code == 200, r.content
    rows = r.json()["rows"]
    expected = compute_ranking(Scope(dw.w.admin), Window.parse("2026-10"), entity="zone")
    assert [(x["name"], x["score"], x["rank"], x["grade"]) for x in rows] == [
        (e.name, str(e.score), e.rank, e.grade) for e in expected
    ]
    assert {x["name"] for x in rows} == {"长治高新区", "兴县经开区"}
    first = rows[0]
    assert first["explanation"] == expected[0].explanation()
    assert [(t["name"], t["formula"]) for t in first["terms"]] == [
        (t.name, t.formula) for t in expected[0].terms
    ]
    assert sum(float(t["contribution"]) for t in first["terms"]) == sum(
        float(t.contribution) for t in expected[0].terms
    )


def test_bulletin_download_docx_and_pdf(dw, api_client, token_for):
    h = token_for(dw.w.officer_a)
    r = api_client.get(
        f"{BASE}/bulletin", {"zone": dw.w.zone_a.pk, "period": "2026-10", "format": "docx"}, **h
    )
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "长治高新区" in text
    r = api_client.get(
        f"{BASE}/bulletin", {"zone": dw.w.zone_a.pk, "period": "2026-10", "format": "pdf"}, **h
    )
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_sibling_zone_officer_sees_nothing_of_zone_a(dw, api_client, token_for):
    h = token_for(dw.w.officer_b)
    for url, params in [
        ("kpis", {"zone": dw.w.zone_a.pk, "period": "2026-10"}),
        ("ranking", {"zone": dw.w.zone_a.pk, "period": "2026-10"}),
        ("bulletin", {"zone": dw.w.zone_a.pk, "period": "2026-10"}),
        (f"periods/{dw.oct_a.pk}", {}),
        (f"issues/{dw.issues[1].pk}", {}),
    ]:
        assert api_client.get(f"{BASE}/{url}", params, **h).status_code == 404, url
    periods = api_client.get(f"{BASE}/periods", **h).json()
    assert [p["id"] for p in periods["results"]] == [dw.oct_b.pk]
    issues = api_client.get(f"{BASE}/issues", **h).json()
    assert [i["title"] for i in issues["results"]] == ["丁项目融资对接"]
    kpis = {
        k["key"]: k["value"]
        for k in api_client.get(f"{BASE}/kpis", {"period": "2026-10"}, **h).json()["kpis"]
    }
    assert kpis["plan_completion_rate"] == "50.00"  # zone B only: 3000 / 6000
    r = post(
        api_client,
        f"{BASE}/periods/{dw.oct_a.pk}/reports",
        {"project": dw.p2.pk, "investment_period_wan": "1", "investment_cumulative_wan": "1"},
        h,
    )
    assert r.status_code == 404
    r = post(
        api_client,
        f"{BASE}/issues",
        {
            "project": dw.p2.pk,
            "title": "越权",
            "issue_type": "other",
            "raised_on": "2026-10-01",
            "raised_by": "乙公司",
            "owner_unit": dw.w.centre_a.pk,
        },
        h,
    )
    assert r.status_code == 422
    assert not CoordinationIssue.objects.filter(title="越权").exists()
    r = post(
        api_client,
        f"{BASE}/issues/{dw.issues[1].pk}/close",
        {"resolution": "x", "closed_on": "2026-10-30"},
        h,
    )
    assert r.status_code == 404


def test_anonymous_is_401(dw, api_client):
    assert api_client.get(f"{BASE}/kpis", {"period": "2026-10"}).status_code == 401


def test_periods_list_costs_the_same_queries_for_2_and_for_10_periods(dw, api_client, token_for):
    from zonedesk.core.audit import acting_as
    from zonedesk.dispatch import services

    with acting_as(
        dw.w.admin, source="test"
    ):  # January–July for zone A: 10 periods with September, October and B's
        for month in range(1, 8):
            services.period_open(user=dw.w.admin, cycle=dw.cycle_a, day=dt.date(2026, month, 1))
    h = token_for(dw.w.admin)
    api_client.get(f"{BASE}/periods", **h)  # the token's first use is recorded once
    queries, pages = {}, {}
    for size in (2, 10):
        with CaptureQueriesContext(connection) as ctx:
            r = api_client.get(f"{BASE}/periods", {"page_size": size}, **h)
        assert r.status_code == 200, r.content
        queries[size], pages[size] = len(ctx), r.json()["results"]
    assert len(pages[2]) == 2 and len(pages[10]) == 10
    assert queries[10] == queries[2]
    rows = [
        (
            p["zone_id"],
            p["label"],
            p["expected"],
            p["reported"],
            p["missing"],
            [(u["unit"], u["late"], [m["name"] for m in u["missing"]]) for u in p["units"]],
        )
        for p in pages[10]
    ]
    a, b = dw.w.zone_a.pk, dw.w.zone_b.pk
    assert rows == [
        (a, "2026年10月", 2, 1, 1, [("生物医药招商中心", 1, ["乙项目"])]),
        (b, "2026年10月", 1, 1, 0, [("兴县招商中心", 0, [])]),
        (a, "2026年9月", 2, 1, 1, [("生物医药招商中心", 0, ["乙项目"])]),
    ] + [
        (a, f"2026年{m}月", 2, 0, 2, [("生物医药招商中心", 0, ["乙项目", "甲项目"])]) for m in range(7, 0, -1)
    ]
    # Each row is what the period's own endpoint answers.
    assert all(p == api_client.get(f"{BASE}/periods/{p['id']}", **h).json() for p in pages[10])
