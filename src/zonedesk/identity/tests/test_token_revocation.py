"""A new password ends the API tokens the old one stood behind."""

from __future__ import annotations

from zonedesk.access.models import ApiToken
from zonedesk.access.services import token_create
from zonedesk.core.audit import acting_as
from zonedesk.identity.services import password_change


def test_changing_a_password_revokes_every_token_of_that_user_only(world):
    with acting_as(world.officer_a, source="test"):
        token_create(user=world.officer_a, name="报表脚本")
        token_create(user=world.officer_a, name="大屏")
    with acting_as(world.officer_b, source="test"):
        token_create(user=world.officer_b, name="其他人的")
    with acting_as(world.officer_a, source="web"):
        password_change(user=world.officer_a, new_password="Kf-2026-changed", by=world.officer_a)
    mine = ApiToken.objects.filter(user=world.officer_a).order_by("pk")
    assert [(t.name, t.revoked_reason) for t in mine] == [("报表脚本", "密码已修改"), ("大屏", "密码已修改")]
    assert all(t.revoked_at is not None for t in mine)
    assert ApiToken.objects.get(user=world.officer_b).revoked_at is None
