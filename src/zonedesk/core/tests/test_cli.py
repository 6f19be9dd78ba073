"""What the apps' command modules share (core/cli.py): the error exit and naming a user or a zone."""

import pytest

from zonedesk.core.cli import fail, resolve_user, resolve_zone


def test_fail_writes_the_chinese_error_and_returns_the_exit_code(capsys):
    assert fail("文件不存在") == 2
    assert fail("校验未通过", code=1) == 1
    assert capsys.readouterr().err == "错误：文件不存在\n错误：校验未通过\n"


def test_resolve_user_finds_an_active_user_and_exits_on_an_unknown_or_inactive_one(world, capsys):
    assert resolve_user("officer_a") == world.officer_a
    world.officer_b.is_active = False
    world.officer_b.save(update_fields=["is_active"])
    for name in ("ghost", "officer_b"):
        with pytest.raises(SystemExit) as exc:
            resolve_user(name)
        assert exc.value.code == 2
    assert capsys.readouterr().err == "错误：用户“ghost”不存在或已停用\n错误：用户“officer_b”不存在或已停用\n"


def test_resolve_zone_by_id_name_or_alias_within_the_users_reach(world):
    assert resolve_zone(world.officer_a, "长治高新区") == world.zone_a
    assert resolve_zone(world.officer_a, str(world.zone_a.pk)) == world.zone_a
    assert resolve_zone(world.officer_a, " 长治高新技术产业开发区 ") == world.zone_a


def test_resolve_zone_exits_on_a_zone_outside_the_reach(world, capsys):
    with pytest.raises(SystemExit) as exc:
        resolve_zone(world.officer_a, "兴县经开区")
    assert exc.value.code == 2
    assert capsys.readouterr().err == "错误：开发区“兴县经开区”不存在或您无权访问\n"


def test_resolve_zone_without_a_user_sees_every_zone_and_says_the_callers_message(world, capsys):
    assert resolve_zone(None, "兴县经开区") == world.zone_b
    with pytest.raises(SystemExit):
        resolve_zone(None, "不存在开发区", message="找不到开发区“{text}”")
    assert capsys.readouterr().err == "错误：找不到开发区“不存在开发区”\n"
