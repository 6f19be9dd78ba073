import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from zonedesk.cli import main
from zonedesk.core.audit import acting_as
from zonedesk.core.errors import NotPermitted
from zonedesk.identity.services import account_unlock
from zonedesk.testing.world import PASSWORD

ADDRESS = "10.1.2.3"


def attempt(client, username, password, address=ADDRESS):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def locked_message(clock, minutes=30):
    until = timezone.localtime(clock.now + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M")
    return f"账户已锁定，请于{until}后重试或联系管理员"


def test_four_failures_do_not_lock_and_the_right_password_then_logs_in(world, client, clock):
    for _ in range(4):
        response = attempt(client, "officer_a", "wrong")
        assert response.status_code == 200
        assert "用户名或密码错误，请重试。" in response.content.decode()
    assert attempt(client, "officer_a", PASSWORD).status_code == 302
    # a successful login starts the count again
    assert AccessAttempt.objects.filter(username="officer_a").count() == 0


def test_the_fifth_failure_locks_the_account_and_the_right_password_is_refused(
    world, client, clock, security_events
):
    for _ in range(4):
        attempt(client, "officer_a", "wrong")
    fifth = attempt(client, "officer_a", "wrong")
    assert fifth.status_code == 429
    assert locked_message(clock) in fifth.content.decode()
    clock.advance(minutes=1)
    right = attempt(client, "officer_a", PASSWORD)
    assert right.status_code == 429
    assert locked_message(clock, minutes=29) in right.content.decode()  # the lock runs from the 5th failure
    assert "_auth_user_id" not in client.session
    # from another address too: the account is locked, not the address
    assert attempt(client, "officer_a", PASSWORD, address="10.9.9.9").status_code == 429
    assert security_events("account.locked") == [("account.locked", "officer_a", ADDRESS)]


def test_the_lock_ends_after_thirty_minutes(world, client, clock):
    for _ in range(5):
        attempt(client, "officer_a", "wrong")
    clock.advance(minutes=29, seconds=59)
    assert attempt(client, "officer_a", PASSWORD).status_code == 429
    clock.advance(seconds=2)
    assert attempt(client, "officer_a", PASSWORD).status_code == 302


def test_limits_come_from_the_settings_group(world, client, clock, settings):
    settings.ZONEDESK_LOCKOUT_FAILURES = 3
    settings.ZONEDESK_LOCKOUT_MINUTES = 10
    assert [attempt(client, "officer_a", "wrong").status_code for _ in range(3)] == [200, 200, 429]
    clock.advance(minutes=10, seconds=1)
    assert attempt(client, "officer_a", PASSWORD).status_code == 302


def test_an_administrator_unlocks_and_the_unlock_is_recorded(world, client, clock, security_events):
    for _ in range(5):
        attempt(client, "officer_a", "wrong")
    with acting_as(world.admin, source="test"):
        assert account_unlock(admin=world.admin, username="officer_a") == 1
    assert attempt(client, "officer_a", PASSWORD).status_code == 302
    events = security_events("account.locked", "account.unlocked")
    assert [e[:2] for e in events] == [("account.locked", "officer_a"), ("account.unlocked", "officer_a")]


def test_an_officer_may_not_unlock_and_the_lock_stays(world, client, clock):
    for _ in range(5):
        attempt(client, "admin", "wrong")
    with acting_as(world.officer_b, source="test"), pytest.raises(NotPermitted):
        account_unlock(admin=world.officer_b, username="admin")
    assert attempt(client, "admin", PASSWORD).status_code == 429


def test_the_command_line_unlocks(world, client, clock, capsys):
    for _ in range(5):
        attempt(client, "officer_a", "wrong")
    assert main(["account", "unlock", "officer_a"]) == 0
    assert "已解锁 officer_a（清除 1 条失败登录记录）" in capsys.readouterr().out
    assert attempt(client, "officer_a", PASSWORD).status_code == 302


def test_the_locks_page_lists_the_locked_account_and_unlocks_it(world, client, clock):
    for _ in range(5):
        attempt(client, "officer_a", "wrong")
    admin = type(client)()
    admin.force_login(world.admin)
    page = admin.get("/account/locks/").content.decode()
    assert "officer_a" in page
    assert admin.post("/account/locks/unlock/", {"username": "officer_a"}).status_code == 302
    assert "当前没有被锁定的账户。" in admin.get("/account/locks/").content.decode()
    assert attempt(client, "officer_a", PASSWORD).status_code == 302


def test_the_locks_page_is_404_for_an_officer_and_unlock_changes_nothing(world, client, clock):
    for _ in range(5):
        attempt(client, "admin", "wrong")
    officer = type(client)()
    officer.force_login(world.officer_a)
    assert officer.get("/account/locks/").status_code == 404
    assert officer.post("/account/locks/unlock/", {"username": "admin"}).status_code == 404
    assert AccessAttempt.objects.filter(username="admin").count() == 1


def test_twenty_failures_from_one_address_throttle_that_address_only(world, client, clock, security_events):
    # four wrong passwords for each of five accounts: no account reaches its five, the address reaches 20
    names = ["admin", "city", "officer_a", "officer_b", "centre"]
    codes = [attempt(client, name, "wrong").status_code for name in names for _ in range(4)]
    assert codes == [200] * 19 + [429]
    refused = attempt(client, "own", PASSWORD)
    assert refused.status_code == 429
    assert "登录失败次数过多，本地址已被暂时限制" in refused.content.decode()
    # the same account from another address logs in
    assert attempt(client, "own", PASSWORD, address="10.1.2.4").status_code == 302
    locked = security_events("account.locked")
    assert locked == [("account.locked", "centre", ADDRESS)]


def test_failures_spread_over_more_than_the_window_do_not_lock(world, client, clock):
    for _ in range(4):
        attempt(client, "officer_a", "wrong")
    clock.advance(minutes=31)
    assert attempt(client, "officer_a", "wrong").status_code == 200
    assert attempt(client, "officer_a", PASSWORD).status_code == 302
