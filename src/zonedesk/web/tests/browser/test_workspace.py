"""The workspace in a real Chromium: scope, ledger filters and search, the board's gate, the dashboard's charts."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from zonedesk.core.audit import acting_as
from zonedesk.projects import services
from zonedesk.projects.models import Project

pytestmark = pytest.mark.browser


@pytest.fixture
def projects(world):
    a = [
        world.project(
            name="年产10万吨碳化硅衬底项目",
            total_investment_wan=Decimal("120000"),
            pursuing_unit=world.centre_a.pk,
            responsible_officer=world.officer_a.pk,
        ),
        world.project(name="光伏组件项目", total_investment_wan=Decimal("8000"), progress_note="已签约"),
        world.project(name="生物医药研发中心", total_investment_wan=Decimal("3000")),
    ]
    b = [world.project(world.zone_b, name="兴县铝镁新材料项目", total_investment_wan=Decimal("50000"))]
    with acting_as(world.admin, source="test"):
        services.project_advance(
            user=world.admin, project=a[0], to_stage="negotiating", occurred_on=dt.date(2026, 1, 5)
        )
    return a, b


def ledger_names(page) -> list[str]:
    return page.locator("table.ledger tbody td:first-child a").all_inner_texts()


def test_users_of_sibling_zones_each_see_only_their_own_projects(world, projects, open_as, screenshot):
    page_a = open_as(world.officer_a)
    assert sorted(ledger_names(page_a)) == ["光伏组件项目", "年产10万吨碳化硅衬底项目", "生物医药研发中心"]
    screenshot(page_a, "ledger")
    page_b = open_as(world.officer_b)
    assert ledger_names(page_b) == ["兴县铝镁新材料项目"]
    page_b.goto(page_b.url.replace("/projects/", f"/projects/{projects[0][0].pk}/"))
    assert page_b.locator("h1").inner_text() != "年产10万吨碳化硅衬底项目"


def test_filter_and_search_the_ledger(world, projects, open_as):
    page = open_as(world.officer_a)
    page.fill("#q", "碳化硅")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=%E7%A2%B3%E5%8C%96%E7%A1%85"))
    assert ledger_names(page) == ["年产10万吨碳化硅衬底项目"]
    page.fill("#q", "")
    page.select_option("select[name=stage]", "reserve")
    page.click("#ledger-filters button[type=submit]")
    page.wait_for_url(re.compile(r"stage=reserve"))
    assert sorted(ledger_names(page)) == ["光伏组件项目", "生物医药研发中心"]
    assert page.locator("#total-count").inner_text() == "2"
    page.click("table.ledger thead >> text=总投资（万元）")
    page.wait_for_url(re.compile(r"sort=total_investment_wan"))
    assert ledger_names(page) == ["生物医药研发中心", "光伏组件项目"]


def test_dragging_a_card_runs_the_gate_then_moves_it_once_the_fields_are_filled(
    world, projects, open_as, screenshot
):
    project = projects[0][0]
    enterprise = world.enterprise(name="山西烁科晶体有限公司")
    with acting_as(world.admin, source="test"):
        services.project_update(
            user=world.admin, project=project, data={"investors": [enterprise.pk]}, expected_version=None
        )
    page = open_as(world.officer_a)
    page.goto(page.url.replace("/projects/", "/board/"))
    card = page.locator(f"#card-{project.pk}")
    page.drag_and_drop(f"#card-{project.pk}", 'section.column[data-stage="signed"]')
    dialog = page.locator("#gate-dialog")
    dialog.wait_for(state="visible")
    assert (
        page.locator("#gate-message").inner_text() == "不能进入“签约”阶段，缺少：协议类型、协议投资额（万元）"
    )
    assert page.locator("#gate-missing li").all_inner_texts() == ["协议类型", "协议投资额（万元）"]
    screenshot(page, "board-gate")
    assert Project.objects.get(pk=project.pk).stage == "negotiating"
    page.select_option('#gate-inputs select[name="agreement_type"]', "formal")
    page.fill('#gate-inputs input[name="agreement_amount_wan"]', "100000")
    page.click("#gate-submit")
    page.wait_for_selector(f'section.column[data-stage="signed"] #card-{project.pk}')
    assert card.get_attribute("data-stage") == "signed"
    moved = Project.objects.get(pk=project.pk)
    assert (moved.stage, moved.agreement_type, moved.agreement_amount_wan) == (
        "signed",
        "formal",
        Decimal("100000.00"),
    )
    assert "已推进到“签约”" in page.locator(".msg").inner_text()
    screenshot(page, "board")


def test_dashboard_charts_draw_and_link_to_the_filtered_ledger(world, projects, open_as, screenshot):
    page = open_as(world.officer_a)
    page.goto(page.url.replace("/projects/", "/dashboard/"))
    page.wait_for_function("document.body.dataset.chartsReady !== undefined")
    painted = page.evaluate("""() => Array.from(document.querySelectorAll('.chart canvas')).map(c => {
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let ink = 0; for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) ink++; }
        return ink; })""")
    assert len(painted) >= 3 and all(ink > 500 for ink in painted)
    screenshot(page, "dashboard")
    # Click the funnel's 储备 layer where ECharts drew it: the ledger opens filtered to those projects.
    box = page.evaluate("""() => {
        const node = document.getElementById('chart-funnel');
        const chart = echarts.getInstanceByDom(node);
        const r = chart.getModel().getSeriesByIndex(0).getData().getItemGraphicEl(0).getBoundingRect();
        return {x: r.x + r.width / 2, y: r.y + r.height / 2};
    }""")
    page.locator("#chart-funnel canvas").first.click(position=box)
    page.wait_for_url(re.compile(r"/projects/\?.*stage=reserve"))
    assert sorted(ledger_names(page)) == ["光伏组件项目", "生物医药研发中心"]
    assert page.locator("#total-count").inner_text() == "2"


def test_phone_width_ledger_and_project_page_are_readable(world, projects, open_as, screenshot):
    page = open_as(world.officer_a, viewport=(390, 844))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.click("text=年产10万吨碳化硅衬底项目")
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    screenshot(page, "project-phone")


def test_recording_a_follow_up_from_the_project_page_takes_two_clicks(world, projects, open_as, screenshot):
    project = projects[0][0]
    page = open_as(world.officer_a)
    page.goto(page.url.replace("/projects/", f"/projects/{project.pk}/"))
    screenshot(page, "project")
    if not page.evaluate("document.querySelector('#follow-ups details').open"):
        page.click("#follow-ups summary")
    page.fill("#follow-ups textarea[name=summary]", "走访企业，确认下周签约")
    page.click("#follow-ups button[type=submit]")
    page.wait_for_selector("text=已记录跟进")
    assert project.follow_ups.get().summary == "走访企业，确认下周签约"
