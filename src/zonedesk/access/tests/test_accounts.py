"""Default demo accounts refused in production; accounts unused for N days disabled (time controlled)."""

from __future__ import annotations

import datetime as dt
import importlib
import logging

import pytest
from django.test import Client, override_settings

from zonedesk.access import services
from zonedesk.access.checks import demo_accounts_disabled
from zonedesk.access.conf import DEMO_PASSWORD
from zonedesk.access.models import Grant, OrgUnit, User
from zonedesk.cli import main
from zonedesk.core.audit import acting_as
from zonedesk.core.models import ObjectChange
from zonedesk.testing.factories import UserFactory
from zonedesk.testing.permissions import state
from zonedesk.testing.world import PASSWORD

WATCH = (User, Grant, Grant.units.through, OrgUnit)
PRODUCTION_LIKE = {
    "ZONEDESK_REFUSE_DEMO_PASSWORD": True,
    "AUTHENTICATION_BACKENDS": [
        "zonedesk.access.backends.DemoPasswordRefused",
        "zonedesk.identity.backends.LockoutBackend",
        "django.contrib.auth.backends.ModelBackend",
    ],
}


def demo_user(username: str = "sheng") -> User:
    user = UserFactory.create(username=username)
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


def login(username: str, password: str) -> int:
    response = Client().post("/login/", {"username": username, "password": password})
    return response.status_code


