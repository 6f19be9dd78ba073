"""Reminders of missing reports: due on the working day before the deadline and every working day after it
(Chinese calendar: 2026-11-04 is the October period's deadline, 3 working days after 10-31), one per
period, dispatcher and day, in the dispatcher's scope, as a dashboard notice and a mail."""

import datetime as dt

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from zonedesk.core.audit import acting_as
from zonedesk.dispatch import services as s
from zonedesk.dispatch.models import MissingReportNotice, ReportingPeriod
from zonedesk.testing.world import PASSWORD

D = dt.date


def body(period_id: int, *, day: str, phrase: str) -> str:
    return (
        "officer_a：\n\n"
        "长治高新区“高新区月调度”2026年10月（2026年10月1日至2026年10月31日）的进展报送截止日期为2026年11月4日，"
        f"{phrase}。截至{day}，以下1个单位共1个项目尚未报送：\n\n"
        "1. 生物医药招商中心：应报2个，已报1个，未报1个——乙项目\n\n"
        f"请督促以上单位尽快报送。报送情况：/dispatch/periods/{period_id}/"
    )


@pytest.fixture
def dispatcher(dw):
    officer = dw.w.officer_a
    officer.email = "officer_a@gaoxin.example.cn"
    officer.save(update_fields=["email"])
    dw.cycle_a.dispatchers.set([officer])
    return officer


def remind(day, periods=None):
    with acting_as(None, source="job", label="未报送提醒"):
        return s.reminders_send(
            day=day, periods=periods if periods is not None else ReportingPeriod.objects.all()
        )


def test_reminder_on_the_working_day_before_the_deadline_lists_units_and_projects(dw, dispatcher):
    outcomes = remind(D(2026, 11, 3), [dw.oct_a])
    assert [(o.period, o.recipient, o.status) for o in outcomes] == [(dw.oct_a, dispatcher, "sent")]
    notice = MissingReportNotice.objects.get()
    assert notice.subject == "【调度提醒】长治高新区2026年10月：1个单位1个项目未报送"
    assert notice.body == body(dw.oct_a.pk, day="2026年11月3日", phrase="还有1个工作日截止")
    assert notice.missing == [
        {
            "unit": "生物医药招商中心",
            "unit_id": dw.w.centre_a.pk,
            "expected": 2,
            "reported": 1,
            "missing": [{"id": dw.p2.pk, "name": "乙项目"}],
        }
    ]
    assert (notice.missing_units, notice.missing_projects, notice.sent_on) == (1, 1, D(2026, 11, 3))
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [
        (notice.subject, notice.body, ["officer_a@gaoxin.example.cn"])
    ]
    assert notice.emailed_at is not None and notice.email_error == ""


def test_running_again_the_same_day_sends_nothing_and_the_next_working_day_sends_again(dw, dispatcher):
    remind(D(2026, 11, 5), [dw.oct_a])
    again = remind(D(2026, 11, 5), [dw.oct_a])
    assert [o.status for o in again] == ["already_sent"]
    assert len(mail.outbox) == 1
    assert remind(D(2026, 11, 7), [dw.oct_a]) == []  # Saturday: no reminders on a day off
    later = remind(D(2026, 11, 9), [dw.oct_a])
    assert [o.status for o in later] == ["sent"]
    assert later[0].notice.body == body(dw.oct_a.pk, day="2026年11月9日", phrase="已逾期3个工作日")
    assert MissingReportNotice.objects.count() == 2 and len(mail.outbox) == 2


