"""The language switch in a real Chromium: one click to English on the ledger, one click back, same view."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.browser


def test_switching_the_ledger_to_english_and_back_keeps_the_filtered_view(world, open_as, screenshot):
    world.project(name="年产10万吨碳化硅衬底项目", total_investment_wan=Decimal("120000"))
    world.project(
        name="光伏组件项目",
        total_investment_wan=Decimal("8000"),
        status="behind",
        status_reason="企业资金未到位",
        status_date="2026-02-01",
    )
    page = open_as(world.officer_a)  # Chromium asks for zh-CN; the default is Chinese anyway
    view = page.url + "?stage=reserve&sort=-total_investment_wan"
    page.goto(view)
    assert page.locator("h1").inner_text() == "项目台账"

    page.click("#language-switch button")
    page.wait_for_selector('html[lang="en"]')
    assert page.url == view
    assert page.locator("h1").inner_text() == "Ledger"
    headers = page.locator("table.ledger thead th").all_inner_texts()
    assert headers[:4] == ["Project name", "Zone", "Investors", "Stage"]
    names = page.locator("table.ledger tbody td:first-child a").all_inner_texts()
    assert names == ["年产10万吨碳化硅衬底项目", "光伏组件项目"]  # user data stays as entered
    totals = page.locator("p.totals").inner_text()
    assert totals == "2 projects, total investment 128,000 × 10k CNY (12.80 × 100M CNY)"
    assert page.locator("#language-switch button").inner_text() == "中文"
    screenshot(page, "ledger-en")

    page.click("#language-switch button")
    page.wait_for_selector('html[lang="zh-Hans"]')
    assert page.url == view
    assert page.locator("h1").inner_text() == "项目台账"
    assert page.locator("#language-switch button").inner_text() == "English"