def test_the_production_settings_refuse_the_demo_password(monkeypatch):
    monkeypatch.setenv("ZONEDESK_SECRET_KEY", "x" * 60)
    production = importlib.import_module("zonedesk.config.settings.production")
    assert production.ZONEDESK_REFUSE_DEMO_PASSWORD is True
    assert production.AUTHENTICATION_BACKENDS == [
        "zonedesk.access.backends.DemoPasswordRefused",
        "zonedesk.identity.backends.LockoutBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]


@pytest.mark.django_db
def test_a_demo_account_signs_in_where_the_demo_is_allowed():
    demo_user()
    assert login("sheng", DEMO_PASSWORD) == 302


@pytest.mark.django_db
@override_settings(**PRODUCTION_LIKE)
def test_in_production_the_demo_password_signs_nobody_in(caplog):
    demo_user()
    demo_user("someone_else")
    UserFactory.create(username="real")  # the factories' own password
    caplog.set_level(logging.WARNING, logger="zonedesk.security")
    assert [login("sheng", DEMO_PASSWORD), login("someone_else", DEMO_PASSWORD)] == [200, 200]
    assert login("real", PASSWORD) == 302
    refused = [
        (r.event, r.username, r.reason) for r in caplog.records if getattr(r, "event", "") == "login.refused"
    ]
    assert refused == [
        ("login.refused", "sheng", "demo_password"),
        ("login.refused", "someone_else", "demo_password"),
    ]


@pytest.mark.django_db
def test_the_system_check_fails_in_production_while_a_demo_account_has_the_demo_password():
    sheng = demo_user("sheng")
    demo_user("officer_changzhi_hitech")
    demo_user("not_a_demo_name")  # refused at sign-in, not looked for by the check (one hash per account)
    assert demo_accounts_disabled() == []  # the demo allowed: nothing to say
    with override_settings(ZONEDESK_REFUSE_DEMO_PASSWORD=True):
        errors = demo_accounts_disabled()
        assert [(e.id, e.msg) for e in errors] == [
            ("zonedesk.access.E001", "生产环境中存在使用演示密码的演示账号：officer_changzhi_hitech、sheng")
        ]
        with acting_as(None, source="test", label="test"):
            services.user_set_active(by=None, user=sheng, active=False)
        User.objects.filter(username="officer_changzhi_hitech").update(password="!")
        assert demo_accounts_disabled() == []


# --------------------------------------------------------------------------- stale accounts
NOW = dt.datetime(2026, 12, 4, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def accounts(db):
    """Accounts of every age, relative to NOW."""

    def make(name, last_login=None, joined=400, **kwargs):
        user = UserFactory.create(username=name, **kwargs)
        User.objects.filter(pk=user.pk).update(
            last_login=None if last_login is None else NOW - dt.timedelta(days=last_login),
            date_joined=NOW - dt.timedelta(days=joined),
        )

    make("used_91_days_ago", last_login=91)
    make("used_89_days_ago", last_login=89)
    make("used_exactly_90_days_ago", last_login=90)
    make("never_used_joined_100_days_ago", joined=100)
    make("never_used_joined_10_days_ago", joined=10)
    make("old_superuser", last_login=500, is_superuser=True)
    make("already_disabled", last_login=500)
    User.objects.filter(username="already_disabled").update(is_active=False)


def test_a_dry_run_lists_the_stale_accounts_and_changes_nothing(accounts):
    before = state(WATCH)
    found = services.accounts_disable_stale(now=NOW, dry_run=True)
    assert [u.username for u in found] == ["never_used_joined_100_days_ago", "used_91_days_ago"]
    assert state(WATCH) == before


def test_stale_accounts_are_disabled_with_history_and_an_event(accounts, monkeypatch):
    seen = []
    monkeypatch.setattr(
        services, "_security_event", lambda event, user, by, **d: seen.append((event, user.username, by, d))
    )
    with acting_as(None, source="cli", label="job:accounts.disable-stale"):
        done = services.accounts_disable_stale(now=NOW)
    assert [u.username for u in done] == ["never_used_joined_100_days_ago", "used_91_days_ago"]
    assert sorted(User.objects.filter(is_active=False).values_list("username", flat=True)) == [
        "already_disabled",
        "never_used_joined_100_days_ago",
        "used_91_days_ago",
    ]
    history = ObjectChange.objects.filter(content_type__model="user", note__startswith="超过").order_by("pk")
    assert [(h.note, h.actor_label, h.changes) for h in history] == [
        ("超过 90 天未登录，自动停用", "job:accounts.disable-stale", {"is_active": [True, False]})
    ] * 2
    assert seen == [
        (
            "user.disabled",
            "never_used_joined_100_days_ago",
            None,
            {"reason": "stale", "sessions_ended": 0, "tokens_revoked": 0},
        ),
        (
            "user.disabled",
            "used_91_days_ago",
            None,
            {"reason": "stale", "sessions_ended": 0, "tokens_revoked": 0},
        ),
    ]
    with acting_as(None, source="cli", label="job:accounts.disable-stale"):
        assert services.accounts_disable_stale(now=NOW) == []  # a second run finds nothing


@override_settings(ZONEDESK_ACCOUNT_INACTIVE_DAYS=30)
def test_the_number_of_days_is_a_setting(accounts):
    found = services.accounts_disable_stale(now=NOW, dry_run=True)
    assert [u.username for u in found] == [
        "never_used_joined_100_days_ago",
        "used_89_days_ago",
        "used_91_days_ago",
        "used_exactly_90_days_ago",
    ]


@override_settings(ZONEDESK_ACCOUNT_INACTIVE_DAYS=0)
def test_zero_days_disables_nobody(accounts):
    assert services.accounts_disable_stale(now=NOW) == []


def test_the_command_disables_stale_accounts(db, capsys):
    now = dt.datetime.now(dt.UTC)
    for name, days in (("stale", 120), ("fresh", 3)):
        user = UserFactory.create(username=name)
        User.objects.filter(pk=user.pk).update(last_login=now - dt.timedelta(days=days))
    assert main(["accounts", "disable-stale", "--dry-run"]) == 0
    assert User.objects.get(username="stale").is_active is True
    assert main(["accounts", "disable-stale"]) == 0
    day = (now - dt.timedelta(days=120)).astimezone(dt.timezone(dt.timedelta(hours=8))).date().isoformat()
    assert capsys.readouterr().out.splitlines() == [
        f"将停用 stale（最后登录：{day}）",
        "将停用 1 个超过 90 天未使用的账号",
        f"已停用 stale（最后登录：{day}）",
        "已停用 1 个超过 90 天未使用的账号",
    ]
    assert dict(User.objects.values_list("username", "is_active")) == {"stale": False, "fresh": True}
