import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from zonedesk.access.models import User
from zonedesk.core.audit import acting_as
from zonedesk.core.errors import NotPermitted, ValidationFailed
from zonedesk.core.models import ObjectChange
from zonedesk.identity.models import PasswordHistory, PasswordState
from zonedesk.identity.services import password_change, password_due, password_reset_by_admin
from zonedesk.testing.world import PASSWORD

NEW = ["Ledger-2026a", "Ledger-2026b", "Ledger-2026c", "Ledger-2026d", "Ledger-2026e"]


def change(user, password, by=None):
    with acting_as(by or user, source="test"):
        password_change(user=user, new_password=password, by=by or user)
    return User.objects.get(pk=user.pk)


def test_password_change_sets_the_password_keeps_the_old_hash_and_records_it(world, security_events):
    user = world.officer_a
    old_hash = user.password
    user = change(user, "Ledger-2026a")
    assert user.check_password("Ledger-2026a")
    assert list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)) == [old_hash]
    state = PasswordState.objects.get(user=user)
    assert state.must_change_password is False
    row = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=user.pk
    ).latest("pk")
    assert (row.action, row.note, row.user_id, row.after) == (
        "update",
        "修改密码",
        user.pk,
        {"must_change_password": False},
    )
    assert security_events("password.changed") == [("password.changed", "officer_a", "")]


def test_password_change_refuses_each_of_the_last_five_passwords(world):
    user = world.officer_a
    for password in NEW[:4]:
        user = change(user, password)
    # the current one and the four before it (the world's password first) are refused
    for reused in [PASSWORD, *NEW[:4]]:
        with pytest.raises(ValidationFailed) as refused:
            change(user, reused)
        assert refused.value.fields == {"new_password": ["新密码不能与最近 5 次使用过的密码相同"]}
    user = change(user, NEW[4])
    # six passwords on: the world's password has left the last five
    user = change(user, PASSWORD)
    assert user.check_password(PASSWORD)
    assert PasswordHistory.objects.filter(user=user).count() == 4


def test_password_change_refuses_a_weak_password_and_changes_nothing(world):
    before = world.officer_a.password
    with pytest.raises(ValidationFailed) as refused:
        change(world.officer_a, "87654321x")
    assert refused.value.fields == {
        "new_password": ["密码须包含大写字母、小写字母、数字、其他字符中的至少 3 类"]
    }
    assert User.objects.get(pk=world.officer_a.pk).password == before
    assert PasswordHistory.objects.count() == 0


def test_admin_reset_gives_a_temporary_password_that_must_be_changed(world, security_events, clock):
    with acting_as(world.admin, source="test"):
        temporary = password_reset_by_admin(admin=world.admin, user=world.officer_a)
    user = User.objects.get(pk=world.officer_a.pk)
    assert len(temporary) == 14 and user.check_password(temporary)
    assert PasswordState.objects.get(user=user).must_change_password is True
    assert password_due(user) == clock.now
    assert security_events("password.reset") == [("password.reset", "officer_a", "")]


def test_someone_outside_the_users_reach_may_not_reset_and_nothing_changes(world):
    before = world.admin.password
    for outsider in (world.officer_b, world.officer_a, world.nogrant):
        with acting_as(outsider, source="test"), pytest.raises(NotPermitted):
            password_reset_by_admin(admin=outsider, user=world.admin)
    assert User.objects.get(pk=world.admin.pk).password == before
    assert not PasswordState.objects.exists()


def test_password_expires_ninety_days_after_the_change_and_never_in_asvs_mode(world, clock, settings):
    user = change(world.officer_a, "Ledger-2026a")
    assert password_due(user) == clock.now + dt.timedelta(days=90)
    settings.ZONEDESK_PASSWORD_MODE = "asvs"
    assert password_due(user) is None


def test_the_command_line_gives_a_temporary_password_once(world, capsys):
    from zonedesk.cli import main

    assert main(["account", "reset-password", "officer_a"]) == 0
    out = capsys.readouterr().out
    prefix = "officer_a 的临时密码（只显示这一次，下次登录须修改）："
    assert out.startswith(prefix)
    temporary = out[len(prefix) :].strip()
    user = User.objects.get(pk=world.officer_a.pk)
    assert user.check_password(temporary)
    assert PasswordState.objects.get(user=user).must_change_password is True
    row = ObjectChange.objects.filter(object_id=user.pk, note="管理员重置密码").get()
    assert (row.source, row.user_id, row.actor_label.startswith("cli:")) == ("cli", None, True)
    assert main(["account", "reset-password", "nobody"]) == 2


def test_an_administrator_who_is_not_a_superuser_may_not_reset_a_superuser(world):
    from zonedesk.access.services import user_create

    with acting_as(None, source="test", label="测试数据"):
        root = user_create(
            username="root", password="Super-pass-2026", unit=world.province, is_superuser=True
        )
    before = User.objects.get(pk=root.pk).password
    with acting_as(world.admin, source="test"), pytest.raises(NotPermitted):
        password_reset_by_admin(admin=world.admin, user=root)
    assert User.objects.get(pk=root.pk).password == before
