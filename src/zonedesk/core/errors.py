"""Domain errors that every front (page, API, CLI, import) turns into a clear Chinese message."""

from __future__ import annotations

from django.db.models import Model
from django.utils.translation import gettext


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.code = code

    def __str__(self) -> str:
        details = "；".join(f"{k}：{'、'.join(v)}" for k, v in self.fields.items())
        return f"{self.message}（{details}）" if details else self.message


class ValidationFailed(DomainError):
    """Input broke a rule; ``fields`` maps each field to its messages."""

    status = 422


class StageGateRefused(ValidationFailed):
    """The stage gate found fields or evidence missing; ``missing`` lists them for the user."""

    def __init__(self, message: str, *, missing: list[dict[str, str]], fields: dict[str, list[str]]):
        super().__init__(message, fields=fields, code="stage_gate")
        self.missing = missing


class StaleVersion(DomainError):
    """The client edited an older version of the record than the one stored."""

    status = 409

    def __init__(self, *, expected: int, actual: int):
        super().__init__(
            gettext("记录已被他人修改（您读取的是第 %(expected)s 版，当前为第 %(actual)s 版），请刷新后重试")
            % {"expected": expected, "actual": actual},
            code="stale_version",
        )
        self.expected = expected
        self.actual = actual


class NotPermitted(DomainError):
    """The user may see the record but not do this to it."""

    status = 403

    def __init__(self, message: str | None = None):
        super().__init__(message or gettext("您没有执行此操作的权限"), code="forbidden")


def full_clean_or_fail(
    obj: Model, message: str | None = None, exclude: tuple[str, ...] = ("created_by",)
) -> None:
    """Run the model's own validation and report it the way every front reports errors."""
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        raise ValidationFailed(message or gettext("数据校验未通过"), fields=fields) from exc
