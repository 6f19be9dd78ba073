"""Password state beside the user (access.User is left alone): when the password was last set, whether the
next login must change it, and the hashes of earlier passwords (never the passwords)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PasswordState(models.Model):
    """One row per user once their password has been set through ``identity.services``. A user without
    one (created before this app, or by ``user_create``) counts from ``date_joined``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="password_state",
    )
    changed_at = models.DateTimeField(_("密码修改时间"))
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

    class Meta:
        verbose_name = _("密码状态")

    def __str__(self) -> str:
        return str(self.user)


class PasswordHistory(models.Model):
    """A password this user had before (its hash), for the "not one of the last N" rule."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="password_history",
    )
    password = models.CharField(_("密码摘要"), max_length=128)
    retired_at = models.DateTimeField(_("停用时间"))

    class Meta:
        verbose_name = _("历史密码")
        ordering = ["-retired_at", "-id"]
        indexes = [models.Index(fields=["user", "-retired_at"], name="identity_history_user_recent")]

    def __str__(self) -> str:
        return f"{self.user} {self.retired_at:%Y-%m-%d}"
