"""Enrolment, verification, recovery codes and the administrator's reset, on django-otp's devices."""

from __future__ import annotations

import logging
from binascii import hexlify

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zonedesk.access.models import Role
from zonedesk.access.services import grant_create
from zonedesk.core.audit import acting_as
from zonedesk.core.errors import NotPermitted, ValidationFailed
from zonedesk.core.models import ObjectChange
from zonedesk.factors import services
from zonedesk.factors.tests.conftest import code_at

pytestmark = pytest.mark.django_db


def events(caplog, name):
    return [r for r in caplog.records if r.name == "zonedesk.security" and getattr(r, "event", "") == name]


def test_django_otp_computes_the_rfc_6238_code_for_the_rfc_key(world, otp_clock):
    # RFC 6238 appendix B: key "12345678901234567890", T = 59 s, SHA-1 → 94287082 (8 digits), 287082 (6).
    device = TOTPDevice(user=world.admin, key=hexlify(b"12345678901234567890").decode(), digits=6)
    assert code_at(device, 59) == "287082"
    device.digits = 8
    assert code_at(device, 59) == "94287082"


def test_enrolment_confirms_with_the_first_code_and_gives_ten_recovery_codes(world, otp_clock, caplog):
    caplog.set_level(logging.INFO, "zonedesk.security")
    with acting_as(world.admin, source="test"):
        device = services.totp_pending(user=world.admin)
        assert services.totp_pending(user=world.admin).pk == device.pk  # the same key until confirmed
        codes = services.totp_confirm(user=world.admin, device=device, code=code_at(device, otp_clock.t))
    device.refresh_from_db()
    assert device.confirmed is True
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(c) == 8 for c in codes)
    assert sorted(
        StaticToken.objects.filter(device__user=world.admin).values_list("token", flat=True)
    ) == sorted(codes)
    [event] = events(caplog, "mfa.enrolled")
    assert (event.username, event.actor, event.device) == ("admin", "admin", "totp")
    assert ObjectChange.objects.filter(object_id=world.admin.pk, note="启用双因素认证").count() == 1


def test_a_wrong_first_code_leaves_the_authenticator_pending(world, otp_clock):
    with acting_as(world.admin, source="test"):
        device = services.totp_pending(user=world.admin)
        right = code_at(device, otp_clock.t)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        with pytest.raises(ValidationFailed) as refused:
            services.totp_confirm(user=world.admin, device=device, code=wrong)
    assert refused.value.fields == {"code": ["验证码不正确或已过期，请输入验证器当前显示的 6 位数字"]}
    device.refresh_from_db()
    assert device.confirmed is False
    assert StaticDevice.objects.filter(user=world.admin).count() == 0


def test_verify_accepts_the_current_code_and_refuses_a_wrong_one_and_a_replay(
    world, enrolled, otp_clock, caplog
):
    caplog.set_level(logging.INFO, "zonedesk.security")
    device, _codes = enrolled(world.admin)
    otp_clock.advance(30)  # the next step: the enrolment code is used up
    right = code_at(device, otp_clock.t)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    assert services.mfa_verify(user=world.admin, code=wrong) is None
    # django-otp throttles after a failure: 1 s after one failure, even the right code is refused.
    assert services.mfa_verify(user=world.admin, code=right) is None
    otp_clock.advance(2)
    assert services.mfa_verify(user=world.admin, code=right) == device
    assert services.mfa_verify(user=world.admin, code=right) is None  # the same code never twice
    assert [r.event for r in caplog.records if getattr(r, "event", "").startswith("mfa.")][-4:] == [
        "mfa.failed",
        "mfa.failed",
        "mfa.verified",
        "mfa.failed",
    ]


def test_a_code_two_steps_away_is_refused(world, enrolled, otp_clock):
    device, _codes = enrolled(world.admin)
    otp_clock.advance(30)
    assert services.mfa_verify(user=world.admin, code=code_at(device, otp_clock.t + 60)) is None


def test_a_recovery_code_works_once(world, enrolled, otp_clock):
    _device, codes = enrolled(world.admin)
    used = services.mfa_verify(user=world.admin, code=codes[3].upper())  # typed in capitals: still the code
    assert isinstance(used, StaticDevice)
    assert StaticToken.objects.filter(device__user=world.admin).count() == 9
    otp_clock.advance(2)
    assert services.mfa_verify(user=world.admin, code=codes[3]) is None
    otp_clock.advance(4)
    assert isinstance(services.mfa_verify(user=world.admin, code=codes[4]), StaticDevice)


def test_renewing_recovery_codes_voids_the_old_ones(world, enrolled, otp_clock):
    _device, old = enrolled(world.admin)
    with acting_as(world.admin, source="test"):
        new = services.recovery_codes_renew(user=world.admin)
    assert len(new) == 10 and not set(new) & set(old)
    assert services.mfa_verify(user=world.admin, code=old[0]) is None


def test_a_security_administrator_resets_a_lost_phone(world, enrolled, caplog):
    caplog.set_level(logging.INFO, "zonedesk.security")
    enrolled(world.officer_a)
    with acting_as(world.admin, source="test"):
        removed = services.mfa_reset(user=world.officer_a, actor=world.admin, reason="手机丢失")
    assert removed == 2  # the authenticator and the recovery codes
    assert TOTPDevice.objects.filter(user=world.officer_a).count() == 0
    assert StaticDevice.objects.filter(user=world.officer_a).count() == 0
    [event] = events(caplog, "mfa.reset")
    assert (event.username, event.actor, event.removed, event.reason) == ("officer_a", "admin", 2, "手机丢失")


def test_reset_is_refused_without_the_grant_outside_the_reach_and_on_oneself(world, enrolled):
    enrolled(world.officer_a)
    enrolled(world.admin)
    with acting_as(None, source="test", label="测试"):
        zone_b_security = Role.objects.create(
            code="zone_security", name="开发区安全员", permissions={"secondfactor": ["view", "change"]}
        )
        grant_create(user=world.officer_b, role=zone_b_security, scope="zone", zone=world.zone_b)
    for actor, target, message in [
        (world.city_officer, world.officer_a, "您无权重置该账号的双因素认证"),
        (world.officer_b, world.officer_a, "您无权重置该账号的双因素认证"),
        (world.admin, world.admin, "不能重置自己的双因素认证，请联系安全管理员"),
    ]:
        with acting_as(actor, source="test"), pytest.raises(NotPermitted) as refused:
            services.mfa_reset(user=target, actor=actor)
        assert refused.value.message == message
    assert TOTPDevice.objects.filter(user__in=[world.officer_a, world.admin], confirmed=True).count() == 2
    assert StaticToken.objects.filter(device__user__in=[world.officer_a, world.admin]).count() == 20
