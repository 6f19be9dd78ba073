from django.test import Client

from zonedesk.access.models import User
from zonedesk.core.audit import acting_as
from zonedesk.identity.models import PasswordState
from zonedesk.identity.services import password_reset_by_admin
from zonedesk.testing.world import PASSWORD

NEW = "Ledger-2026a"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_password(client, old, new=NEW):
    return client.post(
        "/account/password/", {"old_password": old, "new_password1": new, "new_password2": new}
    )


# Idle and absolute session timeouts


def test_a_session_idle_for_thirty_minutes_is_still_alive(world, clock):
    client = logged_in(world.officer_a)
    assert client.get("/projects/").status_code == 200
    clock.advance(minutes=30)
    assert client.get("/projects/").status_code == 200


def test_a_session_idle_for_more_than_thirty_minutes_goes_to_the_login_page(world, clock):
    client = logged_in(world.officer_a)
    assert client.get("/projects/").status_code == 200
    clock.advance(minutes=30, seconds=1)
    response = client.get("/projects/?stage=signed")
    assert (response.status_code, response["Location"]) == (
        302,
        "/login/?next=%2Fprojects%2F%3Fstage%3Dsigned",
    )
    page = client.get(response["Location"]).content.decode()
    assert "会话已超时，请重新登录" in page
    assert client.get("/projects/").status_code == 302  # logged out, not just redirected


def test_activity_keeps_a_session_alive_until_twelve_hours_after_the_login(world, clock):
    client = logged_in(world.officer_a)
    for _ in range(35):  # 35 × 20 min = 11 h 40 min
        assert client.get("/projects/").status_code == 200
        clock.advance(minutes=20)
    assert client.get("/projects/").status_code == 200  # 11 h 40
    clock.advance(minutes=20, seconds=1)  # 12 h 00 min 01 s after the login, 20 min after the last request
    response = client.get("/projects/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=%2Fprojects%2F")


def test_timeouts_come_from_the_settings_group(world, clock, settings):
    settings.ZONEDESK_SESSION_IDLE_MINUTES = 5
    client = logged_in(world.officer_a)
    assert client.get("/projects/").status_code == 200
    clock.advance(minutes=5, seconds=1)
    assert client.get("/projects/").status_code == 302


def test_a_timed_out_session_on_the_api_answers_401(world, clock):
    client = logged_in(world.officer_a)
    assert client.get("/api/v1/me").status_code == 200
    clock.advance(minutes=31)
    response = client.get("/api/v1/me")
    assert (response.status_code, response.json()) == (401, {"detail": "会话已超时，请重新登录"})


def test_the_login_page_starts_the_session_clocks(world, client, clock):
    assert client.post("/login/", {"username": "officer_a", "password": PASSWORD}).status_code == 302
    assert client.session["identity.login_at"] == clock.now.isoformat()


# Expiry and the forced change


def test_a_password_older_than_ninety_days_forces_the_change_at_the_next_login(world, clock):
    clock.advance(days=89, hours=23)
    assert logged_in(world.officer_a).get("/projects/").status_code == 200
    clock.advance(hours=1, seconds=1)
    client = logged_in(world.officer_a)
    response = client.get("/projects/")
    assert (response.status_code, response["Location"]) == (302, "/account/password/")
    assert "您的密码已过期或已被管理员重置，请先修改密码" in client.get("/account/password/").content.decode()
    # nothing else answers: not the API, not another page; logout and the language switch do
    assert client.get("/api/v1/me").status_code == 403
    assert client.get("/dispatch/")["Location"] == "/account/password/"
    assert client.post("/language/", {"language": "en", "next": "/projects/"}).status_code == 302
    assert change_password(client, PASSWORD).status_code == 302
    assert client.get("/projects/").status_code == 200


def test_asvs_mode_never_expires_a_password(world, clock, settings):
    settings.ZONEDESK_PASSWORD_MODE = "asvs"
    clock.advance(days=400)
    assert logged_in(world.officer_a).get("/projects/").status_code == 200


def test_logout_is_allowed_while_the_change_is_due(world, clock):
    clock.advance(days=91)
    client = logged_in(world.officer_a)
    assert client.post("/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_admin_reset_forces_the_change_at_the_next_login(world, clock):
    admin = logged_in(world.admin)
    page = admin.post("/account/reset/", {"username": "officer_a"})
    temporary = page.context["temporary"]
    assert f'<code id="temporary-password">{temporary}</code>' in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")
    user = Client()
    assert user.post("/login/", {"username": "officer_a", "password": temporary}).status_code == 302
    assert user.get("/projects/")["Location"] == "/account/password/"
    assert user.get("/account/password/").status_code == 200
    refused = change_password(user, temporary, new="87654321x")
    assert "密码须包含大写字母、小写字母、数字、其他字符中的至少 3 类" in refused.content.decode()
    assert change_password(user, temporary).status_code == 302
    assert user.get("/projects/").status_code == 200
    assert PasswordState.objects.get(user=world.officer_a).must_change_password is False


def test_admin_reset_ends_the_users_open_sessions(world, clock):
    user = logged_in(world.officer_a)
    assert user.get("/projects/").status_code == 200
    with acting_as(world.admin, source="test"):
        password_reset_by_admin(admin=world.admin, user=world.officer_a)
    assert user.get("/projects/").status_code == 302
    assert "_auth_user_id" not in user.session


def test_reset_page_is_404_for_an_officer_and_changes_nothing(world, clock):
    before = User.objects.get(pk=world.admin.pk).password
    officer = logged_in(world.officer_a)
    assert officer.get("/account/reset/").status_code == 404
    assert officer.post("/account/reset/", {"username": "admin"}).status_code == 404
    assert User.objects.get(pk=world.admin.pk).password == before


def test_reset_page_names_the_field_for_a_username_nobody_has(world, clock):
    page = logged_in(world.admin).post("/account/reset/", {"username": "nobody"})
    assert "用户不存在或不在您的管理范围内" in page.content.decode()


# The own change page


def test_changing_ones_password_keeps_this_session_and_checks_the_old_one(world, clock):
    client = logged_in(world.officer_a)
    wrong = change_password(client, "not-my-password")
    assert "当前密码不正确" in wrong.content.decode()
    mismatch = client.post(
        "/account/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"}
    )
    assert "两次输入的新密码不一致" in mismatch.content.decode()
    reused = change_password(client, PASSWORD, new=PASSWORD)
    assert "新密码不能与最近 5 次使用过的密码相同" in reused.content.decode()
    assert change_password(client, PASSWORD).status_code == 302
    assert client.get("/projects/").status_code == 200
    assert User.objects.get(pk=world.officer_a.pk).check_password(NEW)


def test_the_change_page_needs_a_login(client):
    response = client.get("/account/password/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/account/password/")
