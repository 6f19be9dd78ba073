"""Lockout in a real Chromium: five wrong passwords, then the Chinese message, the right password refused too."""

import re

import pytest

from zonedesk.testing.world import PASSWORD

pytestmark = pytest.mark.browser
LOCKED = re.compile(r"^账户已锁定，请于\d{4}-\d{2}-\d{2} \d{2}:\d{2}后重试或联系管理员$")


def test_a_user_locked_out_after_five_failures_sees_the_chinese_message(
    world, chromium, live_server, screenshot
):
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)

    def log_in(password):
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", world.officer_a.username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()

    for _ in range(4):
        log_in("wrong-password-1")
        assert page.locator("p.error").inner_text() == "用户名或密码错误，请重试。"
    log_in("wrong-password-1")
    assert LOCKED.match(page.locator("#login-locked").inner_text())
    log_in(PASSWORD)
    assert page.url == f"{live_server.url}/login/"
    message = page.locator("#login-locked")
    assert LOCKED.match(message.inner_text())
    assert message.is_visible()
    screenshot(page, "login-locked")
    context.close()


def test_a_user_given_a_temporary_password_must_change_it_before_anything_else(
    world, chromium, live_server, screenshot
):
    from zonedesk.core.audit import acting_as
    from zonedesk.identity.services import password_reset_by_admin

    with acting_as(world.admin, source="test"):
        temporary = password_reset_by_admin(admin=world.admin, user=world.officer_b)
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "officer_b")
    page.fill("input[name=password]", temporary)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/account/password/")
    assert page.locator("#password-forced").inner_text() == "您的密码已过期或已被管理员重置，请先修改密码"
    page.goto(f"{live_server.url}/projects/")
    assert page.url == f"{live_server.url}/account/password/"  # nothing else answers
    page.fill("input[name=old_password]", temporary)
    page.fill("input[name=new_password1]", "87654321x")
    page.fill("input[name=new_password2]", "87654321x")
    page.click("main form button[type=submit]")
    assert (
        page.locator("form p.error").first.inner_text()
        == "密码须包含大写字母、小写字母、数字、其他字符中的至少 3 类"
    )
    screenshot(page, "password-change-refused")
    page.fill("input[name=old_password]", temporary)
    page.fill("input[name=new_password1]", "Ledger-2026a")
    page.fill("input[name=new_password2]", "Ledger-2026a")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/projects/")
    assert "密码已修改" in page.locator("main").inner_text()
    context.close()
