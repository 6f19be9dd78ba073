"""The permission matrix for every project endpoint: anonymous, no grant, grant, scoped grant.

Objects outside a user's reach answer 404 and never appear in lists or counts; a visible object
the user may not change answers 403; and a refused write changes nothing.
"""

import json

import pytest

from zonedesk.core.models import ObjectChange
from zonedesk.projects.models import Project


@pytest.fixture
def projects(world):
    a = world.project(
        name="长治高新区抗体药物项目", pursuing_unit=world.centre_a.pk, responsible_officer=world.officer_a.pk
    )
    b = world.project(
        world.zone_b,
        name="兴县铝合金零部件项目",
        pursuing_unit=world.centre_b.pk,
        responsible_officer=world.officer_b.pk,
    )
    own = world.project(name="本人登记的储备项目", by=world.admin)
    Project.objects.filter(pk=own.pk).update(created_by=world.own_user)
    return {"a": a, "b": b, "own": own}


def call(client, method, url, headers, body=None):
    kwargs = dict(headers)
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(url, **kwargs)


def listed(client, headers, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    resp = client.get(f"/api/v1/projects?{query}", **headers)
    assert resp.status_code == 200
    body = resp.json()
    return body["count"], sorted(r["name"] for r in body["results"])


def auth(world, token_for, who):
    return {} if who == "anonymous" else token_for(getattr(world, who))


# who → (list names, status of detail/update/delete/advance on zone A's project, create in zone A)
MATRIX = {
    "anonymous": (None, 401, 401),
    "nogrant": ([], 404, 403),
    "admin": (["兴县铝合金零部件项目", "本人登记的储备项目", "长治高新区抗体药物项目"], 200, 201),
    "officer_a": (["本人登记的储备项目", "长治高新区抗体药物项目"], 200, 201),
    "officer_b": (["兴县铝合金零部件项目"], 404, 422),
    "city_officer": (["本人登记的储备项目", "长治高新区抗体药物项目"], 403, 403),
    "centre_user": (["长治高新区抗体药物项目"], 200, 403),
    "own_user": (["本人登记的储备项目"], 404, 201),  # may file records it will own
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_list_shows_only_the_reach(world, projects, api_client, token_for, who):
    names, _, _ = MATRIX[who]
    headers = auth(world, token_for, who)
    if names is None:
        assert api_client.get("/api/v1/projects", **headers).status_code == 401
        return
    assert listed(api_client, headers) == (len(names), names)


@pytest.mark.parametrize("who", list(MATRIX))
def test_detail(world, projects, api_client, token_for, who):
    _, status, _ = MATRIX[who]
    resp = api_client.get(f"/api/v1/projects/{projects['a'].pk}", **auth(world, token_for, who))
    expected = 200 if status in (200, 403) else status  # 403 users may read, not write
    assert resp.status_code == expected
    if expected == 404:
        assert resp.json() == {"detail": "未找到", "code": "not_found", "fields": {}}


@pytest.mark.parametrize("who", list(MATRIX))
def test_update(world, projects, api_client, token_for, who):
    _, status, _ = MATRIX[who]
    headers = auth(world, token_for, who)
    before = ObjectChange.objects.count()
    resp = call(
        api_client,
        "patch",
        f"/api/v1/projects/{projects['a'].pk}",
        headers,
        {"version": 1, "leader_name": "王海涛"},
    )
    assert resp.status_code == status
    projects["a"].refresh_from_db()
    if status == 200:
        assert (projects["a"].leader_name, projects["a"].version) == ("王海涛", 2)
        assert ObjectChange.objects.count() == before + 1
    else:
        assert (projects["a"].leader_name, projects["a"].version) == ("", 1)
        assert ObjectChange.objects.count() == before


@pytest.mark.parametrize("who", list(MATRIX))
def test_advance(world, projects, api_client, token_for, who):
    _, status, _ = MATRIX[who]
    resp = call(
        api_client,
        "post",
        f"/api/v1/projects/{projects['a'].pk}/advance",
        auth(world, token_for, who),
        {"to_stage": "negotiating", "occurred_on": "2026-05-01", "evidence": "首次洽谈", "version": 1},
    )
    assert resp.status_code == status
    projects["a"].refresh_from_db()
    assert projects["a"].stage == ("negotiating" if status == 200 else "reserve")


@pytest.mark.parametrize("who", list(MATRIX))
def test_delete(world, projects, api_client, token_for, who):
    _, status, _ = MATRIX[who]
    expected = 204 if status == 200 else status
    if who == "centre_user":
        expected = 403  # the department role may edit but not delete
    resp = call(api_client, "delete", f"/api/v1/projects/{projects['a'].pk}", auth(world, token_for, who))
    assert resp.status_code == expected
    assert Project.objects.filter(pk=projects["a"].pk).exists() is (expected != 204)


@pytest.mark.parametrize("who", list(MATRIX))
def test_create(world, projects, api_client, token_for, who):
    _, _, status = MATRIX[who]
    count = Project.objects.count()
    resp = call(
        api_client,
        "post",
        "/api/v1/projects",
        auth(world, token_for, who),
        {"name": "新建碳化硅衬底项目", "zone": world.zone_a.pk, "total_investment_wan": "12000.50"},
    )
    assert resp.status_code == status
    if status == 201:
        assert resp.json()["total_investment_wan"] == "12000.50"
        assert Project.objects.count() == count + 1
    else:
        assert Project.objects.count() == count
    if status == 422:
        assert resp.json()["fields"] == {"zone": [f"开发区不存在或无权访问（{world.zone_a.pk}）"]}


def test_sibling_zone_project_is_absent_from_every_read(world, projects, api_client, token_for):
    headers = token_for(world.officer_a)
    pk = projects["b"].pk
    for url in (
        f"/api/v1/projects/{pk}",
        f"/api/v1/projects/{pk}/history",
        f"/api/v1/projects/{pk}/stages",
        f"/api/v1/projects/{pk}/follow-ups",
        f"/api/v1/projects/{pk}/missing?to_stage=signed",
    ):
        assert api_client.get(url, **headers).status_code == 404, url
    assert listed(api_client, headers, zone=world.zone_b.pk) == (0, [])
    assert listed(api_client, headers, q="兴县") == (0, [])


def test_zones_and_units_follow_the_same_gate(world, api_client, token_for):
    headers = token_for(world.officer_a)
    zones = api_client.get("/api/v1/zones", **headers).json()
    assert [z["name"] for z in zones["results"]] == ["长治高新技术产业开发区"]
    assert api_client.get(f"/api/v1/zones/{world.zone_b.pk}", **headers).status_code == 404
    units = api_client.get("/api/v1/units", **headers).json()
    assert sorted(u["name"] for u in units["results"]) == ["生物医药招商中心", "长治高新区管委会"]
    assert api_client.get(f"/api/v1/units/{world.centre_b.pk}", **headers).status_code == 404


def test_stale_update_answers_409_and_changes_nothing(world, projects, api_client, token_for):
    headers = token_for(world.officer_a)
    url = f"/api/v1/projects/{projects['a'].pk}"
    first = call(api_client, "patch", url, headers, {"version": 1, "total_investment_wan": 5000})
    assert first.status_code == 200 and first.json()["version"] == 2
    history = ObjectChange.objects.count()
    stale = call(api_client, "patch", url, headers, {"version": 1, "total_investment_wan": 9000})
    assert stale.status_code == 409
    assert stale.json() == {
        "detail": "记录已被他人修改（您读取的是第 1 版，当前为第 2 版），请刷新后重试",
        "code": "stale_version",
        "fields": {},
    }
    projects["a"].refresh_from_db()
    assert (str(projects["a"].total_investment_wan), projects["a"].version) == ("5000.00", 2)
    assert ObjectChange.objects.count() == history


def test_advance_refused_by_gate_answers_422_with_missing_fields(world, projects, api_client, token_for):
    resp = call(
        api_client,
        "post",
        f"/api/v1/projects/{projects['b'].pk}/advance",
        token_for(world.officer_b),
        {"to_stage": "signed", "occurred_on": "2026-03-16", "version": projects["b"].version},
    )
    assert resp.status_code == 422
    body = resp.json()
    assert body["code"] == "stage_gate"
    assert [m["label"] for m in body["missing"]] == ["投资方", "协议类型", "协议投资额（万元）"]
    assert body["fields"]["agreement_type"] == ["进入“签约”阶段须填写：协议类型"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/zones",
        "/api/v1/units",
        "/api/v1/regions",
        "/api/v1/enterprises",
        "/api/v1/projects",
        "/api/v1/me",
    ],
)
def test_every_endpoint_needs_a_login(world, api_client, url):
    resp = api_client.get(url)
    assert (resp.status_code, resp.json()["code"]) == (401, "unauthenticated")


def test_no_grant_sees_no_zone_or_unit_outside_its_own_zone(world, api_client, token_for):
    headers = token_for(world.nogrant)
    assert api_client.get("/api/v1/zones", **headers).json()["count"] == 0
    assert api_client.get(f"/api/v1/zones/{world.zone_a.pk}", **headers).status_code == 404
    assert api_client.get("/api/v1/units", **headers).json()["count"] == 0


def test_list_filters_come_from_the_ledger_filters(world, api_client, token_for):
    world.project(name="小项目", total_investment_wan=500)
    world.project(name="大项目", total_investment_wan=80000, leader_name="李建国")
    headers = token_for(world.officer_a)
    assert listed(api_client, headers, investment_min=1000) == (1, ["大项目"])
    assert listed(api_client, headers, leader="李建国") == (1, ["大项目"])
    assert listed(api_client, headers, stage="reserve", investment_max=1000) == (1, ["小项目"])
    resp = api_client.get("/api/v1/projects?signed_from=not-a-date", **headers)
    assert (resp.status_code, resp.json()["fields"]) == (422, {"signed_from": ["日期格式应为 YYYY-MM-DD"]})
