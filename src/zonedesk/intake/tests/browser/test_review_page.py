"""The review page on a phone (390 px wide), driven by the keyboard only."""

import pytest

from zonedesk.intake.models import Evidence
from zonedesk.intake.tests.conftest import TEXT
from zonedesk.projects.models import Project
from zonedesk.testing.browser import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_paste_review_and_confirm_with_the_keyboard_at_390px(django_db_setup, world, open_as, live_server):
    page = open_as(world.officer_a, viewport=(390, 844))
    page.goto(f"{live_server.url}/intake/")
    page.focus("#id_zone")
    page.select_option("#id_zone", str(world.zone_a.pk))
    page.focus("#id_text")
    page.keyboard.insert_text(TEXT)
    page.focus("#id_file")
    page.keyboard.press("Tab")  # to the submit button
    assert page.evaluate("document.activeElement.textContent") == "提取"
    page.keyboard.press("Enter")
    page.wait_for_selector("#cand-0")
    assert _no_sideways_scroll(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "intake-review-390.png"), full_page=True)
    # the evidence link moves focus to the marked sentence
    page.focus("#cand-1 .sentence a")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#ev-1"
    # confirm candidate 2 (no similar project: "new" is preselected) from its button
    page.focus("#cand-1 button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=原句已存为依据")
    assert _no_sideways_scroll(page)
    p = Project.objects.get()
    assert (p.name, str(p.total_investment_wan)) == ("生物医药产业园二期项目", "8000.00")
    assert (
        Evidence.objects.get().sentence
        == "另悉，长治高新区生物医药产业园二期项目已开工，项目总投资8000万元。"
    )
