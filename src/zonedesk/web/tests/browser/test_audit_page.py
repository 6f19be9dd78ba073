"""The security log in a real Chromium: the province administrator (the audit reader for now) sees a
failed login, checks the chains, and finds them intact."""

import pytest

pytestmark = pytest.mark.browser


def test_the_audit_reader_sees_a_failed_login_and_an_intact_chain(
    world, client, live_server, open_as, screenshot
):
    client.post("/login/", {"username": "officer_a", "password": "wrong"})
    page = open_as(world.admin)
    page.goto(f"{live_server.url}/audit/?event=login.failed")
    assert page.locator("h1").inner_text() == "安全审计"
    rows = page.locator("section[aria-labelledby=security-log] tbody tr").all_inner_texts()
    assert len(rows) == 1 and "login.failed" in rows[0] and "officer_a" in rows[0] and "127.0.0.1" in rows[0]
    page.click("text=校验哈希链")
    status = page.locator("section[aria-labelledby=chain-status] li").all_inner_texts()
    assert [s.split(" ")[0] for s in status] == ["完整", "完整"]
    screenshot(page, "audit-log")


def test_the_audit_administrator_reads_the_security_log_and_can_change_nothing_else(
    world, client, live_server, open_as, screenshot
):
    """三员分立: the 审计管理员 (audit_admin, all zones) reads the security log and may not administer accounts."""
    from zonedesk.access.models import Role
    from zonedesk.access.services import grant_create, user_create
    from zonedesk.core.audit import acting_as
    from zonedesk.testing.world import PASSWORD

    with acting_as(None, source="test", label="测试"):
        auditor = user_create(username="shenji", password=PASSWORD, unit=world.province, full_name="审计员")
        grant_create(user=auditor, role=Role.objects.get(code="audit_admin"), scope="all")
    client.post("/login/", {"username": "officer_b", "password": "wrong"})
    page = open_as(auditor)
    page.goto(f"{live_server.url}/audit/?event=login.failed")
    assert page.locator("h1").inner_text() == "安全审计"
    rows = page.locator("section[aria-labelledby=security-log] tbody tr").all_inner_texts()
    assert len(rows) == 1 and "officer_b" in rows[0]
    response = page.goto(f"{live_server.url}/manage/users/")
    assert response is not None and response.status in (403, 404)
    screenshot(page, "audit-admin")
