"""Account lifecycle from the pages and the command line: create, disable (their sessions end), enable,
list, within the administrator's reach, with history and security events; moving a province to 三员."""

from __future__ import annotations

import logging

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from zonedesk.access import services
from zonedesk.access.choices import Scope
from zonedesk.access.models import Grant, OrgUnit, User
from zonedesk.cli import main
from zonedesk.core.models import ObjectChange
from zonedesk.testing.factories import UserFactory
from zonedesk.testing.permissions import state

WATCH = (User, Grant, Grant.units.through, OrgUnit)


@pytest.fixture
def system(world):
    return UserFactory.create(
        username="xitong", unit=world.province, grants=[("system_admin", Scope.ALL, None)]
    )


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def events(monkeypatch):
    """The events the services tell ``zonedesk.security``, caught by a logger of the test's own (the CLI's
    Django set-up reconfigures logging and would drop a handler added to the shared one)."""
    handler, logger = Collect(), logging.Logger("zonedesk.security", logging.INFO)
    logger.addHandler(handler)
    monkeypatch.setattr(services, "security_log", logger)

    def read():
        fields = ("event", "username", "user_id", "by")
        return [tuple(getattr(r, f) for f in fields) for r in handler.records if hasattr(r, "event")]

    return read


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sessions_of(user) -> int:
    return sum(1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk))


def test_the_system_administrator_runs_an_account_from_the_pages(world, system, events):
    admin = signed_in(system)
    response = admin.post(
        "/manage/users/new/",
        {"username": "xiaoli", "full_name": "李晓", "password": "Zd-2026-welcome", "unit": world.centre_a.pk},
    )
    person = User.objects.get(username="xiaoli")
    assert (response.status_code, response["Location"]) == (302, f"/manage/users/{person.pk}/")
    response = admin.post(
        f"/manage/users/{person.pk}/grants/new/", {"role": world.roles["viewer"].pk, "scope": "unit"}
    )
    assert response.status_code == 302
    grant = person.grants.get()

    theirs = signed_in(person)
    assert (sessions_of(person), theirs.get("/manage/").status_code) == (1, 403)  # signed in, no rights
    assert admin.post(f"/manage/users/{person.pk}/active/", {"active": "0"}).status_code == 302
    person.refresh_from_db()
    assert (person.is_active, sessions_of(person)) == (False, 0)
    assert theirs.get("/manage/")["Location"].startswith("/login/")

    assert admin.post(f"/manage/users/{person.pk}/active/", {"active": "1"}).status_code == 302
    assert admin.post(f"/manage/grants/{grant.pk}/delete/").status_code == 302
    person.refresh_from_db()
    assert (person.is_active, person.grants.count()) == (True, 0)
    notes = list(
        ObjectChange.objects.filter(content_type__model="user", object_id=person.pk)
        .order_by("pk")
        .values_list("note", flat=True)
    )
    assert notes == ["", "新增授权", "停用账号", "启用账号", "撤销授权"]
    assert events() == [
        ("grant.created", "xiaoli", person.pk, "xitong"),
        ("user.disabled", "xiaoli", person.pk, "xitong"),
        ("user.enabled", "xiaoli", person.pk, "xitong"),
        ("grant.revoked", "xiaoli", person.pk, "xitong"),
    ]


def test_disabling_ends_only_that_persons_sessions(world, system):
    signed_in(world.centre_user), signed_in(world.centre_user), signed_in(world.officer_a)
    admin = signed_in(system)
    admin.post(f"/manage/users/{world.centre_user.pk}/active/", {"active": "0"})
    assert (sessions_of(world.centre_user), sessions_of(world.officer_a), sessions_of(system)) == (0, 1, 1)


def test_enabling_an_active_account_changes_and_records_nothing(world, system, events):
    admin = signed_in(system)
    before = state(WATCH)
    admin.post(f"/manage/users/{world.centre_user.pk}/active/", {"active": "1"})
    assert (state(WATCH), events()) == (before, [])


# --------------------------------------------------------------------------- the command line
def test_the_command_line_creates_disables_enables_and_lists(world, system, monkeypatch, capsys, events):
    monkeypatch.setenv("ZD_PASSWORD", "Zd-2026-welcome")
    create = ["user", "create", "xiaoli", "--full-name", "李晓", "--unit", "生物医药招商中心"]
    assert main([*create, "--password-env", "ZD_PASSWORD", "--by", "xitong"]) == 0
    person = User.objects.get(username="xiaoli")
    signed_in(person)
    assert main(["user", "disable", "xiaoli", "--by", "xitong"]) == 0
    assert sessions_of(person) == 0
    assert main(["user", "list", "--state", "disabled"]) == 0
    assert main(["user", "enable", "xiaoli", "--by", "xitong"]) == 0
    out = capsys.readouterr().out.splitlines()
    today = timezone.localdate().isoformat()  # signed in above
    assert out == [
        "已创建用户 xiaoli",
        "已停用 xiaoli（已结束其全部会话）",
        f"xiaoli\t李晓\t生物医药招商中心\t停用\t-\t{today}",
        "已启用 xiaoli",
    ]
    changes = ObjectChange.objects.filter(content_type__model="user", object_id=person.pk).order_by("pk")
    assert [(c.note, c.actor_label, c.source) for c in changes] == [
        ("", "xitong", "cli"),
        ("停用账号", "xitong", "cli"),
        ("启用账号", "xitong", "cli"),
    ]
    assert events() == [
        ("user.disabled", "xiaoli", person.pk, "xitong"),
        ("user.enabled", "xiaoli", person.pk, "xitong"),
    ]


def test_the_command_line_keeps_an_administrator_within_their_reach(world, system, capsys):
    UserFactory.create(username="anquan", unit=world.province, grants=[("security_admin", Scope.ALL, None)])
    zone_b = UserFactory.create(
        username="zone_b_admin", unit=world.committee_b, grants=[("province_admin", Scope.ZONE, world.zone_b)]
    )
    before = state(WATCH)
    assert main(["user", "disable", "centre", "--by", "anquan"]) == 2
    assert main(["user", "disable", "centre", "--by", zone_b.username]) == 2
    assert main(["user", "disable", "xitong", "--by", "xitong"]) == 2
    assert state(WATCH) == before
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("错误")]
    assert err == [
        "错误：用户“centre”不存在或不在您管理的范围内",
        "错误：用户“centre”不存在或不在您管理的范围内",
        "错误：不能停用自己的账号",
    ]
    capsys.readouterr()
    assert main(["user", "list", "--by", zone_b.username]) == 0
    names = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    assert names == ["officer_b", "zone_b_admin"]


def test_roles_split_moves_a_province_to_three_administrators(world, capsys):
    UserFactory.create(username="anquan", unit=world.province)
    UserFactory.create(username="shenji", unit=world.province)
    command = ["roles", "split", "--system", "admin", "--security", "anquan", "--audit", "shenji"]
    assert main(command) == 0
    held = {
        u: sorted(Grant.objects.filter(user__username=u).values_list("role__code", flat=True))
        for u in ("admin", "anquan", "shenji")
    }
    assert held == {"admin": ["system_admin"], "anquan": ["security_admin"], "shenji": ["audit_admin"]}
    assert capsys.readouterr().out.splitlines() == [
        "已授予 admin：系统管理员（全部）",
        "已授予 anquan：安全管理员（全部）",
        "已授予 shenji：审计管理员（全部）",
    ]
    assert main(["roles", "split", "--system", "admin", "--security", "admin", "--audit", "shenji"]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("错误")]
    assert err == ["错误：三员分立：系统、安全、审计管理员必须是三个不同的账号"]
