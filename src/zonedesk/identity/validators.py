"""AUTH_PASSWORD_VALIDATORS for the policy in ``identity/policy.py``, with Chinese messages.

Django runs them through ``validate_password`` (``access.services.user_create``, ``identity.services``).
Each reads the policy when it runs, so the settings group is the one place the limits live.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .policy import password_policy

# Shorter usernames ("li", "a") are not searched for: refusing every password containing "a" says nothing.
USERNAME_MIN_SEARCHED = 3


def character_classes(password: str) -> int:
    """How many of the four classes the password uses: upper case, lower case, digits, anything else."""
    return sum(
        (
            any(c.isascii() and c.isupper() for c in password),
            any(c.isascii() and c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not (c.isascii() and c.isalnum()) for c in password),
        )
    )


class LengthValidator:
    def validate(self, password: str, user: Any = None) -> None:
        limit = password_policy().min_length
        if len(password) < limit:
            raise ValidationError(
                _("密码至少需要 %(min)d 个字符，当前 %(n)d 个") % {"min": limit, "n": len(password)},
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        return _("至少 %(min)d 个字符") % {"min": password_policy().min_length}


class CharacterClassValidator:
    """三级: three of the four classes (the number is ZONEDESK_PASSWORD_MIN_CLASSES); none in ASVS mode."""

    def validate(self, password: str, user: Any = None) -> None:
        needed = password_policy().min_classes
        if needed and character_classes(password) < needed:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、其他字符中的至少 %(n)d 类") % {"n": needed},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        needed = password_policy().min_classes
        if not needed:
            return ""
        return _("包含大写字母、小写字母、数字、其他字符中的至少 %(n)d 类") % {"n": needed}


class UsernameValidator:
    def validate(self, password: str, user: Any = None) -> None:
        username = (getattr(user, "username", "") or "").strip().casefold()
        if len(username) >= USERNAME_MIN_SEARCHED and username in password.casefold():
            raise ValidationError(_("密码不能包含用户名"), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("不能包含用户名")


def recent_hashes(user: Any) -> list[str]:
    """The hashes of the user's last N passwords, the current one first."""
    limit = password_policy().history
    if limit <= 0 or user is None or user.pk is None:
        return []
    from .models import PasswordHistory

    hashes = [user.password] if user.password else []
    earlier = PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)
    hashes.extend(earlier[: max(limit - len(hashes), 0)])
    return hashes


class HistoryValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if any(check_password(password, encoded) for encoded in recent_hashes(user)):
            raise ValidationError(
                _("新密码不能与最近 %(n)d 次使用过的密码相同") % {"n": password_policy().history},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        n = password_policy().history
        return _("不能与最近 %(n)d 次使用过的密码相同") % {"n": n} if n > 0 else ""
