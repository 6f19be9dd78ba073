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

import orjson as _orjson
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


def row_shape(
    action: str, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, dict[str, list[Any]]]:
    """(before, after, changes) as a history row keeps them: one shape per action, for every writer.

    - create: the new object's values once, in ``changes`` ([null, value] for each non-empty field);
      ``before`` and ``after`` stay empty (an import of 100 000 rows would otherwise store them twice);
    - update and advance: both snapshots and their difference;
    - delete: the snapshot the object had, and every value as [value, null].
    """
    if action == "create":
        return None, None, diff(None, after)
    return before, after, diff(before, after)


def log_change(obj: Any, action: str, before: dict | None, after: dict | None, note: str = "") -> Any:
    """Write one ObjectChange row for ``obj`` inside the current actor context, chained (core.chain)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from . import chain
    from .models import ObjectChange

    actor = require_actor()
    before, after, changes = row_shape(action, before, after)
    if action == "update" and not changes and not note:
        return None
    row: dict[str, Any] = {
        "time": timezone.now(),
        "content_type_id": ContentType.objects.get_for_model(obj.__class__).pk,
        "object_id": obj.pk,
        "object_repr": str(obj)[:200],
        "action": action,
        "user_id": actor.user.pk if actor and actor.user is not None else None,
        "actor_label": actor.display if actor else "",
        "source": actor.source if actor else "",
        "request_id": actor.request_id if actor else "",
        # Stored as they read back (tuples as lists, keys as text), so the hash is of what is kept.
        "before": chain.normalised(before),
        "after": chain.normalised(after),
        "changes": chain.normalised(changes),
        "note": note,
    }
    hashed = {**row, **{name: chain.json_text(row[name]) for name in ("before", "after", "changes")}}
    with transaction.atomic():
        chain.append(ObjectChange, chain.OBJECTCHANGE_COLUMNS, [hashed])
        return ObjectChange.objects.create(
            **row, prev_hash=hashed["prev_hash"], hash=hashed["hash"], hash_algorithm=hashed["hash_algorithm"]
        )


def dumps(value: Any) -> str:
    """JSON text of a history value; orjson is ~8× faster than json for the history of a large import."""
    return _orjson.dumps(value).decode()


def dumps_sorted(value: dict[str, Any]) -> str:
    """``dumps`` with the keys in sorted order, as ``diff`` lists them."""
    return _orjson.dumps(value, option=_orjson.OPT_SORT_KEYS).decode()


class ChangeBatch:
    """Many history rows written at once (imports, undo, demo data), in the shape ``log_change`` writes.

    Rows are kept as plain values and inserted in bulk by ``flush``; every row carries the current
    actor, like a row ``log_change`` writes.
    """

    def __init__(self) -> None:
        actor = require_actor()
        self.actor = actor
        self.rows: list[dict[str, Any]] = []
        self._types: dict[type, int] = {}

    def content_type_id(self, model: type) -> int:
        from django.contrib.contenttypes.models import ContentType

        if model not in self._types:
            self._types[model] = ContentType.objects.get_for_model(model).pk
        return self._types[model]

    def add(
        self,
        model: type,
        pk: int,
        label: str,
        action: str,
        before: dict | None,
        after: dict | None,
        note: str,
        changes: dict[str, Any] | None = None,
    ) -> None:
        """One row; ``changes`` may be given by a caller that computed ``row_shape``'s diff faster."""
        from .bulkwrite import raw_json

        if changes is None:
            before, after, changes = row_shape(action, before, after)
        elif action == "create":
            before = after = None
        self.rows.append(
            {
                "content_type_id": self.content_type_id(model),
                "object_id": pk,
                "object_repr": label[:200],
                "action": action,
                # Sorted keys: the text kept is the text hashed (core.chain.json_text).
                "before": raw_json(dumps_sorted(before)) if before is not None else None,
                "after": raw_json(dumps_sorted(after)) if after is not None else None,
                "changes": raw_json(dumps_sorted(changes)),
                "note": note,
            }
        )

    def fixed(self) -> dict[str, Any]:
        """The columns every row of this batch shares: who, from where, which request."""
        actor = self.actor
        return {
            "user_id": actor.user.pk if actor.user is not None else None,
            "actor_label": actor.display,
            "source": actor.source,
            "request_id": actor.request_id,
        }

    def flush(self) -> None:
        from django.db import transaction
        from django.utils import timezone

        from . import chain
        from .bulkwrite import insert
        from .models import ObjectChange

        if self.rows:
            fixed = {**self.fixed(), "time": timezone.now()}
            with transaction.atomic():
                chain.append(ObjectChange, chain.OBJECTCHANGE_COLUMNS, self.rows, fixed)
                insert(ObjectChange, self.rows, with_ids=False, fixed=fixed)
        self.rows = []
