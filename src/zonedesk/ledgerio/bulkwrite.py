"""Inserting many rows of a model at once, for the import's write step.

``bulk_create`` builds a model instance per row and prepares every field of every row through the
field classes: for 100 000 projects with their history that is most of a minute. Here a row is a
dict of the values the import sets (attname → Python value); the rest of the row comes from the
model's defaults, computed once, and each value is adapted by the field's type only. On SQLite the
rows go in through ``executemany`` with primary keys allocated in the open write transaction; on
other databases through ``bulk_create`` (which returns the keys).

Nothing here validates: the importer has checked every value against the model's limits already.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

BATCH = 5000


class _Raw(str):
    """JSON text already serialised (the history rows build theirs once per row)."""


def raw_json(text: str) -> _Raw:
    return _Raw(text)


def _plain_default(f: models.Field) -> Any:
    value = f.get_default()  # "" for a string field without a default, as a model instance gets
    if isinstance(value, str):
        return str(value)  # TextChoices members are str subclasses the driver may refuse
    return value


def fast_path() -> bool:
    return connection.vendor == "sqlite"


def insert(model: Any, rows: Sequence[dict[str, Any]], *, with_ids: bool = True) -> list[int]:
    """Insert ``rows`` (attname → value) into ``model``'s table; the new primary keys in row order."""
    if not rows:
        return []
    if not fast_path():
        objs = [model(**{k: json.loads(v) if isinstance(v, _Raw) else v for k, v in row.items()}) for row in rows]
        model.objects.bulk_create(objs, batch_size=1000)
        return [o.pk for o in objs]
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    pk = model._meta.pk
    stamp = connection.ops.adapt_datetimefield_value(now)
    template: list[Any] = []
    adapt: dict[int, Any] = {}
    for i, f in enumerate(fields):
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            template.append(stamp)
            continue
        default = _plain_default(f)
        if isinstance(f, models.JSONField):
            adapt[i] = _json
            default = _json(default)
        elif isinstance(f, models.DateTimeField):
            adapt[i] = lambda v: connection.ops.adapt_datetimefield_value(v)
        elif isinstance(f, models.DateField):
            adapt[i] = _date
            default = _date(default)
        elif isinstance(f, models.TimeField):
            adapt[i] = lambda v: connection.ops.adapt_timefield_value(v)
        template.append(default)
    index = {f.attname: i for i, f in enumerate(fields)}
    ids: list[int] = []
    with connection.cursor() as cursor:
        start = 1
        if with_ids:
            cursor.execute(f'SELECT MAX("{pk.column}") FROM "{model._meta.db_table}"')
            start = (cursor.fetchone()[0] or 0) + 1
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table])
            found = cursor.fetchone()
            if found and found[0] is not None:
                start = max(start, found[0] + 1)
            ids = list(range(start, start + len(rows)))
        columns = ([f'"{pk.column}"'] if with_ids else []) + [f'"{f.column}"' for f in fields]
        sql = (
            f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) '
            f'VALUES ({", ".join(["%s"] * len(columns))})'
        )
        batch: list[list[Any]] = []
        for n, row in enumerate(rows):
            values = template.copy()
            for att, value in row.items():
                i = index[att]
                if value is not None and i in adapt:
                    value = adapt[i](value)
                values[i] = value
            if with_ids:
                values.insert(0, start + n)
            batch.append(values)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    return ids


def _json(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, _Raw):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _date(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat()
