"""Log lines that say which request, whose and where: the request context and the logging filter.

``RequestContextMiddleware`` (core.middleware) opens a :class:`RequestContext` for each request;
:class:`RequestContextFilter`, on the handlers in ``settings.LOGGING``, copies its request id, user
and route onto every record logged while the request is under way. The actor context
(core.audit) takes the same request id, so a log line and the history rows a request wrote join
on ``request_id``.

Events are logged as ``logger.info("import.applied", extra={...})``: the message is the event's
name, the fields ride in ``extra`` and become JSON keys.
"""

from __future__ import annotations

import contextvars
import logging
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RequestContext:
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    user: str = ""  # the username, once the session or the API's token named one (core.audit.acting_as)
    route: str = ""  # the URL pattern (``projects/<int:pk>/``), else the path


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "zonedesk_request", default=None
)


def current_request() -> RequestContext | None:
    return _current.get()


@contextmanager
def request_context(context: RequestContext) -> Iterator[RequestContext]:
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


class RequestContextFilter(logging.Filter):
    """Adds ``request_id``, ``user`` and ``route`` to records logged during a request.

    A field the caller passed in ``extra`` wins. Outside a request nothing is added.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        context = _current.get()
        if context is None:
            return True
        values = {"request_id": context.request_id, "user": context.user, "route": context.route}
        for name, value in values.items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time, like logging's last resort: a test runner or a
    service wrapper that replaces stderr after start-up still gets the lines (a handler holding the
    original stream would write to a closed file)."""

    def __init__(self, level: int = logging.NOTSET) -> None:
        logging.Handler.__init__(self, level)

    @property
    def stream(self) -> Any:
        return sys.stderr


_STANDARD_ATTRS = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class TextFormatter(logging.Formatter):
    """One readable line for a developer's console (``ZONEDESK_LOG_FORMAT=text``): the message, then
    the event's fields and the request context as ``key=value``."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # before the traceback, if any
        line = super().formatMessage(record)
        extras = [f"{k}={v}" for k, v in record.__dict__.items() if k not in _STANDARD_ATTRS and v != ""]
        return f"{line} {' '.join(extras)}" if extras else line
