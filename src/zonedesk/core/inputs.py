"""Input kept in range before it reaches the database: the validated types every API schema and the
ledger's query-string parser use, the limits an installation may change (settings group
``ZONEDESK_INPUT`` in ``config/settings/base.py``), and the text check for NUL bytes and lone surrogates.

Why: PostgreSQL refuses NUL in text, SQLite and PostgreSQL refuse integers beyond 64 bits, ``date``
stops at 9999 and Python's ``Decimal`` accepts NaN — each of those was a 500 where a 422 belongs."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from django.conf import settings
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

MAX_INT64 = 2**63 - 1
# The largest magnitude a decimal input may have: more than any amount in 万元 and well inside what
# both databases' numeric types hold (a filter of 1e100000 overflowed PostgreSQL's numeric).
MAX_DECIMAL = Decimal("1e15")
# A text may not hold NUL (PostgreSQL refuses it) nor a lone UTF-16 surrogate (not encodable as UTF-8).
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")

DEFAULTS: dict[str, Any] = {
    "DATE_RANGE": (1900, 2100),
    "PERIOD_RANGE": (1990, 2100),
    "API_MAX_BODY_BYTES": 2_621_440,
}


def limits() -> dict[str, Any]:
    """The installation's input limits: ``settings.ZONEDESK_INPUT`` over the defaults."""
    return {**DEFAULTS, **getattr(settings, "ZONEDESK_INPUT", {})}


def parse_year_range(text: str, default: tuple[int, int]) -> tuple[int, int]:
    """ "1990-2100" as (1990, 2100); an empty text gives ``default``. For the settings module."""
    text = (text or "").strip()
    if not text:
        return default
    m = re.fullmatch(r"(\d{4})\s*[-–~]\s*(\d{4})", text)
    if not m or int(m.group(1)) > int(m.group(2)) or int(m.group(1)) < 1:
        raise ValueError(f"a year range is written 1990-2100, not {text!r}")
    return int(m.group(1)), int(m.group(2))


def bad_character(text: str) -> str | None:
    """What is wrong with ``text`` ("nul" or "surrogate"), or None when it may be stored."""
    m = _FORBIDDEN.search(text)
    if m is None:
        return None
    return "nul" if m.group() == "\x00" else "surrogate"


def find_bad_text(value: Any, path: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """The first (field path, problem) in a parsed JSON value whose text (a key or a string) may not be
    stored, e.g. ("investors.0", "nul"); None when every text is clean."""
    if isinstance(value, str):
        problem = bad_character(value)
        return (".".join(path) or "__all__", problem) if problem else None
    if isinstance(value, dict):
        for key, item in value.items():
            key_text = str(key)
            problem = bad_character(key_text)
            if problem:
                return (".".join((*path, key_text.encode("utf-8", "replace").decode())), problem)
            found = find_bad_text(item, (*path, key_text))
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = find_bad_text(item, (*path, str(index)))
            if found:
                return found
    return None


def _clean_text(value: str) -> str:
    if bad_character(value):
        raise PydanticCustomError("text_forbidden_character", "text holds a NUL byte or a lone surrogate")
    return value


def _sane_date(value: dt.date) -> dt.date:
    first, last = limits()["DATE_RANGE"]
    if not first <= value.year <= last:
        raise PydanticCustomError(
            "date_out_of_range", "date outside {first}–{last}", {"first": first, "last": last}
        )
    return value


# The annotated types of API schemas and query parameters (re-exported by core/api.py).
PositiveId = Annotated[int, Field(ge=1, le=MAX_INT64)]
PageNumber = Annotated[int, Field(ge=1, le=MAX_INT64)]
Count = Annotated[int, Field(ge=0, le=MAX_INT64)]
FiniteDecimal = Annotated[Decimal, Field(allow_inf_nan=False, ge=-MAX_DECIMAL, le=MAX_DECIMAL)]
SaneDate = Annotated[dt.date, AfterValidator(_sane_date)]
CleanText = Annotated[str, AfterValidator(_clean_text)]


def is_unstorable_input(exc: BaseException) -> bool:
    """Whether ``exc`` is a database or driver refusing a value it cannot store (NUL in text, an integer
    beyond 64 bits, a number beyond the column). The last net under the validation above: such input is
    answered 422/400, never 500, and logged so the missing check is found."""
    from django.db import DataError

    if isinstance(exc, (OverflowError, UnicodeEncodeError, DataError)):
        return True
    return isinstance(exc, ValueError) and "NUL" in str(exc)


def parse_id(value: Any) -> int | None:
    """``value`` (an int or its text) as a row id, or None when it cannot be one (not a whole number,
    below 1 or beyond 64 bits): looking it up finds nothing, where the database would have overflowed."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    else:
        return None
    return number if 1 <= number <= MAX_INT64 else None
