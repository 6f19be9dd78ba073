"""After the password, the second factor: administrators enrol before anything else, enrolled people verify
each session, others are not asked; enrolment shows a server-drawn QR code and the key; tokens on a page."""

from __future__ import annotations

import re
from base64 import b32encode

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zonedesk.access.models import ApiToken
from zonedesk.factors.tests.conftest import code_at
from zonedesk.testing.world import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user):
    return client.post(resolve_url(settings.LOGIN_URL), {"username": user.username, "password": PASSWORD})


def test_an_administrator_without_a_device_is_sent_to_enrolment_and_can_do_nothing_else(
    world, client, mfa_on
):
    client.force_login(world.admin)
    for path in (
        "/projects/",
        "/dispatch/",
        "/ledger-io/",
        "/account/factors/tokens/",
        "/account/factors/verify/",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/account/factors/enrol/"), path
    assert (
        client.get("/projects/?stage=signed")["Location"]
        == "/account/factors/enrol/?next=%2Fprojects%2F%3Fstage%3Dsigned"
    )
    assert client.post("/views/save/", {"name": "x"})["Location"] == "/account/factors/enrol/"
    assert client.get("/api/v1/projects").status_code == 401  # the session is no API credential yet
    assert client.get("/account/factors/enrol/").status_code == 200
    assert client.post("/logout/").status_code == 302


def test_an_optional_user_is_not_asked(world, client, mfa_on):
    client.force_login(world.officer_a)
    assert client.get("/projects/").status_code == 200
    assert client.get("/api/v1/projects").status_code == 200
    home = client.get("/account/factors/")
    assert "未启用（可选）" in home.content.decode()


def test_enrolment_page_draws_the_qr_code_and_shows_the_key(world, client, mfa_on):
    client.force_login(world.admin)
    page = client.get("/account/factors/enrol/").content.decode()
    device = TOTPDevice.objects.get(user=world.admin, confirmed=False)
    secret = b32encode(device.bin_key).decode()
    match = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page)
    assert match is not None
    shown = match.group(1)
    assert shown.replace(" ", "") == secret and len(secret) == 32
    assert '<svg width="' in page and 'class="segno"' in page  # drawn here, no image from elsewhere
    assert "http" not in page.split('id="totp-qr"')[1].split("</figure>")[0]


def test_enrol_then_password_login_then_verify_reaches_the_ledger(world, client, mfa_on, otp_clock):
    login(client, world.admin)
    assert client.get("/projects/")["Location"] == "/account/factors/enrol/?next=%2Fprojects%2F"
    client.get("/account/factors/enrol/")
    device = TOTPDevice.objects.get(user=world.admin)
    page = client.post(
        "/account/factors/enrol/", {"code": code_at(device, otp_clock.t), "next": "/projects/"}
    )
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())
    assert len(codes) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=world.admin).values_list("token", flat=True)
    )
    assert client.get("/projects/").status_code == 200  # verified by the first code
    assert "恢复码" in client.get("/account/factors/").content.decode()
    assert "<code>" not in client.get("/account/factors/").content.decode()  # the codes are shown once

    client.post("/logout/")
    login(client, world.admin)
    assert client.get("/projects/")["Location"] == "/account/factors/verify/?next=%2Fprojects%2F"
    otp_clock.advance(30)
    wrong = client.post("/account/factors/verify/", {"code": "000000", "next": "/projects/"})
    assert wrong.status_code == 200 and "验证码不正确或已过期" in wrong.content.decode()
    otp_clock.advance(2)
    ok = client.post("/account/factors/verify/", {"code": code_at(device, otp_clock.t), "next": "/projects/"})
    assert ok["Location"] == "/projects/"
    assert client.get("/projects/").status_code == 200


def test_verify_with_a_recovery_code_says_how_many_are_left(world, client, mfa_on, enrolled):
    _device, codes = enrolled(world.admin)
    client.force_login(world.admin)
    response = client.post("/account/factors/verify/", {"code": codes[0]}, follow=True)
    assert response.redirect_chain[0] == ("/", 302)
    assert "已使用一个恢复码，还剩 9 个。" in response.content.decode()