def test_no_reminder_before_it_is_due_nor_for_a_closed_or_complete_period(dw, dispatcher):
    assert remind(D(2026, 11, 2), [dw.oct_a]) == []  # two working days before the deadline
    with acting_as(dw.w.admin, source="test"):
        s.report_submit(
            user=dw.w.admin,
            period=dw.oct_a,
            project=dw.p2,
            data={"investment_period_wan": 100, "investment_cumulative_wan": 100},
        )
    assert [o.status for o in remind(D(2026, 11, 4), [dw.oct_a])] == ["complete"]
    with acting_as(dw.w.admin, source="test"):
        s.period_close(user=dw.w.admin, period=dw.oct_a)
    assert remind(D(2026, 11, 5), [ReportingPeriod.objects.get(pk=dw.oct_a.pk)]) == []
    assert MissingReportNotice.objects.count() == 0 and mail.outbox == []


def test_a_dispatcher_outside_the_zone_gets_nothing_and_a_cycle_without_dispatchers_is_reported(
    dw, dispatcher
):
    dw.cycle_a.dispatchers.add(dw.w.officer_b)
    outcomes = remind(D(2026, 11, 4), [dw.oct_a, dw.oct_b])
    assert [(o.period, o.recipient, o.status) for o in outcomes] == [
        (dw.oct_a, dispatcher, "sent"),
        (dw.oct_a, dw.w.officer_b, "no_access"),
        (dw.oct_b, None, "no_dispatchers"),
    ]
    assert list(MissingReportNotice.objects.values_list("recipient__username", flat=True)) == ["officer_a"]
    assert "今天截止" in mail.outbox[0].body


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP 服务器拒绝连接")


def test_a_failed_mail_is_recorded_and_the_notice_stays(dw, dispatcher, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    remind(D(2026, 11, 4), [dw.oct_a])
    notice = MissingReportNotice.objects.get()
    assert (notice.emailed_at, notice.email_error) == (None, "ConnectionRefusedError: SMTP 服务器拒绝连接")


def test_dashboard_shows_my_reminders_and_marks_them_read(dw, dispatcher, client):
    remind(D(2026, 11, 4), [dw.oct_a])
    notice = MissingReportNotice.objects.get()
    assert client.login(username="officer_a", password=PASSWORD)
    html = client.get("/dispatch/", {"period": "2026-10"}).content.decode()
    summary = "长治高新区2026年10月：1个单位1个项目未报送"
    assert summary in html and f'action="/dispatch/notices/{notice.pk}/read/"' in html
    assert client.post(f"/dispatch/notices/{notice.pk}/read/").status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert summary not in client.get("/dispatch/", {"period": "2026-10"}).content.decode()
    client.logout()
    assert client.login(username="centre", password=PASSWORD)
    assert client.post(f"/dispatch/notices/{notice.pk}/read/").status_code == 404  # not addressed to them


def test_cli_remind_is_safe_to_run_again(dw, dispatcher, capsys):
    from zonedesk.cli import main

    assert main(["dispatch", "remind", "--date", "2026-11-04"]) == 0
    first = capsys.readouterr().out.splitlines()
    assert first == [
        "长治高新区 2026年9月 → officer_a：已发送提醒（1个单位1个项目未报送，邮件 officer_a@gaoxin.example.cn）",
        "长治高新区 2026年10月 → officer_a：已发送提醒（1个单位1个项目未报送，邮件 officer_a@gaoxin.example.cn）",
        "兴县经开区 2026年10月：未设置调度员，无人接收",
        "共发送 2 条提醒",
    ]
    assert main(["dispatch", "remind", "--date", "2026-11-04", "--period", "2026-10"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "长治高新区 2026年10月 → officer_a：今天已发送过，跳过",
        "兴县经开区 2026年10月：未设置调度员，无人接收",
        "共发送 0 条提醒",
    ]
    assert main(["dispatch", "remind", "--date", "2026-10-03"]) == 0
    assert capsys.readouterr().out == "2026-10-03 不是工作日（中国工作日历），不发送提醒\n"
    assert main(["dispatch", "remind", "--date", "2026-13-01"]) == 2
    assert "日期格式应为 YYYY-MM-DD" in capsys.readouterr().err
    assert len(mail.outbox) == 2
