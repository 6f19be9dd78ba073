"""Dispatch pages in a real Chromium: the dispatcher's reminder on the dashboard, in Chinese and in English,
a reporting cycle form's errors beside their fields, and a correction to a closed period's report."""

import datetime as dt

import pytest

from zonedesk.core.audit import acting_as
from zonedesk.dispatch import services
from zonedesk.dispatch.models import Correction, ProgressReport

pytestmark = pytest.mark.browser


def test_dispatcher_reads_the_reminder_and_switches_to_english(dw, open_as, live_server, screenshot):
    dw.cycle_a.dispatchers.set([dw.w.officer_a])
    with acting_as(None, source="job", label="未报送提醒"):
        services.reminders_send(day=dt.date(2026, 11, 4), periods=[dw.oct_a])
    page = open_as(dw.w.officer_a, viewport=(1366, 900))
    page.goto(f"{live_server.url}/dispatch/?period=2026-10&zone={dw.w.zone_a.pk}")
    notice = page.locator("#notices li").first
    assert "长治高新区2026年10月：1个单位1个项目未报送" in notice.inner_text()
    screenshot(page, "dispatch-dashboard")
    page.click("#language-switch button")
    page.wait_for_selector('html[lang="en"]')
    assert page.locator("h1").inner_text() == "Dispatch dashboard · Oct 2026 · 长治高新区"
    assert "1 projects of 1 units have not reported" in page.locator("#notices li").first.inner_text()
    screenshot(page, "dispatch-dashboard-en")
    page.click("#notices button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#notices").count() == 0


def test_cycle_form_errors_and_a_correction(dw, open_as, live_server, screenshot):
    page = open_as(dw.w.officer_a, viewport=(1366, 900))
    page.goto(f"{live_server.url}/dispatch/cycles/new/?zone={dw.w.zone_a.pk}")
    page.fill("input[name=deadline_workdays]", "0")
    page.click("form.edit button[type=submit]")
    assert page.locator('p.error[data-field="name"]').inner_text() == "请填写名称"
    assert (
        page.locator('p.error[data-field="deadline_workdays"]').inner_text()
        == "报送时限（期末后第几个工作日）不能小于 1"
    )
    screenshot(page, "dispatch-cycle-form")

    page.goto(f"{live_server.url}/dispatch/periods/{dw.oct_a.pk}/")
    page.click("text=关闭本期（关闭后只能提交更正）")
    report = ProgressReport.objects.get(period=dw.oct_a, project=dw.p1)
    page.goto(f"{live_server.url}/dispatch/reports/{report.pk}/correct/")
    page.fill("input[name=investment_cumulative_wan]", "10500")
    page.fill("textarea[name=reason]", "漏报10月设备款500万元")
    page.click("form.edit button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dispatch/reports/{report.pk}/")
    assert Correction.objects.get().old_value == "10000.00"
    assert "漏报10月设备款500万元" in page.locator("table").last.inner_text()
    screenshot(page, "dispatch-correction")
