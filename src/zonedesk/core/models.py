from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zonedesk.access.scoping import RestrictedQuerySet, ScopeSpec

from .audit import require_actor

# Bookkeeping no person changes by hand: the history leaves it out unless a model says otherwise.
DEFAULT_HISTORY_HIDDEN = frozenset({"id", "version", "created_by", "created_at", "updated_at"})


def _shown(model: Any, field: Any, name: str, value: Any) -> Any:
    """One history value as a person reads it (None stays None: the page says 空)."""
    if value is None or value == "" or value == []:
        return None
    choices = getattr(model, "history_choices", {}).get(name)
    if field is not None and getattr(field, "choices", None):
        choices = field.flatchoices
    if choices:
        labels = {str(k): str(v) for k, v in choices}
        if isinstance(value, list):
            return "、".join(labels.get(str(v), str(v)) for v in value)
        return labels.get(str(value), str(value))
    related = getattr(field, "related_model", None) if field is not None else None
    if related is not None and (field.many_to_one or field.many_to_many or field.one_to_one):
        pks = value if isinstance(value, list) else [value]
        names = {o.pk: str(o) for o in related._default_manager.filter(pk__in=pks)}
        return "、".join(names.get(pk, f"#{pk}") for pk in pks)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


class ChangeLoggedModel(models.Model):
    """Base for business records: timestamps, author, and a guard that nobody writes anonymously."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        actor = require_actor()
        if self._state.adding and self.created_by_id is None and actor is not None:
            self.created_by = actor.user
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        require_actor()
        return super().delete(*args, **kwargs)


class ObjectChange(models.Model):
    """One row of history: who changed what, from where, and the before/after values."""

    ACTIONS = [
        ("create", _("新建")),
        ("update", _("修改")),
        ("delete", _("删除")),
        ("advance", _("推进阶段")),
    ]
    SOURCES = [
        ("web", _("页面")),
        ("api", _("接口")),
        ("cli", _("命令行")),
        ("import", _("导入")),
        ("job", _("后台任务")),
        ("system", _("系统")),
        ("test", _("测试")),
    ]

    # Set by the writer (not auto_now_add): the time is part of the row's hash, known before the insert.
    time = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.BigIntegerField(db_index=True)
    object_repr = models.CharField(_("对象"), max_length=200)
    action = models.CharField(_("操作"), max_length=16, choices=ACTIONS)
    # PROTECT: the rows are append-only (a trigger refuses UPDATE), so a user with history is
    # deactivated, never deleted; the history keeps naming them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人（记录时）"), max_length=150)
    source = models.CharField(_("来源"), max_length=16, choices=SOURCES)
    request_id = models.CharField(max_length=32, blank=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    changes = models.JSONField(default=dict)
    note = models.TextField(_("说明"), blank=True)
    # The hash chain (core.chain): this row's hash, the previous row's, and the hash function.
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)
    hash_algorithm = models.CharField(max_length=8, blank=True)

    class Meta:
        verbose_name = _("变更记录")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-time"])]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A row saved directly (not through log_change) is chained all the same; rows are never
        saved twice (the database refuses UPDATE)."""
        from . import chain

        if self.hash:
            super().save(*args, **kwargs)
            return
        with transaction.atomic():
            self.before, self.after = chain.normalised(self.before), chain.normalised(self.after)
            self.changes = chain.normalised(self.changes)
            row = {name: getattr(self, name) for name in chain.OBJECTCHANGE_COLUMNS}
            for name in chain.JSON_COLUMNS & set(row):
                row[name] = chain.json_text(row[name])
            chain.append(ObjectChange, chain.OBJECTCHANGE_COLUMNS, [row])
            self.prev_hash, self.hash, self.hash_algorithm = (
                row["prev_hash"],
                row["hash"],
                row["hash_algorithm"],
            )
            super().save(*args, **kwargs)

    def state_after(self) -> dict[str, Any] | None:
        """The object's values after this change: ``after``, or for a create row (which keeps its
        values once, in ``changes``) the new values; None after a delete."""
        if self.after is not None:
            return self.after
        if self.action == "create":
            return {name: new for name, (_old, new) in self.changes.items()}
        return None

    def labelled_changes(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) for display, each value as the user knows it: a stage's or a
        choice's label, a unit's or a person's name, the investors' names. Bookkeeping the model's
        ``history_hidden`` names (ids, versions, timestamps) is left out."""
        model = self.content_type.model_class()
        out: list[tuple[str, object, object]] = []
        if model is None:  # the model's app was removed since: the stored names are all there is
            return [(name, before, after) for name, (before, after) in self.changes.items()]
        hidden = getattr(model, "history_hidden", DEFAULT_HISTORY_HIDDEN)
        # In the model's field order (as the page shows them), whatever order the database keeps JSON keys in.
        position = {f.name: n for n, f in enumerate(model._meta.get_fields())}
        for name, (before, after) in sorted(
            self.changes.items(), key=lambda kv: (position.get(kv[0], 10**6), kv[0])
        ):
            if name in hidden:
                continue
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:  # a field since removed, or a pseudo-field such as "grant"
                field = None
            # A reverse relation (hesitations) has no verbose_name of its own.
            label = str(
                getattr(field, "verbose_name", None) or getattr(model, "history_labels", {}).get(name, name)
            )
            shown = (_shown(model, field, name, before), _shown(model, field, name, after))
            if shown != (None, None):  # "" → null reads as 空 → 空: nothing a person changed
                out.append((label, *shown))
        return out


class SecurityEvent(models.Model):
    """One security event (安全审计记录): a login, a failure, a lock, a password or grant change, an export.

    Written by ``core.security_record`` from the "zonedesk.security" logger; chained like the history.
    """

    time = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    event = models.CharField(_("事件"), max_length=64, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    address = models.CharField(_("来源地址"), max_length=64, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    detail = models.JSONField(_("详情"), default=dict)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)
    hash_algorithm = models.CharField(max_length=8, blank=True)

    objects = RestrictedQuerySet.as_manager()
    # No zone, unit or owner: only an all-zones grant of "view" on securityevent reads the log.
    scope = ScopeSpec(zone=None, units=(), owners=())

    class Meta:
        verbose_name = _("安全事件")
        ordering = ["-time", "-id"]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.event} {self.username}"


class AuditCheckpoint(models.Model):
    """Where a chain starts after ``zonedesk audit purge`` removed its oldest rows."""

    table_name = models.CharField(max_length=64)
    time = models.DateTimeField(default=timezone.now)
    last_id = models.BigIntegerField()  # the last removed row
    last_hash = models.CharField(max_length=64)  # its hash: the prev_hash of the first row kept
    last_time = models.DateTimeField()
    removed = models.BigIntegerField()
    retention_days = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("审计清理检查点")
        ordering = ["table_name", "-last_id"]

    def __str__(self) -> str:
        return f"{self.table_name} ≤ {self.last_id}"