def test_verify_never_redirects_off_site(world, client, mfa_on, enrolled, otp_clock):
    device, _codes = enrolled(world.admin)
    client.force_login(world.admin)
    otp_clock.advance(30)
    response = client.post(
        "/account/factors/verify/", {"code": code_at(device, otp_clock.t), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_an_optional_user_who_enrolled_verifies_too(world, client, mfa_on, enrolled):
    enrolled(world.officer_a)
    client.force_login(world.officer_a)
    assert client.get("/projects/")["Location"] == "/account/factors/verify/?next=%2Fprojects%2F"


def test_the_token_page_refuses_an_administrator_without_a_second_factor(world, client, settings):
    # Required but not enforced on pages here (nothing else to test): the rule of the service itself.
    settings.ZONEDESK_MFA_REQUIRE_ALL_SCOPE = True
    from zonedesk.factors import middleware

    client.force_login(world.admin)
    original = middleware.owed_step
    middleware.owed_step = lambda user: ""
    try:
        response = client.post("/account/factors/tokens/", {"name": "报表", "days": 30})
    finally:
        middleware.owed_step = original
    assert "须先启用双因素认证才能创建 API 令牌" in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_tokens_page_creates_shows_once_and_revokes(world, client):
    client.force_login(world.officer_a)
    page = client.post("/account/factors/tokens/", {"name": "报表同步", "days": 30}).content.decode()
    match = re.search(r'<code id="new-token">(zd_[^<]+)</code>', page)
    assert match is not None
    raw = match.group(1)
    token = ApiToken.objects.get(user=world.officer_a)
    assert token.expires_at is not None
    assert (token.name, token.prefix, (token.expires_at - token.created_at).days) == (
        "报表同步",
        raw[:10],
        30,
    )
    assert raw not in client.get("/account/factors/tokens/").content.decode()
    client.post(f"/account/factors/tokens/{token.pk}/revoke/", {"reason": "不再使用"})
    token.refresh_from_db()
    assert token.revoked_reason == "不再使用" and token.revoked_at is not None
    assert "已吊销" in client.get("/account/factors/tokens/").content.decode()


def test_tokens_page_refuses_days_out_of_range(world, client):
    client.force_login(world.officer_a)
    page = client.post("/account/factors/tokens/", {"name": "", "days": 400}).content.decode()
    assert "有效期应为 1 至 365 天" in page
    assert ApiToken.objects.count() == 0


def test_another_persons_token_is_404_and_unchanged(world, client, token_for):
    token_for(world.officer_a)
    token = ApiToken.objects.get(user=world.officer_a)
    client.force_login(world.officer_b)
    assert client.post(f"/account/factors/tokens/{token.pk}/revoke/").status_code == 404
    assert "officer_a" not in client.get("/account/factors/tokens/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_security_administrator_sees_and_revokes_tokens_in_reach(world, client, token_for):
    token_for(world.officer_a)
    token = ApiToken.objects.get(user=world.officer_a)
    client.force_login(world.admin)
    assert "officer_a" in client.get("/account/factors/tokens/").content.decode()
    client.post(f"/account/factors/tokens/{token.pk}/revoke/", {"reason": "离岗"})
    token.refresh_from_db()
    assert token.revoked_reason == "离岗"


def test_reset_page_for_a_security_administrator(world, client, enrolled):
    enrolled(world.officer_a)
    client.force_login(world.admin)
    page = client.get("/account/factors/").content.decode()
    assert "officer_a" in page and "已启用" in page
    client.post(f"/account/factors/reset/{world.officer_a.pk}/", {"reason": "手机丢失"})
    assert TOTPDevice.objects.filter(user=world.officer_a).count() == 0


def test_reset_page_is_404_for_an_officer(world, client, enrolled):
    enrolled(world.officer_b)
    client.force_login(world.officer_a)
    assert client.post(f"/account/factors/reset/{world.officer_b.pk}/").status_code == 404
    assert TOTPDevice.objects.filter(user=world.officer_b, confirmed=True).count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(db, client):
    for path in (
        "/account/factors/",
        "/account/factors/enrol/",
        "/account/factors/verify/",
        "/account/factors/tokens/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next="), path
    assert client.post("/account/factors/tokens/1/revoke/")["Location"].startswith("/login/")


def test_a_reset_ends_the_verification_of_open_sessions(world, client, mfa_on, enrolled, otp_clock):
    from zonedesk.core.audit import acting_as
    from zonedesk.factors.services import mfa_reset

    device, _codes = enrolled(world.admin)
    client.force_login(world.admin)
    otp_clock.advance(30)
    client.post("/account/factors/verify/", {"code": code_at(device, otp_clock.t)})
    assert client.get("/projects/").status_code == 200
    with acting_as(None, source="test", label="测试"):
        mfa_reset(user=world.admin, actor=None, reason="手机丢失")
    assert client.get("/projects/")["Location"] == "/account/factors/enrol/?next=%2Fprojects%2F"
