"""Pages for what was only possible through the API: reporting cycles, opening and closing periods, and
corrections to the reports of a closed period."""

import datetime as dt
from decimal import Decimal

from zonedesk.core.models import ObjectChange
from zonedesk.dispatch.models import Correction, ProgressReport, ReportingCycle, ReportingPeriod
from zonedesk.testing.world import PASSWORD


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def cycle_post(dw, **over):
    data = {
        "zone": dw.w.zone_a.pk,
        "name": "高新区周调度",
        "frequency": "weekly",
        "deadline_workdays": "2",
        "units": [dw.w.centre_a.pk],
        "reporting_stages": ["signed", "started"],
        "dispatchers": [dw.w.officer_a.pk],
        "is_active": "on",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_create_a_cycle_with_units_stages_and_dispatchers(dw, client):
    login(client, dw.w.officer_a)
    page = client.get("/dispatch/cycles/new/", {"zone": dw.w.zone_a.pk}).content.decode()
    assert 'name="reporting_stages"' in page and "生物医药招商中心" in page and "兴县招商中心" not in page
    r = client.post("/dispatch/cycles/new/", cycle_post(dw))
    assert r.status_code == 302 and r["Location"] == f"/dispatch/cycles/?zone={dw.w.zone_a.pk}"
    cycle = ReportingCycle.objects.get(name="高新区周调度")
    assert (
        cycle.zone,
        cycle.frequency,
        cycle.deadline_workdays,
        cycle.reporting_stages,
        cycle.is_active,
    ) == (dw.w.zone_a, "weekly", 2, ["signed", "started"], True)
    assert list(cycle.units.all()) == [dw.w.centre_a] and list(cycle.dispatchers.all()) == [dw.w.officer_a]
    change = ObjectChange.objects.get(object_id=cycle.pk, content_type__model="reportingcycle")
    assert (change.action, change.user, change.source) == ("create", dw.w.officer_a, "web")
    assert change.state_after()["dispatchers"] == [dw.w.officer_a.pk] and change.state_after()["units"] == [
        dw.w.centre_a.pk
    ]
    html = client.get("/dispatch/cycles/", {"zone": dw.w.zone_a.pk}).content.decode()
    assert "高新区周调度" in html and "期末后第 2 个工作日" in html


def test_cycle_form_errors_are_chinese_and_beside_their_fields(dw, client):
    login(client, dw.w.officer_a)
    r = client.post(
        "/dispatch/cycles/new/",
        cycle_post(dw, name="", zone=None, reporting_stages=None, deadline_workdays="0"),
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert '<p class="error" data-field="name">请填写名称</p>' in html
    assert '<p class="error" data-field="zone">请填写开发区</p>' in html
    assert '<p class="error" data-field="reporting_stages">请填写须报送的项目阶段</p>' in html
    assert (
        '<p class="error" data-field="deadline_workdays">报送时限（期末后第几个工作日）不能小于 1</p>' in html
    )
    assert ReportingCycle.objects.count() == 2  # the fixture's two, nothing new


def test_units_of_another_zone_and_blind_dispatchers_are_refused_by_the_service(dw, client):
    login(client, dw.w.admin)
    r = client.post("/dispatch/cycles/new/", cycle_post(dw, units=[dw.w.centre_b.pk]))
    assert r.status_code == 422
    assert '<p class="error" data-field="units">报送单位不存在或不属于该开发区</p>' in r.content.decode()
    r = client.post("/dispatch/cycles/new/", cycle_post(dw, dispatchers=[dw.w.officer_b.pk]))
    assert (
        '<p class="error" data-field="dispatchers">“officer_b”无权查看该开发区的调度记录</p>'
        in r.content.decode()
    )
    assert ReportingCycle.objects.count() == 2


def test_edit_a_cycle_and_its_history_names_the_change(dw, client):
    login(client, dw.w.officer_a)
    page = client.get(f"/dispatch/cycles/{dw.cycle_a.pk}/edit/").content.decode()
    assert 'value="高新区月调度"' in page
    r = client.post(
        f"/dispatch/cycles/{dw.cycle_a.pk}/edit/",
        cycle_post(dw, name="高新区重点项目月调度", frequency="monthly", deadline_workdays="5"),
    )
    assert r.status_code == 302
    dw.cycle_a.refresh_from_db()
    assert (dw.cycle_a.name, dw.cycle_a.deadline_workdays) == ("高新区重点项目月调度", 5)
    assert list(dw.cycle_a.dispatchers.all()) == [dw.w.officer_a]
    change = ObjectChange.objects.filter(
        object_id=dw.cycle_a.pk, content_type__model="reportingcycle", action="update"
    ).get()
    assert change.changes == {
        "name": ["高新区月调度", "高新区重点项目月调度"],
        "deadline_workdays": [3, 5],
        "reporting_stages": [["signed", "landed", "land_supplied", "started"], ["signed", "started"]],
        "dispatchers": [[], [dw.w.officer_a.pk]],
    }
    r = client.post(f"/dispatch/cycles/{dw.cycle_a.pk}/edit/", cycle_post(dw, frequency="weekly"))
    assert '<p class="error" data-field="frequency">已有期次，不能更改频次</p>' in r.content.decode()


def test_a_sibling_zone_cannot_see_or_edit_the_cycle(dw, client):
    login(client, dw.w.officer_b)
    assert client.get(f"/dispatch/cycles/{dw.cycle_a.pk}/edit/").status_code == 404
    assert client.post(f"/dispatch/cycles/{dw.cycle_a.pk}/open/", {"day": "2026-11-15"}).status_code == 404
    assert "高新区月调度" not in client.get("/dispatch/cycles/").content.decode()


def test_open_a_period_from_the_cycles_page_with_the_chinese_calendar_deadline(dw, client):
    login(client, dw.w.officer_a)
    r = client.post(f"/dispatch/cycles/{dw.cycle_a.pk}/open/", {"day": "2026-11-15"})
    period = ReportingPeriod.objects.get(cycle=dw.cycle_a, start=dt.date(2026, 11, 1))
    assert r.status_code == 302 and r["Location"] == f"/dispatch/periods/{period.pk}/"
    assert (period.label, period.end, period.deadline) == (
        "2026年11月",
        dt.date(2026, 11, 30),
        dt.date(2026, 12, 3),
    )
    r = client.post(f"/dispatch/cycles/{dw.cycle_a.pk}/open/", {"day": "2026-11-31"}, follow=True)
    assert "开启期次：期内任一日期格式不正确" in r.content.decode()
    assert ReportingPeriod.objects.filter(cycle=dw.cycle_a).count() == 3  # September, October, November


def _oct_report(dw):
    return ProgressReport.objects.get(period=dw.oct_a, project=dw.p1)


def test_close_the_period_then_correct_a_report_the_original_stays(dw, client):
    login(client, dw.w.officer_a)
    assert client.post(f"/dispatch/periods/{dw.oct_a.pk}/close/").status_code == 302
    report = _oct_report(dw)
    page = client.get(f"/dispatch/reports/{report.pk}/correct/").content.decode()
    assert 'name="investment_cumulative_wan" value="10000.00"' in page
    r = client.post(
        f"/dispatch/reports/{report.pk}/correct/",
        {
            "investment_period_wan": "1500.00",
            "investment_cumulative_wan": "10500",
            "funds_in_place_wan": "15000.00",
            "physical_progress": "主体结构完成80%",
            "problems": "电力接入待协调",
            "next_steps": "11月完成封顶",
            "reason": "漏报10月设备款500万元",
        },
    )
    assert r.status_code == 302 and r["Location"] == f"/dispatch/reports/{report.pk}/"
    correction = Correction.objects.get()
    assert (
        correction.field,
        correction.old_value,
        correction.new_value,
        correction.reason,
        correction.corrected_by,
    ) == ("investment_cumulative_wan", "10000.00", "10500.00", "漏报10月设备款500万元", dw.w.officer_a)
    report.refresh_from_db()
    assert report.investment_cumulative_wan == Decimal("10500.00")
    html = client.get(f"/dispatch/reports/{report.pk}/").content.decode()
    assert (
        "<td>本年累计完成投资（万元）</td><td>10000.00</td><td>10500.00</td><td>漏报10月设备款500万元</td>"
        in html
    )


def test_correction_errors_are_beside_their_fields_and_change_nothing(dw, client):
    login(client, dw.w.officer_a)
    client.post(f"/dispatch/periods/{dw.oct_a.pk}/close/")
    report = _oct_report(dw)
    url = f"/dispatch/reports/{report.pk}/correct/"
    same = {
        "investment_period_wan": "1500.00",
        "investment_cumulative_wan": "10000.00",
        "funds_in_place_wan": "15000.00",
        "physical_progress": "主体结构完成80%",
        "problems": "电力接入待协调",
        "next_steps": "11月完成封顶",
    }
    r = client.post(url, {**same, "investment_cumulative_wan": "1万"})
    assert r.status_code == 422
    html = r.content.decode()
    assert '<p class="error" data-field="reason">请填写更正原因：更正须说明原因</p>' in html
    r = client.post(url, {**same, "investment_cumulative_wan": "1万", "reason": "核对"})
    assert (
        '<p class="error" data-field="investment_cumulative_wan">本年累计完成投资应为数字（万元）：1万</p>'
        in r.content.decode()
    )
    r = client.post(url, {**same, "investment_cumulative_wan": "100", "reason": "核对"})
    assert (
        '<p class="error" data-field="investment_cumulative_wan">本年累计（100.00）小于本期（1500.00）</p>'
        in r.content.decode()
    )
    r = client.post(url, {**same, "reason": "核对"})
    assert "有 1 处需要修改，见下方红字。<p>更正值与原值相同</p>" in r.content.decode()
    assert Correction.objects.count() == 0
    report.refresh_from_db()
    assert report.investment_cumulative_wan == Decimal("10000.00")


def test_an_open_period_is_corrected_by_reporting_again_and_a_reader_cannot_correct(dw, client):
    login(client, dw.w.officer_a)
    report = _oct_report(dw)
    r = client.get(f"/dispatch/reports/{report.pk}/correct/")
    assert r.status_code == 302 and r["Location"] == f"/dispatch/periods/{dw.oct_a.pk}/"
    client.post(f"/dispatch/periods/{dw.oct_a.pk}/close/")
    client.logout()
    login(client, dw.w.city_officer)  # a city bureau officer reads the zone's reports, may not change them
    r = client.post(
        f"/dispatch/reports/{report.pk}/correct/",
        {"investment_cumulative_wan": "10500", "investment_period_wan": "1500", "reason": "核对"},
    )
    assert r.status_code == 422 and "您无权在该范围内修改项目进展报告" in r.content.decode()
    assert Correction.objects.count() == 0
    client.logout()
    login(client, dw.w.officer_b)
    assert client.get(f"/dispatch/reports/{report.pk}/").status_code == 404
