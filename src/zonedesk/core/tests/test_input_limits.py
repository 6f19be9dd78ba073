"""No 500 on bad input: every class of value the database or Python cannot take is refused with the field
named — ids and pages beyond 64 bits, NaN and Infinity, dates and periods out of range, NUL bytes and lone
surrogates in the query, a JSON body or a form, oversized JSON bodies — on the API (JSON error shape) and
the pages. Each case is one that answered 500 before (schemathesis and the issue's list)."""

import json
from urllib.parse import urlencode

import pytest
from django.test import override_settings

from zonedesk.core import inputs
from zonedesk.projects.models import Project

BIG = 2**63  # one past the largest 64-bit id
HUGE = 2**70
MAX_TEXT = "不能大于 9223372036854775807"


@pytest.fixture
def officer(world, token_for):
    world.project(name="长治碳化硅衬底项目")
    return token_for(world.officer_a)


def post_json(client, url, headers, body, method="post"):
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return getattr(client, method)(url, data=raw, content_type="application/json", **headers)


# ---------------------------------------------------------------------------- ids and pages
def test_page_number_beyond_64_bits_is_422(world, officer, api_client):
    resp = api_client.get("/api/v1/projects?page=99999999999999999999", **officer)
    assert resp.status_code == 422
    assert resp.json() == {
        "detail": f"请求数据有误：page：{MAX_TEXT}",
        "code": "invalid",
        "fields": {"page": [MAX_TEXT]},
    }


def test_page_zero_is_422_naming_the_minimum(world, officer, api_client):
    resp = api_client.get("/api/v1/zones?page=0", **officer)
    assert (resp.status_code, resp.json()["fields"]) == (422, {"page": ["不能小于 1"]})


def test_last_64_bit_page_is_an_empty_page_not_an_overflow(world, officer, api_client):
    resp = api_client.get(f"/api/v1/projects?page={BIG - 1}&page_size=200", **officer)
    assert resp.status_code == 200
    assert resp.json() == {"count": 1, "page": BIG - 1, "page_size": 200, "results": []}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/projects/{id}",
        "/api/v1/projects/{id}/history",
        "/api/v1/enterprises/{id}",
        "/api/v1/zones/{id}",
        "/api/v1/units/{id}",
        "/api/v1/dispatch/periods/{id}",
        "/api/v1/dispatch/issues/{id}",
        "/api/v1/intake/documents/{id}",
    ],
)
def test_path_id_beyond_64_bits_is_422(world, officer, api_client, url):
    resp = api_client.get(url.format(id=BIG), **officer)
    assert resp.status_code == 422
    (field,) = resp.json()["fields"]
    assert resp.json()["fields"][field] == [MAX_TEXT]


@pytest.mark.parametrize(
    "query",
    [
        f"/api/v1/projects?zone={BIG}",
        f"/api/v1/projects?officer={BIG}",
        f"/api/v1/enterprises?zone={BIG}",
        f"/api/v1/units?zone={BIG}",
        f"/api/v1/dispatch/issues?unit={BIG}",
        f"/api/v1/dispatch/periods?zone={BIG}",
        f"/api/v1/dispatch/kpis?period=2026-10&zone={BIG}",
    ],
)
def test_filter_id_beyond_64_bits_is_422(world, officer, api_client, query):
    resp = api_client.get(query, **officer)
    assert resp.status_code == 422
    assert list(resp.json()["fields"].values()) == [[MAX_TEXT]]


def test_investor_id_of_70_bits_is_422_and_nothing_is_created(world, officer, api_client):
    body = {"name": "七十位投资方项目", "zone": world.zone_a.pk, "investors": [HUGE]}
    resp = post_json(api_client, "/api/v1/projects", officer, body)
    assert resp.status_code == 422
    assert resp.json()["fields"] == {"investors.0": [MAX_TEXT]}
    assert not Project.objects.filter(name="七十位投资方项目").exists()


def test_count_field_beyond_32_bits_is_422(world, officer, api_client):
    project = Project.objects.get()
    body = {"version": project.version, "expected_jobs": 2**31}
    resp = post_json(api_client, f"/api/v1/projects/{project.pk}", officer, body, method="patch")
    assert (resp.status_code, resp.json()["fields"]) == (422, {"expected_jobs": ["不能大于 2147483647"]})


# ---------------------------------------------------------------------------- decimals and dates
@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_non_finite_investment_filter_is_422(world, officer, api_client, value):
    resp = api_client.get(f"/api/v1/projects?investment_min={value}", **officer)
    assert (resp.status_code, resp.json()["fields"]) == (422, {"investment_min": ["应为有限数字"]})


def test_investment_filter_beyond_1e15_is_422(world, officer, api_client):
    resp = api_client.get("/api/v1/projects?investment_max=1e100000", **officer)
    assert (resp.status_code, resp.json()["fields"]) == (422, {"investment_max": ["不能大于 1E+15"]})


