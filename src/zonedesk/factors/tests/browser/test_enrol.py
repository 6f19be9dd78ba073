"""In a real Chromium: an administrator enrols an authenticator, logs out, logs in with the password and the
code, and reaches the ledger. The codes are computed from the key the page shows, with django-otp's TOTP."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from zonedesk.testing.world import PASSWORD

pytestmark = pytest.mark.browser


def code(secret: str, at: float) -> str:
    totp = TOTP(b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6)
    totp.time = at
    return f"{totp.token():06d}"


def test_an_administrator_enrols_totp_then_logs_in_with_password_and_code(
    world, mfa_on, chromium, live_server
):
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", world.admin.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/account/factors/enrol/")
        assert page.locator("#totp-qr svg").count() == 1
        secret = page.locator("#totp-secret").inner_text()
        assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret)
        page.screenshot(path="/tmp/factors-enrol.png", full_page=True)

        now = time.time()
        page.fill("input[name=code]", code(secret, now))
        page.click("main button[type=submit]")
        page.wait_for_url(re.compile(r"/account/factors/enrol/"))
        assert page.locator("#recovery-codes li").count() == 10
        page.screenshot(path="/tmp/factors-recovery.png", full_page=True)
        page.click("text=我已保存，继续")
        page.wait_for_url(f"{live_server.url}/projects/")

        page.click("header form button:has-text('退出')")
        page.wait_for_url(re.compile(r"/login/"))
        page.fill("input[name=username]", world.admin.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/account/factors/verify/")
        # The enrolment code's step is used up; the next step's code is inside the tolerance of one step.
        page.fill("input[name=code]", code(secret, now + 30))
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/projects/")
        assert page.locator("table.ledger").count() == 1
        page.screenshot(path="/tmp/factors-ledger.png")

        # Enrolled now: the administrator may create an API token, shown once.
        page.goto(f"{live_server.url}/account/factors/tokens/")
        page.fill("input[name=name]", "报表同步")
        page.click("main form.filters button[type=submit]")
        assert page.locator("#new-token").inner_text().startswith("zd_")
        assert page.locator("table tbody tr").first.inner_text().startswith("报表同步")
        page.screenshot(path="/tmp/factors-tokens.png", full_page=True)
    finally:
        context.close()
