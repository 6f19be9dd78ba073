"""Bad input gets a clear Chinese error naming the field, changes nothing, and never a 500."""

import json

import pytest

from zonedesk.projects.models import Project


@pytest.fixture
def headers(world, token_for):
    return token_for(world.officer_a)


def post(client, url, body, headers, raw=False):
    return client.post(
        url, data=body if raw else json.dumps(body), content_type="application/json", **headers
    )


def test_malformed_json_is_400_with_a_chinese_message(world, client, headers):
    resp = post(client, "/api/v1/projects", "{not json", headers, raw=True)
    assert resp.status_code == 400
    assert resp.json() == {"detail": "请求体不是有效的 JSON", "code": "bad_request", "fields": {}}
    assert Project.objects.count() == 0


@pytest.mark.parametrize(
    "body,field,message",
    [
        ({"name": "x", "zone": 1, "total_investment_wan": "三亿"}, "total_investment_wan", "应为数字"),
        ({"name": "x", "zone": 1, "total_investment_wan": -5}, "total_investment_wan", "不能为负数"),
        (
            {"name": "x", "zone": 1, "agreement_date": "2026-13-01"},
            "agreement_date",
            "日期格式应为 YYYY-MM-DD",
        ),
        ({"zone": 1}, "name", "必填"),
        ({"name": "x", "zone": 1, "stage": "signed"}, "stage", "不允许的字段"),
    ],
)
def test_wrong_values_name_the_field(world, client, headers, body, field, message):
    resp = post(client, "/api/v1/projects", body, headers)
    assert resp.status_code == 422
    assert resp.json()["fields"][field] == [message]
    assert Project.objects.count() == 0


def test_unknown_choice_is_a_field_error(world, client, headers):
    resp = post(
        client, "/api/v1/projects", {"name": "x", "zone": world.zone_a.pk, "project_type": "外星"}, headers
    )
    assert resp.status_code == 422
    assert resp.json()["fields"] == {"project_type": ["值 '外星' 不是有效选项。"]}


def test_park_of_another_zone_is_refused(world, client, token_for):
    resp = post(
        client,
        "/api/v1/projects",
        {"name": "x", "zone": world.zone_a.pk, "park": world.park_a.pk + 999},
        token_for(world.admin),
    )
    assert resp.status_code == 422
    assert resp.json()["fields"] == {"park": [f"园区不存在或无权访问（{world.park_a.pk + 999}）"]}


def test_non_numeric_path_id_is_422_not_500(world, client, headers):
    assert client.get("/api/v1/projects/abc", **headers).status_code == 422


def test_unknown_target_stage_is_422(world, client, headers):
    project = world.project()
    resp = post(
        client,
        f"/api/v1/projects/{project.pk}/advance",
        {"to_stage": "launched", "occurred_on": "2026-01-01", "version": 1},
        headers,
    )
    assert (resp.status_code, resp.json()["fields"]) == (422, {"to_stage": ["未知阶段：launched"]})


def test_invalid_token_is_401(world, client):
    resp = client.get("/api/v1/projects", HTTP_AUTHORIZATION="Bearer zd_nonsense")
    assert (resp.status_code, resp.json()["detail"]) == (401, "未登录或令牌无效")


def test_openapi_document_and_docs_are_served(world, client):
    doc = client.get("/api/v1/openapi.json")
    assert doc.status_code == 200
    paths = doc.json()["paths"]
    assert {
        "/api/v1/projects",
        "/api/v1/projects/{project_id}",
        "/api/v1/projects/{project_id}/advance",
        "/api/v1/projects/{project_id}/history",
        "/api/v1/enterprises",
        "/api/v1/zones",
        "/api/v1/units",
    } <= set(paths)
    assert client.get("/api/v1/docs").status_code == 200


def test_session_write_without_csrf_is_refused(world):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.officer_a)
    resp = browser.post(
        "/api/v1/projects",
        data=json.dumps({"name": "x", "zone": world.zone_a.pk}),
        content_type="application/json",
    )
    assert resp.status_code in (401, 403)
    assert Project.objects.count() == 0
