"""API tokens: expiry (time controlled through ``now=``), revocation, revoke-all, refusal at the API, the CLI."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from zonedesk.access.models import ApiToken
from zonedesk.access.services import token_create, token_revoke, token_revoke_all
from zonedesk.cli import main
from zonedesk.core.audit import acting_as
from zonedesk.core.errors import NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def issue(user, **kw):
    with acting_as(user, source="test"):
        return token_create(user=user, **kw)


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_expires_after_the_default_90_days(world):
    raw = issue(world.officer_a, name="同步", now=NOW)
    token = ApiToken.objects.get(user=world.officer_a)
    assert (token.created_at, token.expires_at) == (
        NOW,
        dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC).replace(year=2027),
    )
    assert ApiToken.lookup(raw, now=NOW + dt.timedelta(days=90, seconds=-1))[1] == ""
    assert ApiToken.lookup(raw, now=NOW + dt.timedelta(days=90)) == (token, "expired")


def test_the_default_and_the_most_days_are_settings(world, settings):
    settings.ZONEDESK_TOKEN_DAYS = 7
    settings.ZONEDESK_TOKEN_MAX_DAYS = 30
    issue(world.officer_a, now=NOW)
    assert ApiToken.objects.get().expires_at == NOW + dt.timedelta(days=7)
    for days in (0, 31):
        with pytest.raises(ValidationFailed) as refused:
            issue(world.officer_a, days=days, now=NOW)
        assert refused.value.fields == {"days": ["有效期应为 1 至 30 天"]}
    assert ApiToken.objects.count() == 1


def test_an_expired_token_answers_401_and_is_logged(world, client, caplog):
    caplog.set_level(logging.INFO, "zonedesk.security")
    raw = issue(world.officer_a, days=1, now=dt.datetime.now(dt.UTC) - dt.timedelta(days=2))
    response = client.get("/api/v1/me", **bearer(raw))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    [event] = [r for r in caplog.records if getattr(r, "event", "") == "token.rejected"]
    assert (event.reason, event.token, event.username) == ("expired", raw[:10], "officer_a")
    assert raw not in caplog.text


def test_a_live_token_works_and_notes_its_last_use(world, client):
    raw = issue(world.officer_a)
    assert client.get("/api/v1/me", **bearer(raw)).json()["username"] == "officer_a"
    assert ApiToken.objects.get().last_used_at is not None


def test_a_revoked_token_answers_401(world, client, caplog):
    caplog.set_level(logging.INFO, "zonedesk.security")
    raw = issue(world.officer_a)
    token = ApiToken.objects.get()
    with acting_as(world.officer_a, source="test"):
        token_revoke(actor=world.officer_a, token=token, reason="泄露", now=NOW)
    token.refresh_from_db()
    assert (token.revoked_at, token.revoked_reason, token.state()) == (NOW, "泄露", "revoked")
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401
    assert [getattr(r, "event", "") for r in caplog.records if r.name == "zonedesk.security"][-2:] == [
        "token.revoked",
        "token.rejected",
    ]


def test_an_unknown_token_and_a_deactivated_holder_answer_401(world, client):
    raw = issue(world.officer_a)
    assert client.get("/api/v1/me", **bearer("zd_not-a-token")).status_code == 401
    world.officer_a.is_active = False
    world.officer_a.save(update_fields=["is_active"])
    assert ApiToken.lookup(raw)[1] == "inactive_user"
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401


def test_revoking_someone_elses_token_needs_the_grant_and_twice_is_refused(world):
    issue(world.officer_a)
    token = ApiToken.objects.get()
    with acting_as(world.officer_b, source="test"), pytest.raises(NotPermitted):
        token_revoke(actor=world.officer_b, token=token)
    assert ApiToken.objects.get().revoked_at is None
    with acting_as(world.admin, source="test"):
        token_revoke(actor=world.admin, token=token, reason="离岗")
        with pytest.raises(ValidationFailed):
            token_revoke(actor=world.admin, token=token, reason="again")
    assert ApiToken.objects.get().revoked_reason == "离岗"


def test_token_revoke_all_revokes_every_live_token_of_one_user(world, client, caplog):
    caplog.set_level(logging.INFO, "zonedesk.security")
    raws = [issue(world.officer_a, name=n) for n in ("一", "二", "三")]
    other = issue(world.officer_b)
    with acting_as(world.officer_a, source="test"):
        token_revoke(actor=world.officer_a, token=ApiToken.objects.get(name="一"), reason="手动", now=NOW)
    with acting_as(None, source="test", label="修改密码"):
        assert token_revoke_all(user=world.officer_a, reason="修改密码", now=NOW + dt.timedelta(hours=1)) == 2
        assert token_revoke_all(user=world.officer_a, reason="再次") == 0
    assert sorted(ApiToken.objects.filter(user=world.officer_a).values_list("name", "revoked_reason")) == [
        ("一", "手动"),
        ("三", "修改密码"),
        ("二", "修改密码"),
    ]
    assert [client.get("/api/v1/me", **bearer(r)).status_code for r in raws] == [401, 401, 401]
    assert client.get("/api/v1/me", **bearer(other)).status_code == 200
    assert len([r for r in caplog.records if getattr(r, "event", "") == "token.revoked"]) == 3


def test_token_commands_create_list_and_revoke(world, capsys):
    assert main(["token", "create", "--user", "officer_a", "--name", "脚本", "--days", "30"]) == 0
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get()
    assert token.expires_at is not None
    assert token.prefix == raw[:10] and (token.expires_at - token.created_at) == dt.timedelta(days=30)
    assert main(["token", "list", "--user", "officer_a"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[1].split("\t")[:4] == [str(token.pk), "officer_a", f"{raw[:10]}…", "脚本"]
    assert listed[1].endswith("\t有效")
    assert main(["token", "revoke", str(token.pk), "--reason", "换新"]) == 0
    token.refresh_from_db()
    assert token.revoked_reason == "换新"
    capsys.readouterr()
    assert main(["token", "list"]) == 0
    assert capsys.readouterr().out.count("\n") == 1  # only the heading: revoked tokens need --all
    assert main(["token", "revoke", "99999999999999999999"]) == 2
    assert main(["token", "create", "--user", "officer_a", "--days", "0"]) == 2
    assert "有效期应为 1 至 365 天" in capsys.readouterr().err


def test_disabling_an_account_revokes_its_tokens(world):
    from zonedesk.access.models import ApiToken
    from zonedesk.access.services import token_create, user_set_active
    from zonedesk.core.audit import acting_as

    with acting_as(world.officer_a, source="test"):
        token_create(user=world.officer_a, name="报表脚本")
    with acting_as(world.admin, source="web"):
        user_set_active(by=None, user=world.officer_a, active=False)
    token = ApiToken.objects.get(user=world.officer_a)
    assert (token.revoked_reason, token.revoked_at is not None) == ("账号已停用", True)
