"""Bulletins and reminders log one structured record each (logger "zonedesk.dispatch", fields in
``extra``), for the JSON formatter to write out."""

import datetime as dt
import logging

import pytest

from zonedesk.core.audit import acting_as
from zonedesk.dispatch import services as s
from zonedesk.dispatch.bulletin import build_bulletin_data
from zonedesk.dispatch.periods import Window

D = dt.date


@pytest.fixture
def dispatcher(dw):
    officer = dw.w.officer_a
    officer.email = "officer_a@gaoxin.example.cn"
    officer.save(update_fields=["email"])
    dw.cycle_a.dispatchers.set([officer])
    return officer


def _events(caplog, name):
    return [r for r in caplog.records if r.name == "zonedesk.dispatch" and getattr(r, "event", None) == name]


def test_a_sent_reminder_logs_its_zone_period_and_counts(dw, dispatcher, caplog):
    caplog.set_level(logging.INFO, logger="zonedesk.dispatch")
    with acting_as(None, source="job", label="未报送提醒"):
        s.reminders_send(day=D(2026, 11, 3), periods=[dw.oct_a])
    (sent,) = _events(caplog, "reminder.sent")
    assert sent.getMessage() == "reminder.sent" and sent.levelno == logging.INFO
    assert (
        sent.zone,
        sent.period,
        sent.period_id,
        sent.recipient,
        sent.units,
        sent.projects,
        sent.emailed,
        sent.email_error,
    ) == (dw.w.zone_a.pk, "2026年10月", dw.oct_a.pk, "officer_a", 1, 1, True, None)
    (run,) = _events(caplog, "reminders.run")
    assert (run.day, run.workday, run.dry_run, run.periods, run.counts, run.sent) == (
        "2026-11-03",
        True,
        False,
        1,
        {"sent": 1},
        1,
    )
    assert isinstance(run.duration_ms, float) and run.duration_ms >= 0


def test_a_reminder_run_on_a_day_off_logs_that_nothing_was_due(dw, dispatcher, caplog):
    caplog.set_level(logging.INFO, logger="zonedesk.dispatch")
    with acting_as(None, source="job", label="未报送提醒"):
        s.reminders_send(day=D(2026, 11, 7), periods=[dw.oct_a])  # a Saturday
    assert _events(caplog, "reminder.sent") == []
    (run,) = _events(caplog, "reminders.run")
    assert (run.workday, run.periods, run.counts, run.sent) == (False, 0, {}, 0)


def test_a_built_bulletin_logs_its_zone_period_counts_and_duration(dw, caplog):
    caplog.set_level(logging.INFO, logger="zonedesk.dispatch")
    build_bulletin_data(
        dw.w.admin, Window.parse("2026-10"), zone=dw.w.zone_a, issued_on=D(2026, 11, 21), with_charts=False
    )
    (built,) = _events(caplog, "bulletin.built")
    assert built.getMessage() == "bulletin.built"
    fields = {
        k: getattr(built, k)
        for k in (
            "zone",
            "city",
            "zones",
            "period",
            "user",
            "kpis",
            "ranked",
            "behind",
            "overdue",
            "missing_units",
            "open_issues",
            "charts",
        )
    }
    assert fields == {
        "zone": dw.w.zone_a.pk,
        "city": None,
        "zones": None,
        "period": "2026年10月",
        "user": "admin",
        "kpis": 13,
        "ranked": 1,  # 生物医药招商中心, the one unit with projects
        "behind": 1,  # 乙: nothing done of its plan
        "overdue": 1,  # 乙: planned to start 08-01
        "missing_units": 1,  # 生物医药招商中心: 乙 did not report October
        "open_issues": 1,
        "charts": 0,
    }
    assert isinstance(built.duration_ms, float) and built.duration_ms > 0