def test_date_filter_outside_1900_2100_is_422(world, officer, api_client):
    resp = api_client.get("/api/v1/projects?signed_from=0001-01-01", **officer)
    assert (resp.status_code, resp.json()["fields"]) == (
        422,
        {"signed_from": ["日期应在 1900 年至 2100 年之间"]},
    )


def test_follow_up_date_in_9999_is_422(world, officer, api_client):
    project = Project.objects.get()
    body = {"date": "9999-12-31", "kind": "visit", "summary": "回访"}
    resp = post_json(api_client, f"/api/v1/projects/{project.pk}/follow-ups", officer, body)
    assert (resp.status_code, resp.json()["fields"]) == (422, {"date": ["日期应在 1900 年至 2100 年之间"]})
    assert project.follow_ups.count() == 0


def test_no_follow_up_days_beyond_a_century_is_422(world, officer, api_client):
    resp = api_client.get(f"/api/v1/projects?no_follow_up_days={BIG}", **officer)
    assert (resp.status_code, resp.json()["fields"]) == (422, {"no_follow_up_days": ["不能大于 36500"]})


# ---------------------------------------------------------------------------- periods
@pytest.mark.parametrize("period", ["0000-01", "9999-12", "1989-12", "2101"])
def test_kpi_period_outside_1990_2100_is_422(world, officer, api_client, period):
    resp = api_client.get(f"/api/v1/dispatch/kpis?period={period}", **officer)
    assert resp.status_code == 422
    assert resp.json()["fields"] == {"period": [f"期次年份应在 1990 至 2100 之间：{period}"]}


def test_bulletin_period_9999_is_422(world, officer, api_client):
    resp = api_client.get("/api/v1/dispatch/bulletin?period=9999-12&format=pdf", **officer)
    assert resp.status_code == 422
    assert resp.json()["fields"] == {"period": ["期次年份应在 1990 至 2100 之间：9999-12"]}


@override_settings(ZONEDESK_INPUT={"PERIOD_RANGE": (2020, 2030)})
def test_period_range_is_configurable(world, officer, api_client):
    assert api_client.get("/api/v1/dispatch/kpis?period=2030-12", **officer).status_code == 200
    resp = api_client.get("/api/v1/dispatch/kpis?period=2019-12", **officer)
    assert resp.json()["fields"] == {"period": ["期次年份应在 2020 至 2030 之间：2019-12"]}


def test_period_range_setting_is_read_from_the_environment_form():
    assert inputs.parse_year_range("2000-2050", (1990, 2100)) == (2000, 2050)
    assert inputs.parse_year_range("", (1990, 2100)) == (1990, 2100)
    with pytest.raises(ValueError, match="1990-2100"):
        inputs.parse_year_range("2050-2000", (1990, 2100))


def test_dispatch_page_with_period_9999_shows_the_error_and_the_default_period(world, client):
    client.force_login(world.officer_a)
    resp = client.get("/dispatch/?period=9999-12")
    assert resp.status_code == 200
    assert "期次无效（period：期次年份应在 1990 至 2100 之间：9999-12）" in resp.content.decode()


# ---------------------------------------------------------------------------- NUL and lone surrogates
def test_nul_in_query_is_422_naming_the_field(world, officer, api_client):
    resp = api_client.get("/api/v1/projects?q=%00abc", **officer)
    assert resp.status_code == 422
    assert resp.json() == {
        "detail": "请求数据有误：q：不能包含空字符（NUL）",
        "code": "invalid",
        "fields": {"q": ["不能包含空字符（NUL）"]},
    }


def test_nul_in_json_body_is_422_and_nothing_is_created(world, officer, api_client):
    body = {"name": "空字符\u0000项目", "zone": world.zone_a.pk}
    resp = post_json(api_client, "/api/v1/projects", officer, body)
    assert (resp.status_code, resp.json()["fields"]) == (422, {"name": ["不能包含空字符（NUL）"]})
    assert Project.objects.count() == 1


def test_lone_surrogate_in_patch_is_422_and_nothing_changes(world, officer, api_client):
    project = Project.objects.get()
    raw = '{"version": %d, "construction_content": "\\ud800 孤立代理"}' % project.version
    resp = post_json(api_client, f"/api/v1/projects/{project.pk}", officer, raw, method="patch")
    assert resp.status_code == 422
    assert resp.json()["fields"] == {"construction_content": ["不能包含不成对的代理字符"]}
    project.refresh_from_db()
    assert project.construction_content == ""


def test_paired_surrogates_are_an_ordinary_character(world, officer, api_client):
    project = Project.objects.get()
    raw = '{"version": %d, "construction_content": "\\ud83d\\ude00"}' % project.version
    resp = post_json(api_client, f"/api/v1/projects/{project.pk}", officer, raw, method="patch")
    assert resp.status_code == 200
    assert resp.json()["construction_content"] == "\U0001f600"


