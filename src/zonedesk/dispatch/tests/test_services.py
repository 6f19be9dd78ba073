import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from zonedesk.core.audit import acting_as
from zonedesk.core.errors import NotPermitted, ValidationFailed
from zonedesk.core.models import ObjectChange
from zonedesk.dispatch import calendar as workcal
from zonedesk.dispatch import services as s
from zonedesk.dispatch.models import Correction, ProgressReport, ReportingPeriod
from zonedesk.dispatch.selectors import reporting_status

D = dt.date


def test_deadline_follows_chinese_holidays_and_adjusted_workdays():
    # National Day 2026: 1–7 October off; Saturday 10 October is a 调休 working day.
    assert workcal.nth_workday_after(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert workcal.nth_workday_after(D(2026, 10, 9), 1) == D(2026, 10, 10)
    assert workcal.nth_workday_after(D(2026, 10, 31), 3) == D(2026, 11, 4)
    assert workcal.known(D(2026, 12, 31))


def test_period_deadline_is_third_working_day(dw):
    assert (dw.oct_a.label, dw.oct_a.deadline) == ("2026年10月", D(2026, 11, 4))


def test_missing_list_names_unit_and_project(dw):
    rows = reporting_status(dw.w.admin, dw.oct_a)
    assert [(r.unit.name, r.expected, r.reported, [p.name for p in r.missing]) for r in rows] == [
        ("生物医药招商中心", 2, 1, ["乙项目"])
    ]


def test_closed_period_refuses_reports_and_corrections_are_recorded(dw):
    w = dw.w
    report = ProgressReport.objects.get(period=dw.oct_a, project=dw.p1)
    with acting_as(w.officer_a, source="test"):
        s.period_close(user=w.officer_a, period=dw.oct_a)
        with pytest.raises(ValidationFailed) as exc:
            s.report_submit(
                user=w.officer_a,
                period=dw.oct_a,
                project=dw.p1,
                data={"investment_period_wan": 1, "investment_cumulative_wan": 1},
            )
        assert exc.value.code == "period_closed"
        s.report_correct(
            user=w.officer_a,
            report=report,
            data={"investment_cumulative_wan": "10500"},
            reason="统计口径调整，补录设备款",
        )
    report.refresh_from_db()
    assert report.investment_cumulative_wan == Decimal("10500.00")
    c = Correction.objects.get(report=report)
    assert (c.field, c.old_value, c.new_value, c.corrected_by) == (
        "investment_cumulative_wan",
        "10000.00",
        "10500.00",
        w.officer_a,
    )
    assert ObjectChange.objects.filter(object_id=report.pk, note__startswith="更正").count() == 1


def test_correction_needs_a_reason_and_a_closed_period(dw):
    report = ProgressReport.objects.get(period=dw.oct_a, project=dw.p1)
    with acting_as(dw.w.officer_a, source="test"):
        with pytest.raises(ValidationFailed) as exc:
            s.report_correct(user=dw.w.officer_a, report=report, data={"problems": "x"}, reason="理由")
        assert exc.value.fields == {"period": ["期次未关闭"]}
        with pytest.raises(ValidationFailed):
            s.report_correct(user=dw.w.officer_a, report=report, data={"problems": "x"}, reason=" ")


def test_report_rejects_cumulative_below_period_and_bad_numbers(dw):
    with acting_as(dw.w.officer_a, source="test"):
        with pytest.raises(ValidationFailed) as exc:
            s.report_submit(
                user=dw.w.officer_a,
                period=dw.oct_a,
                project=dw.p2,
                data={"investment_period_wan": "500", "investment_cumulative_wan": "100"},
            )
        assert list(exc.value.fields) == ["investment_cumulative_wan"]
        with pytest.raises(ValidationFailed) as exc:
            s.report_submit(
                user=dw.w.officer_a,
                period=dw.oct_a,
                project=dw.p2,
                data={"investment_period_wan": "五百", "investment_cumulative_wan": "100"},
            )
        assert exc.value.fields == {"investment_period_wan": ["本期完成投资应为数字（万元）：五百"]}
        for bad in (
            "NaN",
            "Infinity",
            "1e40",
        ):  # once a 500: NaN < 0 and the quantize raised outside the check
            with pytest.raises(ValidationFailed) as exc:
                s.report_submit(
                    user=dw.w.officer_a,
                    period=dw.oct_a,
                    project=dw.p2,
                    data={"investment_period_wan": bad, "investment_cumulative_wan": "100"},
                )
            assert exc.value.fields == {"investment_period_wan": [f"本期完成投资应为数字（万元）：{bad}"]}
    assert not ProgressReport.objects.filter(project=dw.p2).exists()


def test_sibling_zone_officer_cannot_report_for_other_zone(dw):
    with acting_as(dw.w.officer_b, source="test"), pytest.raises(NotPermitted):
        s.report_submit(
            user=dw.w.officer_b,
            period=dw.oct_a,
            project=dw.p2,
            data={"investment_period_wan": 1, "investment_cumulative_wan": 1},
        )
    assert not ProgressReport.objects.filter(project=dw.p2).exists()


def test_city_officer_may_read_but_not_file_reports(dw):
    with acting_as(dw.w.city_officer, source="test"), pytest.raises(NotPermitted):
        s.report_submit(
            user=dw.w.city_officer,
            period=dw.oct_a,
            project=dw.p2,
            data={"investment_period_wan": 1, "investment_cumulative_wan": 1},
        )


def test_issue_close_requires_resolution(dw):
    with acting_as(dw.w.officer_a, source="test"):
        with pytest.raises(ValidationFailed) as exc:
            s.issue_update(user=dw.w.officer_a, issue=dw.issues[1], data={"closed_on": D(2026, 10, 30)})
        assert exc.value.fields == {"resolution": ["办结时须填写办理结果"]}


# ---------------------------------------------------------------------------- lateness
CST = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC


def test_local_day_is_the_day_in_beijing_not_on_the_server_clock():
    assert workcal.local_day(dt.datetime(2026, 10, 31, 17, 0, tzinfo=UTC)) == D(2026, 11, 1)  # 01:00, Beijing
    assert workcal.local_day(dt.datetime(2026, 10, 31, 23, 59)) == D(2026, 10, 31)  # naive: already local
    assert workcal.local_day(D(2026, 10, 31)) == D(2026, 10, 31)


@pytest.mark.parametrize(
    "filed, late",
    [
        (
            dt.datetime(2026, 10, 9, 17, 0, tzinfo=CST),
            False,
        ),  # Friday, the last day of the holiday week's work
        (
            dt.datetime(2026, 10, 10, 23, 59, tzinfo=CST),
            False,
        ),  # the deadline: the 调休 Saturday, late at night
        (
            dt.datetime(2026, 10, 10, 16, 30, tzinfo=UTC),
            True,
        ),  # 00:30 Sunday in Beijing, still the 10th in UTC
        (dt.datetime(2026, 10, 12, 9, 0, tzinfo=CST), True),
    ],
)
def test_report_is_late_by_the_filing_time_given_on_the_beijing_day(dw, filed, late):
    september = ReportingPeriod.objects.get(cycle=dw.cycle_a, label="2026年9月")
    # 3rd working day after 09-30: 10-01…07 are National Day, 10-08 and 10-09 work, Saturday 10-10 is a
    # 调休 working day (a Monday–Friday count would say 10-05, inside the holiday).
    assert september.deadline == D(2026, 10, 10)
    with acting_as(dw.w.officer_a, source="test"):
        report = s.report_submit(
            user=dw.w.officer_a,
            period=september,
            project=dw.p2,
            at=filed,
            data={"investment_period_wan": 500, "investment_cumulative_wan": 500},
        )
    report.refresh_from_db()
    assert (report.is_late, report.submitted_at, september.is_late_at(filed)) == (late, filed, late)
    # The period's list (pages, API, bulletin) counts the stored flag: 甲 filed on 10-09, 乙 now.
    rows = reporting_status(dw.w.admin, september)
    assert [(r.expected, r.reported, r.late) for r in rows] == [(2, 2, int(late))]


def test_refiling_after_the_deadline_makes_the_report_late_and_the_period_page_says_so(dw, client):
    from zonedesk.testing.world import PASSWORD

    september = ReportingPeriod.objects.get(cycle=dw.cycle_a, label="2026年9月")
    data = {"investment_period_wan": 500, "investment_cumulative_wan": 500}
    with acting_as(dw.w.officer_a, source="test"):
        first = s.report_submit(
            user=dw.w.officer_a,
            period=september,
            project=dw.p2,
            data=data,
            at=dt.datetime(2026, 10, 10, 18, 0, tzinfo=CST),
        )
        again = s.report_submit(
            user=dw.w.officer_a,
            period=september,
            project=dw.p2,
            data=data,
            at=dt.datetime(2026, 10, 11, 8, 0, tzinfo=CST),
        )
    assert (first.pk, first.is_late, again.is_late) == (again.pk, False, True)
    assert client.login(username=dw.w.officer_a.username, password=PASSWORD)
    html = client.get(f"/dispatch/periods/{september.pk}/").content.decode()
    assert html.count('<span class="status behind">逾期</span>') == 1  # 乙's, not 甲's (filed 10-09)


def test_weekly_deadline_before_mid_autumn_is_missed_by_a_report_filed_in_the_holiday(dw):
    with acting_as(dw.w.admin, source="test"):
        cycle = s.cycle_create(
            user=dw.w.admin,
            zone=dw.w.zone_a,
            name="高新区周调度",
            frequency="weekly",
            deadline_workdays=4,
            units=[dw.w.centre_a],
        )
        week = s.period_open(user=dw.w.admin, cycle=cycle, day=D(2026, 9, 16))
        # 09-20 (Sunday) is a 调休 working day but inside the week; 09-21…24 are the four working days after
        # it; 09-25…27 are the Mid-Autumn holiday.
        assert (week.label, week.start, week.end, week.deadline) == (
            "2026年第38周",
            D(2026, 9, 14),
            D(2026, 9, 20),
            D(2026, 9, 24),
        )
        data = {"investment_period_wan": 100, "investment_cumulative_wan": 8100}
        on_time = s.report_submit(
            user=dw.w.admin,
            period=week,
            project=dw.p1,
            data=data,
            at=dt.datetime(2026, 9, 24, 21, 0, tzinfo=CST),
        )
        in_holiday = s.report_submit(
            user=dw.w.admin,
            period=week,
            project=dw.p2,
            data=data,
            at=dt.datetime(2026, 9, 26, 10, 0, tzinfo=CST),
        )
    assert (on_time.is_late, in_holiday.is_late) == (False, True)
    assert [(r.reported, r.late) for r in reporting_status(dw.w.admin, week)] == [(2, 1)]
