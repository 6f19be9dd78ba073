"""The pages under their Content-Security-Policy in a real Chromium: nothing refused, scripts still work."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from zonedesk.core.audit import acting_as
from zonedesk.projects import services
from zonedesk.projects.models import Project

pytestmark = pytest.mark.browser


@pytest.fixture
def projects(world):
    first = world.project(
        name="年产10万吨碳化硅衬底项目",
        total_investment_wan=Decimal("120000"),
        pursuing_unit=world.centre_a.pk,
        responsible_officer=world.officer_a.pk,
    )
    world.project(name="光伏组件项目", total_investment_wan=Decimal("8000"))
    return [first]


def _violations(page) -> list[str]:
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: seen.append(str(e)))
    return seen


def test_pages_and_charts_run_under_the_policy_with_no_violation(world, projects, open_as, screenshot):
    page = open_as(world.officer_a)
    seen = _violations(page)
    base = page.url.split("/projects/")[0]
    for path in [
        "/projects/",
        f"/projects/{projects[0].pk}/",
        "/board/",
        "/dashboard/",
        "/dispatch/",
        "/ledger-io/",
        "/intake/",
    ]:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    page.goto(base + "/dashboard/")
    page.wait_for_selector("canvas")
    box = page.locator("canvas").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.3)  # the funnel's tooltip
    screenshot(page, "dashboard-under-csp")
    assert seen == []


def test_zone_picker_still_submits_without_an_inline_handler(world, projects, open_as):
    page = open_as(world.admin)
    seen = _violations(page)
    page.goto(page.url.replace("/projects/", "/board/"))
    page.select_option("form.inline-filters select[name=zone][data-autosubmit]", str(world.zone_a.pk))
    page.wait_for_url(f"**/board/?zone={world.zone_a.pk}*")
    assert seen == []


def test_board_move_of_a_card_someone_changed_meanwhile_is_refused_and_says_so(
    world, projects, open_as, screenshot
):
    project = projects[0]
    page = open_as(world.officer_a)
    page.goto(page.url.replace("/projects/", "/board/"))
    # Another user saves the project after the board was drawn.
    with acting_as(world.admin, source="test"):
        services.project_update(
            user=world.admin,
            project=project,
            data={"leader_name": "王主任"},
            expected_version=project.version,
        )
    page.locator(f"#card-{project.pk} .move-next").click()
    status = page.locator("#board-status")
    # (a string predicate would need eval, which the policy forbids: a locator assertion instead)
    expect(status).to_have_text("该项目已被他人修改，请刷新后重试（您读取的是第 1 版，当前为第 2 版）")
    expect(page.locator("#gate-dialog")).not_to_be_visible()
    screenshot(page, "board-stale")
    project.refresh_from_db()
    assert (project.stage, project.version) == ("reserve", 2)
    assert Project.objects.get(pk=project.pk).leader_name == "王主任"
