"""The security log kept in the database: every "zonedesk.security" record with ``extra["event"]``
becomes a chained :class:`~zonedesk.core.models.SecurityEvent` row.

Apps log their events as ``logging.getLogger("zonedesk.security").info("login.failed", extra={"event":
"login.failed", "username": …, "user_id": …, "address": …, …})``: ``username``, ``user_id``,
``address`` (or ``client``) and ``request_id`` fill their columns; every other extra goes into
``detail``. The handler is on that logger in ``settings.LOGGING``; the line still reaches the console.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from django.db import transaction
from django.utils import timezone

from .logs import current_request

_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}
_COLUMNS = {"event", "username", "user_id", "address", "client", "request_id", "user", "route"}
_writing = threading.local()


def _user_id(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    pk = getattr(value, "pk", value)
    try:
        return int(pk)
    except (TypeError, ValueError):
        return None


def record_event(
    event: str,
    *,
    username: str = "",
    user_id: Any = None,
    address: str = "",
    request_id: str = "",
    detail: dict[str, Any] | None = None,
    time: dt.datetime | None = None,
) -> Any:
    """Append one SecurityEvent to its chain (in the caller's transaction, or its own)."""
    from . import chain
    from .models import SecurityEvent

    if not request_id:
        context = current_request()
        request_id = context.request_id if context is not None else ""
    row: dict[str, Any] = {
        "time": time or timezone.now(),
        "event": str(event)[:64],
        "user_id": _user_id(user_id),
        "username": str(username or "")[:150],
        "address": str(address or "")[:64],
        "request_id": str(request_id)[:32],
        "detail": chain.normalised(detail or {}),
    }
    with transaction.atomic():
        hashed = {**row, "detail": chain.json_text(row["detail"])}
        chain.append(SecurityEvent, chain.SECURITYEVENT_COLUMNS, [hashed])
        return SecurityEvent.objects.create(
            **row, prev_hash=hashed["prev_hash"], hash=hashed["hash"], hash_algorithm=hashed["hash_algorithm"]
        )


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


class SecurityRecordHandler(logging.Handler):
    """Writes each "zonedesk.security" record that names an event as a SecurityEvent row."""

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "event", None)
        if not event or getattr(_writing, "active", False):
            return
        fields = record.__dict__
        detail = {k: _jsonable(v) for k, v in fields.items() if k not in _STANDARD and k not in _COLUMNS}
        message = record.getMessage()
        if message and message != event:
            detail["message"] = message
        if record.levelno >= logging.WARNING:
            detail["level"] = record.levelname.lower()
        username = fields.get("username") or fields.get("user") or ""
        _writing.active = True
        try:
            record_event(
                str(event),
                username=str(username),
                user_id=fields.get("user_id"),
                address=str(fields.get("address") or fields.get("client") or ""),
                request_id=str(fields.get("request_id") or ""),
                detail=detail,
            )
        except Exception:  # noqa: BLE001 — logging never takes the request down; handleError reports it
            self.handleError(record)
        finally:
            _writing.active = False


def log_event(
    event: str, *, user: Any = None, request: Any = None, level: int = logging.INFO, **fields: Any
) -> None:
    """Log ``event`` on "zonedesk.security" with who and from where; the handler above keeps it.
    ``fields`` (the template, the row count, the zone…) go into the row's ``detail``."""
    extra: dict[str, Any] = {"event": event, **fields}
    if user is not None and getattr(user, "is_authenticated", False):
        extra["username"], extra["user_id"] = user.get_username(), user.pk
    if request is not None:
        extra["address"] = request.META.get("REMOTE_ADDR", "")
    logging.getLogger("zonedesk.security").log(level, event, extra=extra)
