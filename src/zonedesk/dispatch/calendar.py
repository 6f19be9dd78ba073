"""Working days on the Chinese calendar (法定节假日 and 调休 workdays), from the ``chinesecalendar`` package.

The package knows the State Council's holiday notice up to its release year; for a later year it
raises, and we fall back to Monday–Friday so a deadline is still set (and say so in ``known``)."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
from django.utils import timezone


def known(day: dt.date) -> bool:
    try:
        chinese_calendar.is_workday(day)
        return True
    except NotImplementedError:
        return False


def is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def nth_workday_after(day: dt.date, n: int) -> dt.date:
    """The n-th working day strictly after ``day`` (n ≥ 1): the deadline "期末后第 n 个工作日"."""
    count = 0
    current = day
    while count < n:
        current += dt.timedelta(days=1)
        if is_workday(current):
            count += 1
    return current


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how late a report is."""
    days = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_workday(current):
            days += 1
    return days


def local_day(at: dt.datetime | dt.date | None = None) -> dt.date:
    """The day of ``at`` (default: now) where the zones are (``TIME_ZONE``, Asia/Shanghai). Every "today" of
    dispatch goes through here: a server's own clock runs on UTC, eight hours behind Beijing, so its date
    is yesterday's from midnight to 08:00. A naive datetime is taken as local time already."""
    if at is None:
        return timezone.localdate()
    if isinstance(at, dt.datetime):
        return timezone.localdate(at) if timezone.is_aware(at) else at.date()
    return at


def is_late(deadline: dt.date, at: dt.datetime | dt.date | None = None) -> bool:
    """Whether a report filed at ``at`` (default: now) misses ``deadline``: the deadline day counts whole, in
    local time, whatever kind of day it is (a 调休 Saturday is a working day like any other); the day after
    is late even when it is a holiday."""
    return local_day(at) > deadline
