"""The administration pages in a real Chromium: a zone administrator lists the zone's people, gives a
grant through the form, and is told beside the form when a scope goes beyond their zone."""

import shutil

import pytest

from zonedesk.access.models import Grant
from zonedesk.testing.factories import administrators

pytestmark = pytest.mark.browser


def keep(path, name):
    """Also under /tmp, where a reviewer looks at them."""
    shutil.copy(path, f"/tmp/{name}.png")


def test_zone_administrator_lists_people_and_grants_a_role(world, open_as, live_server, screenshot):
    admin = administrators(world)["zone_admin_a"]
    page = open_as(admin, viewport=(1366, 900))
    page.goto(f"{live_server.url}/manage/users/")
    assert page.locator("h1").inner_text() == "用户管理"
    assert page.locator("#user-count").inner_text() == "共 6 人"
    assert "兴县" not in page.locator("table").inner_text()
    keep(screenshot(page, "admin-users"), "admin-users")

    page.click("text=nogrant")
    page.click("text=新增授权")
    page.select_option("select[name=role]", label="部门干部")
    page.select_option("select[name=scope]", value="all")
    keep(screenshot(page, "admin-grant-form"), "admin-grant-form")
    page.click("form.edit button[type=submit]")
    assert (
        page.locator('p.error[data-field="scope"]').inner_text()
        == "只有管理全部单位的管理员才能授予“全部”数据范围"
    )
    keep(screenshot(page, "admin-grant-refused"), "admin-grant-refused")
    assert Grant.objects.filter(user=world.nogrant).count() == 0

    page.select_option("select[name=scope]", value="unit")
    page.click("form.edit button[type=submit]")
    page.wait_for_selector("#grants")
    assert "部门干部" in page.locator("#grants").inner_text()
    assert list(Grant.objects.filter(user=world.nogrant).values_list("role__code", "scope")) == [
        ("department_officer", "unit")
    ]
