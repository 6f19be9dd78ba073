"""Who did it: the actor context every write runs in, and the change log it leaves behind.

A write anywhere — a page, the API, a command, an import, a job — runs inside ``acting_as``.
Services call :func:`log_change` with the before/after snapshots. A change-logged model
saved outside an actor context raises :class:`MissingActorError`, so a write path that forgot
to say who it is fails loudly instead of leaving an anonymous gap in the history.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from zonedesk.core.logs import current_request


class MissingActorError(RuntimeError):
    """A change-logged object was written with nobody named as the author."""


def _request_id() -> str:
    context = current_request()
    return context.request_id if context is not None else uuid.uuid4().hex


@dataclass(frozen=True)
class Actor:
    user: Any  # access.User or None for the system itself
    source: str  # web | api | cli | import | job | system | test
    label: str = ""
    # Within a web or API request, the request's own id (core.logs), so history rows and log lines join.
    request_id: str = field(default_factory=_request_id)

    @property
    def display(self) -> str:
        if self.user is not None:
            return self.user.get_username()
        return self.label or self.source


_current: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("zonedesk_actor", default=None)


def current_actor() -> Actor | None:
    return _current.get()


@contextmanager
def acting_as(user: Any, source: str, label: str = "") -> Iterator[Actor]:
    """Run the block as ``user`` (``None`` means the system, which then needs a ``label``)."""
    if user is None and not label:
        raise MissingActorError("a system actor needs a label saying which job it is")
    actor = Actor(user=user, source=source, label=label)
    request = current_request()
    if request is not None and not request.user and user is not None:
        request.user = user.get_username()  # an API token's user, known only once the API authenticated
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def require_actor() -> Actor:
    actor = _current.get()
    if actor is None and getattr(settings, "ZONEDESK_REQUIRE_ACTOR", True):
        raise MissingActorError("写入必须记录操作人：请在 acting_as(...) 中调用服务函数")
    return actor  # type: ignore[return-value]


def to_jsonable(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        # Keep money exact in the history: a string, not a float.
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: Any, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``obj`` (foreign keys as ids), JSON-ready."""
    data: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name in {"created_at", "updated_at"}:
            continue
        data[f.name] = to_jsonable(getattr(obj, f.attname))
    for m2m in getattr(obj, "audit_m2m_fields", ()):
        if obj.pk is not None:
            data[m2m] = sorted(getattr(obj, m2m).values_list("pk", flat=True))
    return data


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    before = before or {}
    after = after or {}
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def log_change(obj: Any, action: str, before: dict | None, after: dict | None, note: str = "") -> Any:
    """Write one ObjectChange row for ``obj`` inside the current actor context."""
    from django.contrib.contenttypes.models import ContentType

    from .models import ObjectChange

    actor = require_actor()
    changes = diff(before, after)
    if action == "update" and not changes and not note:
        return None
    return ObjectChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj.__class__),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        action=action,
        user=actor.user if actor else None,
        actor_label=actor.display if actor else "",
        source=actor.source if actor else "",
        request_id=actor.request_id if actor else "",
        before=before,
        after=after,
        changes=changes,
        note=note,
    )