def test_nul_in_a_nested_json_key_names_its_path(world, officer, api_client):
    body = {"to_stage": "negotiating", "occurred_on": "2026-01-05", "fields": {"bad\u0000key": 1}}
    project = Project.objects.get()
    resp = post_json(api_client, f"/api/v1/projects/{project.pk}/advance", officer, body)
    assert (resp.status_code, resp.json()["fields"]) == (
        422,
        {"fields.bad\x00key": ["不能包含空字符（NUL）"]},
    )


def test_nul_in_multipart_intake_text_is_422(world, officer, api_client):
    data = {"zone": str(world.zone_a.pk), "text": "长治高新区\x00签约项目"}
    resp = api_client.post("/api/v1/intake/documents", data=data, **officer)
    assert resp.status_code == 422
    assert resp.json()["fields"] == {"text": ["不能包含空字符（NUL）或不成对的代理字符"]}


def test_nul_in_a_page_query_is_400_naming_the_field(world, client):
    client.force_login(world.officer_a)
    resp = client.get("/projects/?leader=%00")
    assert resp.status_code == 400
    assert "请求数据有误：leader：不能包含空字符（NUL）" in resp.content.decode()


def test_nul_in_a_page_form_is_400_and_nothing_is_recorded(world, officer, client):
    project = Project.objects.get()
    client.force_login(world.officer_a)
    url = f"/projects/{project.pk}/requirements/"
    form = {"content": "用地\x00指标", "raised_on": "2026-01-05"}
    urlencoded = client.post(url, urlencode(form), content_type="application/x-www-form-urlencoded")
    multipart = client.post(url, form)
    for resp in (urlencoded, multipart):
        assert resp.status_code == 400
        assert "请求数据有误：content：不能包含空字符（NUL）" in resp.content.decode()
    assert project.requirements.count() == 0


# ---------------------------------------------------------------------------- body size
@override_settings(ZONEDESK_INPUT={"API_MAX_BODY_BYTES": 1_048_576})
def test_json_body_over_the_limit_is_413_with_the_json_error_shape(world, officer, api_client):
    body = {"name": "大请求体", "zone": world.zone_a.pk, "construction_content": "x" * 1_100_000}
    resp = post_json(api_client, "/api/v1/projects", officer, body)
    assert resp.status_code == 413
    assert resp.json() == {"detail": "请求体过大（上限 1 MB）", "code": "too_large", "fields": {}}
    assert Project.objects.count() == 1


def test_json_body_over_django_upload_limit_is_413_not_500(world, officer, api_client):
    body = {"name": "大请求体", "zone": world.zone_a.pk, "construction_content": "x" * 3_000_000}
    resp = post_json(api_client, "/api/v1/projects", officer, body)
    assert (resp.status_code, resp.json()["code"]) == (413, "too_large")
    assert resp.json()["detail"] == "请求体过大（上限 2.5 MB）"


# ---------------------------------------------------------------------------- parser errors
def test_multipart_without_boundary_is_400(world, officer, api_client):
    resp = api_client.post(
        "/api/v1/intake/documents", data=b"zone=1", content_type="multipart/form-data", **officer
    )
    assert resp.status_code == 400, resp.content.decode()
    assert resp.json() == {"detail": "表单数据格式无效", "code": "bad_request", "fields": {}}


def test_json_that_is_not_an_object_is_422(world, officer, api_client):
    resp = post_json(api_client, "/api/v1/projects", officer, b"[1, 2]")
    assert resp.status_code == 422
    assert resp.json()["code"] == "invalid"


# ---------------------------------------------------------------------------- zones by region
@pytest.mark.parametrize("region", ["140400", "14", "null", "+îiî", "0"])
def test_zones_by_any_region_value_answer_200(world, officer, api_client, region):
    resp = api_client.get("/api/v1/zones", {"region": region}, **officer)
    assert resp.status_code == 200


def test_zones_by_city_region_list_the_zone_in_it(world, officer, api_client):
    resp = api_client.get("/api/v1/zones?region=140400", **officer)
    assert [z["name"] for z in resp.json()["results"]] == ["长治高新技术产业开发区"]
    assert api_client.get("/api/v1/zones?region=141100", **officer).json()["count"] == 0


# ---------------------------------------------------------------------------- the last net
def test_value_the_database_refuses_is_422_not_500(world, officer, api_client, monkeypatch):
    from zonedesk.projects import selectors

    def overflow(*args, **kwargs):
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(selectors, "project_get", overflow)
    resp = api_client.get("/api/v1/projects/1", **officer)
    assert resp.status_code == 422
    assert resp.json() == {
        "detail": "请求数据超出可存储的范围",
        "code": "invalid",
        "fields": {},
    }


def test_parse_id_accepts_only_positive_64_bit_whole_numbers():
    assert [inputs.parse_id(v) for v in (1, "42", " 7 ", BIG - 1)] == [1, 42, 7, BIG - 1]
    assert [inputs.parse_id(v) for v in (0, -1, BIG, str(HUGE), "1.5", "٣", None, True, "")] == [None] * 9
