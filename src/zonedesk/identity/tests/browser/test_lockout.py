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
