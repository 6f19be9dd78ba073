import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings

from zonedesk.access.models import User
from zonedesk.identity.policy import password_policy
from zonedesk.identity.validators import character_classes
from zonedesk.testing.world import PASSWORD


def refusals(password, username="zhangsan"):
    try:
        validate_password(password, User(username=username))
    except ValidationError as exc:
        return exc.messages
    return []


def test_default_policy_is_dengbao_with_the_issue_defaults():
    policy = password_policy()
    assert (
        policy.mode,
        policy.min_length,
        policy.min_classes,
        policy.history,
        policy.max_age and policy.max_age.days,
    ) == (
        "dengbao",
        8,
        3,
        5,
        90,
    )


@pytest.mark.parametrize(
    "password, classes",
    [("abcdefgh", 1), ("abcd1234", 2), ("Abcd1234", 3), ("abcd-1234", 3), ("Abcd-1234", 4), ("密码abc12", 3)],
)
def test_character_classes_counts_upper_lower_digit_other(password, classes):
    assert character_classes(password) == classes


def test_dengbao_accepts_eight_characters_of_three_classes():
    assert refusals("Zonedesk26") == []
    assert refusals("ledger-2026") == []


def test_dengbao_refuses_seven_characters_naming_the_limit():
    assert refusals("Abc-123") == ["密码至少需要 8 个字符，当前 7 个"]


def test_dengbao_refuses_two_character_classes():
    # the issue's examples: "zonedesk" (one class, and on the common list's kind) and "87654321x" (two)
    assert refusals("87654321x") == ["密码须包含大写字母、小写字母、数字、其他字符中的至少 3 类"]
    assert refusals("zonedesk") == ["密码须包含大写字母、小写字母、数字、其他字符中的至少 3 类"]


def test_refuses_a_password_containing_the_username_in_any_case():
    assert refusals("ZhangSan-2026") == ["密码不能包含用户名"]
    assert refusals("Zhang-San-2026") == []
    # two-letter usernames are not searched for
    assert refusals("Li-Ming-2026", username="li") == []


def test_refuses_a_common_password_in_both_modes():
    assert "这个密码太常见了。" in refusals("Password1")
    with override_settings(ZONEDESK_PASSWORD_MODE="asvs"):
        assert "这个密码太常见了。" in refusals("password1")


@override_settings(ZONEDESK_PASSWORD_MODE="asvs")
def test_asvs_drops_the_composition_rule_and_the_expiry():
    policy = password_policy()
    assert (policy.mode, policy.min_classes, policy.max_age) == ("asvs", 0, None)
    assert refusals("zonedeskledgerbook") == []
    assert refusals("87654321x") == []


@override_settings(ZONEDESK_PASSWORD_MODE="asvs")
def test_asvs_keeps_the_length_and_username_rules():
    assert refusals("ledgerz") == ["密码至少需要 8 个字符，当前 7 个"]
    assert refusals("zhangsanledger") == ["密码不能包含用户名"]


@override_settings(ZONEDESK_PASSWORD_MIN_LENGTH=12, ZONEDESK_PASSWORD_MIN_CLASSES=4)
def test_limits_come_from_the_settings_group():
    assert refusals("Abcd-1234") == ["密码至少需要 12 个字符，当前 9 个"]
    assert refusals("abcd-1234-xyz") == ["密码须包含大写字母、小写字母、数字、其他字符中的至少 4 类"]
    assert refusals("Abcd-1234-xyz") == []


def test_the_test_world_password_satisfies_the_dengbao_rules():
    for username in ("admin", "city", "officer_a", "officer_b", "centre", "own", "nogrant"):
        assert refusals(PASSWORD, username=username) == []
