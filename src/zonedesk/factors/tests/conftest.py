"""The second factor as installed (the test settings ask it of nobody), and a clock for django-otp.

``otp_clock`` controls the time django-otp reads — the TOTP step (``time.time`` in its TOTP device module)
and the throttle (``timezone.now`` in its models) — and ``code_at`` computes a device's code for a moment
with django-otp's own TOTP, so a test knows the right code without sleeping."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django_otp.oath import TOTP

from zonedesk.core.audit import acting_as

# 2027-01-15 08:00:00 UTC, at the start of a 30-second step.
T0 = 1_800_000_000.0


@pytest.fixture
def mfa_on(settings):
    settings.ZONEDESK_MFA_REQUIRED_ROLES = ["province_admin", "system_admin", "security_admin", "audit_admin"]
    settings.ZONEDESK_MFA_REQUIRE_ALL_SCOPE = True


class Clock:
    def __init__(self, t: float) -> None:
        self.t = t

    def now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.t, tz=dt.UTC)

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def otp_clock(monkeypatch):
    import django_otp.models as otp_models
    import django_otp.plugins.otp_totp.models as totp_models

    clock = Clock(T0)
    monkeypatch.setattr(totp_models, "time", SimpleNamespace(time=lambda: clock.t))
    monkeypatch.setattr(otp_models, "timezone", SimpleNamespace(now=clock.now))
    return clock


def code_at(device, t: float) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = t
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def enrolled(otp_clock):
    """Enrol a user's authenticator at T0 (the first code used); returns (device, recovery codes)."""
    from zonedesk.factors import services

    def enrol(user):
        with acting_as(user, source="test"):
            device = services.totp_pending(user=user)
            codes = services.totp_confirm(user=user, device=device, code=code_at(device, otp_clock.t))
        device.refresh_from_db()
        return device, codes

    return enrol
