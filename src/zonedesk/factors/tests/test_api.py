"""/api/v1/tokens: list, create (the token once), revoke; refusals; a token is not asked for a second factor."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from zonedesk.access.models import ApiToken

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def fixed_now(monkeypatch):
    import zonedesk.access.services as access_services

    monkeypatch.setattr(access_services, "timezone", SimpleNamespace(now=lambda: NOW))


def test_create_returns_the_token_once_with_its_expiry(world, api_client, token_for, fixed_now):
    auth = token_for(world.officer_a)
    response = api_client.post(
        "/api/v1/tokens", {"name": "报表同步", "days": 30}, content_type="application/json", **auth
    )
    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("zd_") and body["prefix"] == body["token"][:10]
    assert (body["name"], body["user"], body["state"]) == ("报表同步", "officer_a", "active")
    assert (body["created_at"], body["expires_at"]) == ("2026-12-01T09:00:00Z", "2026-12-31T09:00:00Z")
    listed = api_client.get("/api/v1/tokens", **auth).json()
    assert listed["count"] == 2
    assert all("token" not in t for t in listed["results"])
    assert api_client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}").status_code == 200


def test_create_without_days_takes_the_default(world, api_client, token_for, fixed_now):
    body = api_client.post(
        "/api/v1/tokens", {}, content_type="application/json", **token_for(world.officer_a)
    ).json()
    assert body["expires_at"] == "2027-03-01T09:00:00Z"


@pytest.mark.parametrize(
    ("payload", "status", "fields"),
    [
        ({"days": 0}, 422, {"days": ["有效期应为 1 至 365 天"]}),
        ({"days": 2**70}, 422, {"days": ["有效期应为 1 至 365 天"]}),
        ({"days": 366}, 422, {"days": ["有效期应为 1 至 365 天"]}),
        ({"days": "many"}, 422, {"days": ["应为整数"]}),
        ({"name": "x" * 101}, 422, {"name": ["文本过长（最多 100 字）"]}),
        ({"user": 1}, 422, {"user": ["不允许的字段"]}),
    ],
)
def test_create_refuses_bad_input(world, api_client, token_for, payload, status, fields):
    auth = token_for(world.officer_a)
    response = api_client.post("/api/v1/tokens", payload, content_type="application/json", **auth)
    assert response.status_code == status
    assert response.json()["fields"] == fields
    assert ApiToken.objects.count() == 1


def test_an_administrator_without_a_second_factor_is_refused_a_token(world, api_client, token_for, mfa_on):
    auth = token_for(world.admin)  # issued before the rule, straight from the service
    assert api_client.get("/api/v1/projects", **auth).status_code == 200  # a token is not asked for TOTP
    response = api_client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json", **auth)
    assert response.status_code == 403
    assert response.json()["detail"] == "须先启用双因素认证才能创建 API 令牌"
    assert ApiToken.objects.count() == 1


def test_an_enrolled_administrator_may_create_one(world, api_client, token_for, mfa_on, enrolled):
    enrolled(world.admin)
    auth = token_for(world.admin)
    response = api_client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json", **auth)
    assert response.status_code == 201


def test_an_unverified_session_is_no_api_credential(world, client, mfa_on, enrolled):
    enrolled(world.admin)
    client.force_login(world.admin)
    assert client.get("/api/v1/tokens").status_code == 401
    assert client.post("/api/v1/tokens", {}, content_type="application/json").status_code == 401
    assert ApiToken.objects.count() == 0


def test_list_shows_own_tokens_and_a_security_administrator_those_in_reach(world, api_client, token_for):
    a = token_for(world.officer_a)
    token_for(world.officer_b)
    admin = token_for(world.admin)
    assert [t["user"] for t in api_client.get("/api/v1/tokens", **a).json()["results"]] == ["officer_a"]
    assert sorted(t["user"] for t in api_client.get("/api/v1/tokens", **admin).json()["results"]) == [
        "admin",
        "officer_a",
        "officer_b",
    ]
    assert [t["user"] for t in api_client.get("/api/v1/tokens?mine=true", **admin).json()["results"]] == [
        "admin"
    ]
    assert [
        t["user"] for t in api_client.get("/api/v1/tokens?user=officer_b", **admin).json()["results"]
    ] == ["officer_b"]
    assert api_client.get("/api/v1/tokens?user=officer_b", **a).json()["count"] == 0
    assert api_client.get("/api/v1/tokens").status_code == 401


def test_revoke_own_then_it_answers_401(world, api_client, token_for):
    auth = token_for(world.officer_a)
    token = ApiToken.objects.get()
    response = api_client.post(
        f"/api/v1/tokens/{token.pk}/revoke", {"reason": "泄露"}, content_type="application/json", **auth
    )
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["revoked_reason"]) == ("revoked", "泄露")
    assert api_client.get("/api/v1/tokens", **auth).status_code == 401


def test_revoke_without_a_reason_and_twice(world, api_client, token_for):
    token_for(world.officer_a)
    auth = {**token_for(world.officer_a), "content_type": "application/json"}
    first = ApiToken.objects.order_by("pk").first()
    assert first is not None
    assert (
        api_client.post(f"/api/v1/tokens/{first.pk}/revoke", {}, **auth).json()["revoked_reason"]
        == "手动吊销"
    )
    again = api_client.post(f"/api/v1/tokens/{first.pk}/revoke", {}, **auth)
    assert again.status_code == 422 and again.json()["detail"] == "该令牌已吊销"


def test_revoking_a_token_outside_the_reach_is_404_and_changes_nothing(world, api_client, token_for):
    token_for(world.officer_a)
    target = ApiToken.objects.get()
    for user in (world.officer_b, world.city_officer, world.nogrant):
        response = api_client.post(
            f"/api/v1/tokens/{target.pk}/revoke", {}, content_type="application/json", **token_for(user)
        )
        assert response.status_code == 404, user
    for bad in ("99999999999999999999", "0", "-1", "x"):
        response = api_client.post(
            f"/api/v1/tokens/{bad}/revoke", {}, content_type="application/json", **token_for(world.officer_b)
        )
        assert response.status_code == 422, bad
    target.refresh_from_db()
    assert target.revoked_at is None


def test_a_security_administrator_revokes_a_token_in_reach(world, api_client, token_for):
    token_for(world.officer_a)
    target = ApiToken.objects.get()
    response = api_client.post(
        f"/api/v1/tokens/{target.pk}/revoke",
        {"reason": "离岗"},
        content_type="application/json",
        **token_for(world.admin),
    )
    assert response.status_code == 200 and response.json()["user"] == "officer_a"


def test_a_zone_security_administrator_reaches_only_the_zone(world, api_client, token_for):
    from zonedesk.access.models import Role
    from zonedesk.access.services import grant_create
    from zonedesk.core.audit import acting_as

    with acting_as(None, source="test", label="测试"):
        role = Role.objects.create(
            code="zone_security", name="开发区安全员", permissions={"apitoken": ["view", "change"]}
        )
        grant_create(user=world.nogrant, role=role, scope="zone", zone=world.zone_b)
    token_for(world.officer_a)
    token_for(world.officer_b)
    auth = token_for(world.nogrant)  # nogrant sits in zone A's committee: its own token stays its own
    listed = api_client.get("/api/v1/tokens", **auth).json()["results"]
    assert sorted(t["user"] for t in listed) == ["nogrant", "officer_b"]
    a_token = ApiToken.objects.get(user=world.officer_a)
    response = api_client.post(
        f"/api/v1/tokens/{a_token.pk}/revoke", {}, content_type="application/json", **auth
    )
    assert response.status_code == 404
    b_token = ApiToken.objects.get(user=world.officer_b)
    response = api_client.post(
        f"/api/v1/tokens/{b_token.pk}/revoke", {}, content_type="application/json", **auth
    )
    assert response.status_code == 200
    a_token.refresh_from_db()
    assert a_token.revoked_at is None
