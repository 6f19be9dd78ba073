import datetime as dt

import axes.attempts
import axes.handlers.proxy
import pytest
from django.utils import timezone


class Clock:
    """The time every part of a login sees: Django's ``timezone.now`` and the two names axes imported."""

    def __init__(self, start: dt.datetime):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock(timezone.now().replace(microsecond=0))
    monkeypatch.setattr(timezone, "now", c)
    monkeypatch.setattr(axes.handlers.proxy, "now", c)
    monkeypatch.setattr(axes.attempts, "now", c)
    return c


@pytest.fixture
def security_events(caplog):
    """The events logged to "zonedesk.security", as (event, username, address) in order."""
    caplog.set_level("INFO", logger="zonedesk.security")

    def read(*names: str):
        return [
            (r.getMessage(), getattr(r, "username", None), getattr(r, "address", getattr(r, "client", None)))
            for r in caplog.records
            if r.name == "zonedesk.security" and (not names or r.getMessage() in names)
        ]

    return read
