"""What the configured console handler writes, parsed: the log lines as an operator would read them."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from django.conf import settings


@contextmanager
def json_log_lines() -> Iterator[list[dict[str, Any]]]:
    """The JSON objects logged inside the block, as the console handler of settings.LOGGING writes them.

    A twin of that handler (its level and filters, the configured JSON formatter whatever
    ZONEDESK_LOG_FORMAT the developer running the tests chose) writes into a buffer meanwhile.
    """
    from pythonjsonlogger.json import JsonFormatter

    root = logging.getLogger()
    console = next(h for h in root.handlers if h.name == "console")
    config = cast(dict[str, Any], settings.LOGGING)
    options = {k: v for k, v in config["formatters"]["json"].items() if k != "()"}
    buffer = io.StringIO()
    twin = logging.StreamHandler(buffer)
    twin.setLevel(console.level)
    twin.filters = list(console.filters)
    twin.setFormatter(JsonFormatter(**options))
    root.addHandler(twin)
    lines: list[dict[str, Any]] = []
    try:
        yield lines
    finally:
        root.removeHandler(twin)
        lines.extend(json.loads(line) for line in buffer.getvalue().splitlines())
