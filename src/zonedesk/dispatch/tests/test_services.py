import datetime as dt
from decimal import Decimal

import pytest

from zonedesk.core.audit import acting_as
from zonedesk.core.errors import NotPermitted, ValidationFailed
from zonedesk.core.models import ObjectChange
from zonedesk.dispatch import calendar as workcal
from zonedesk.dispatch import services as s
from zonedesk.dispatch.models import Correction, ProgressReport
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
        ("生物医药招商中心", 2, 1, ["乙项目"])]


def test_closed_period_refuses_reports_and_corrections_are_recorded(dw):
    w = dw.w
    report = ProgressReport.objects.get(period=dw.oct_a, project=dw.p1)
    with acting_as(w.officer_a, source="test"):
        s.period_close(user=w.officer_a, period=dw.oct_a)
        with pytest.raises(ValidationFailed) as exc:
            s.report_submit(user=w.officer_a, period=dw.oct_a, project=dw.p1,
                            data={"investment_period_wan": 1, "investment_cumulative_wan": 1})
        assert exc.value.code == "period_closed"
        s.report_correct(user=w.officer_a, report=report, data={"investment_cumulative_wan": "10500"},
                         reason="统计口径调整，补录设备款")
    report.refresh_from_db()
    assert report.investment_cumulative_wan == Decimal("10500.00")
    c = Correction.objects.get(report=report)
    assert (c.field, c.old_value, c.new_value, c.corrected_by) == (
        "investment_cumulative_wan", "10000.00", "10500.00", w.officer_a)
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
            s.report_submit(user=dw.w.officer_a, period=dw.oct_a, project=dw.p2,
                            data={"investment_period_wan": "500", "investment_cumulative_wan": "100"})
        assert list(exc.value.fields) == ["investment_cumulative_wan"]
        with pytest.raises(ValidationFailed) as exc:
            s.report_submit(user=dw.w.officer_a, period=dw.oct_a, project=dw.p2,
                            data={"investment_period_wan": "五百", "investment_cumulative_wan": "100"})
        assert exc.value.fields == {"investment_period_wan": ["本期完成投资应为数字（万元）：五百"]}
    assert not ProgressReport.objects.filter(project=dw.p2).exists()


def test_sibling_zone_officer_cannot_report_for_other_zone(dw):
    with acting_as(dw.w.officer_b, source="test"):
        with pytest.raises(NotPermitted):
            s.report_submit(user=dw.w.officer_b, period=dw.oct_a, project=dw.p2,
                            data={"investment_period_wan": 1, "investment_cumulative_wan": 1})
    assert not ProgressReport.objects.filter(project=dw.p2).exists()


def test_city_officer_may_read_but_not_file_reports(dw):
    with acting_as(dw.w.city_officer, source="test"):
        with pytest.raises(NotPermitted):
            s.report_submit(user=dw.w.city_officer, period=dw.oct_a, project=dw.p2,
                            data={"investment_period_wan": 1, "investment_cumulative_wan": 1})


def test_issue_close_requires_resolution(dw):
    with acting_as(dw.w.officer_a, source="test"):
        with pytest.raises(ValidationFailed) as exc:
            s.issue_update(user=dw.w.officer_a, issue=dw.issues[1], data={"closed_on": D(2026, 10, 30)})
        assert exc.value.fields == {"resolution": ["办结时须填写办理结果"]}
