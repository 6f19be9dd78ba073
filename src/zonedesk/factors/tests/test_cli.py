from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from zonedesk.cli import main
from zonedesk.core.models import ObjectChange

pytestmark = pytest.mark.django_db


def test_account_mfa_reset_removes_the_second_factor(world, enrolled, capsys):
    enrolled(world.admin)
    assert main(["account", "mfa-reset", "admin", "--reason", "手机丢失"]) == 0
    assert capsys.readouterr().out.strip() == (
        "已重置用户 admin 的双因素认证（移除 2 个验证设备），其下次登录时须重新启用"
    )
    assert TOTPDevice.objects.filter(user=world.admin).count() == 0
    change = ObjectChange.objects.get(object_id=world.admin.pk, note="重置双因素认证")
    assert (change.source, change.after) == ("cli", {"mfa": "reset", "reason": "手机丢失"})
    assert main(["account", "mfa-reset", "admin"]) == 0
    assert "没有启用双因素认证" in capsys.readouterr().out
    assert main(["account", "mfa-reset", "nobody"]) == 2
    assert "用户“nobody”不存在" in capsys.readouterr().err
