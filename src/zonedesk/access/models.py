from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zonedesk.core.models import ChangeLoggedModel

from .choices import Action, Scope, UnitKind
from .scoping import RestrictedQuerySet, ScopeSpec


class OrgUnit(ChangeLoggedModel):
    """A node of the organisation tree: province → city → county bureaus → zone committee → departments."""

    name = models.CharField(_("单位名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=24, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path ("/3/17/42/") makes "this unit and everything below it" one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    region = models.ForeignKey(
        "geo.Region", verbose_name=_("行政区划"), null=True, blank=True, on_delete=models.PROTECT
    )
    zone = models.ForeignKey(
        "geo.Zone",
        verbose_name=_("所属开发区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        help_text=_("管委会及其内设部门所属的开发区"),
    )

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(zone="zone", units=("self",))

    class Meta:
        verbose_name = _("组织单位")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def compute_path(self) -> str:
        parent = self.parent  # None without a query when parent_id is None
        prefix = parent.path if parent is not None else "/"
        return f"{prefix}{self.pk}/"


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    # The workspace language this person chose in the top bar ("" = not chosen: Chinese, or the cookie's).
    language = models.CharField(_("界面语言"), max_length=10, blank=True, default="")

    # Where a person sits for the gate's reach_q (the security administrator's "secure" on "user"): in
    # their unit; "own records" is oneself. Users keep Django's manager, so they are read through
    # ``access.selectors``, not ``restrict()``.
    scope = ScopeSpec(units=("unit",), owners=("pk",))

    class Meta:
        verbose_name = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(models.Model):
    """A named bundle of actions on object types, e.g. 招商专员 may view/add/change/advance projects."""

    code = models.SlugField(_("代码"), max_length=50, unique=True)
    name = models.CharField(_("角色名称"), max_length=50)
    # {"project": ["view", "change", ...], "enterprise": [...]}: object type → actions.
    permissions = models.JSONField(_("权限"), default=dict)

    class Meta:
        verbose_name = _("角色")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        valid = set(Action.values)
        for object_type, actions in (self.permissions or {}).items():
            bad = [a for a in actions if a not in valid]
            if bad:
                message = gettext("%(type)s 的操作无效：%(actions)s") % {
                    "type": object_type,
                    "actions": ", ".join(bad),
                }
                raise ValidationError({"permissions": message})

    def allows(self, object_type: str, action: str) -> bool:
        return action in (self.permissions or {}).get(object_type, ())


class Grant(models.Model):
    """A role held by a user with a data scope. The union of a user's grants is their reach."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="grants")
    role = models.ForeignKey(Role, verbose_name=_("角色"), on_delete=models.PROTECT)
    scope = models.CharField(_("数据范围"), max_length=16, choices=Scope.choices)
    zone = models.ForeignKey(
        "geo.Zone", verbose_name=_("开发区"), null=True, blank=True, on_delete=models.CASCADE
    )
    units = models.ManyToManyField(OrgUnit, verbose_name=_("指定单位"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("授权")

    def __str__(self) -> str:
        return f"{self.user} · {self.role} · {self.get_scope_display()}"

    def clean(self) -> None:
        if self.scope == Scope.ZONE and not self.zone_id:
            raise ValidationError({"zone": gettext("数据范围为“指定开发区”时必须选择开发区")})


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class TokenState(models.TextChoices):
    ACTIVE = "active", _("有效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已吊销")


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once.

    A token is refused once ``expires_at`` has passed or ``revoked_at`` is set; it is never deleted, so
    the list shows when and why it stopped working."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100, blank=True)
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_reason = models.CharField(_("吊销原因"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    # A token sits where its holder sits: a security administrator reaches the tokens of the people in reach.
    scope = ScopeSpec(zone="user__unit__zone", units=("user__unit",), owners=("user",))

    class Meta:
        verbose_name = _("API 令牌")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.prefix}…"

    def state(self, now: dt.datetime | None = None) -> str:
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if self.expires_at is not None and self.expires_at <= (now or timezone.now()):
            return TokenState.EXPIRED
        return TokenState.ACTIVE

    def get_state_display(self) -> str:
        return str(TokenState(self.state()).label)

    @classmethod
    def issue(
        cls,
        user: User,
        name: str = "",
        expires_at: dt.datetime | None = None,
        now: dt.datetime | None = None,
    ) -> tuple[ApiToken, str]:
        raw = "zd_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=raw[:10],
            key_hash=_hash_token(raw),
            created_at=now or timezone.now(),
            expires_at=expires_at,
        )
        return token, raw

    @classmethod
    def lookup(cls, raw: str, now: dt.datetime | None = None) -> tuple[ApiToken | None, str]:
        """The token a bearer string names and why it is refused ("" when it is accepted).

        Reasons: "unknown", "inactive_user", "expired", "revoked". An accepted token's last use is noted."""
        token = cls.objects.select_related("user").filter(key_hash=_hash_token(raw)).first()
        if token is None:
            return None, "unknown"
        now = now or timezone.now()
        state = token.state(now)
        if state != TokenState.ACTIVE:
            return token, str(state)
        if not token.user.is_active:
            return token, "inactive_user"
        cls.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        return token, ""

    @classmethod
    def authenticate(cls, raw: str) -> User | None:
        token, refused = cls.lookup(raw)
        return token.user if token is not None and not refused else None
