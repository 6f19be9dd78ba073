"""Inserting many rows of a model at once, for the import's write step.

``bulk_create`` builds a model instance per row and prepares every field of every row through the
field classes: for 100 000 projects with their history that is most of a minute on SQLite and two on
PostgreSQL. Here a row is a list in the table's column order: the model's defaults, prepared once,
with the values the import sets put in place. Primary keys are allocated first (SQLite: above the
table's highest id and its AUTOINCREMENT counter, inside the open write transaction; PostgreSQL:
from the table's sequence), so the caller knows them before the write, and the rows go in through
``executemany`` (SQLite) or ``COPY … FROM STDIN`` (PostgreSQL).

Values are passed as the database takes them: dates as ISO text, JSON as its text (see ``raw_json``),
Decimals as Decimals or as their text. Nothing here validates: the importer has checked every value
against the model's limits already.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.utils import timezone

BATCH = 5000
INDEX_REBUILD_MIN = 10_000  # rows loaded at once before indexes_built_after drops and rebuilds


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
    """True where rows are written as lists (SQLite, PostgreSQL); elsewhere through bulk_create."""
    return connection.vendor in {"sqlite", "postgresql"}


class Table:
    """One model's table, for rows built as lists in column order (primary key not included).

    ``fixed`` values are shared by every row (the actor of a history row, say): prepared once.
    Auto-now timestamps are the time the Table was made.
    """

    def __init__(self, model: Any, *, fixed: dict[str, Any] | None = None) -> None:
        self.model = model
        self.table = model._meta.db_table
        self.pk = model._meta.pk
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        self.adapt: dict[int, Any] = {}
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        template: list[Any] = []
        for i, f in enumerate(self.fields):
            if isinstance(f, models.JSONField):
                self.adapt[i] = _json
            elif isinstance(f, models.DateTimeField):
                self.adapt[i] = connection.ops.adapt_datetimefield_value
            elif isinstance(f, models.DateField):
                self.adapt[i] = _date
            elif isinstance(f, models.TimeField):
                self.adapt[i] = connection.ops.adapt_timefield_value
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                template.append(now)
            else:
                template.append(self.prepared(i, _plain_default(f)))
        for att, value in (fixed or {}).items():
            i = self.index[att]
            template[i] = self.prepared(i, value)
        self.template = template

    def prepared(self, i: int, value: Any) -> Any:
        """A Python value for column ``i`` as the database takes it."""
        return self.adapt[i](value) if value is not None and i in self.adapt else value

    def new(self) -> list[Any]:
        """A row of defaults (and fixed values), to set the row's own values in."""
        return self.template.copy()

    def from_dict(self, row: dict[str, Any]) -> list[Any]:
        values = self.template.copy()
        index, adapt = self.index, self.adapt
        for att, value in row.items():
            i = index[att]
            values[i] = adapt[i](value) if value is not None and i in adapt else value
        return values

    def allocate(self, count: int) -> list[int]:
        """``count`` new primary keys, in order, for rows written with them."""
        if count <= 0:
            return []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [f'"{self.table}"', self.pk.column, count],
                )
                return sorted(pk for (pk,) in cursor.fetchall())
            cursor.execute(f'SELECT MAX("{self.pk.column}") FROM "{self.table}"')
            start = (cursor.fetchone()[0] or 0) + 1
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
            found = cursor.fetchone()
            if found and found[0] is not None:
                start = max(start, found[0] + 1)  # ids of deleted rows are never handed out again
        return list(range(start, start + count))

    def write(self, rows: Sequence[list[Any]], ids: Sequence[int] | None = None) -> None:
        """Insert ``rows`` (lists from ``new``/``from_dict``), with ``ids`` as their primary keys
        (from ``allocate``) or, without, keys the database picks."""
        if not rows:
            return
        columns = ([self.pk.column] if ids is not None else []) + [f.column for f in self.fields]
        names = ", ".join(f'"{c}"' for c in columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the driver's cursor: no per-statement wrapping
            if connection.vendor == "postgresql":
                with raw.copy(f'COPY "{self.table}" ({names}) FROM STDIN') as copy:
                    if ids is not None:
                        for pk, row in zip(ids, rows):
                            copy.write_row([pk, *row])
                    else:
                        for row in rows:
                            copy.write_row(row)
                return
            sql = f'INSERT INTO "{self.table}" ({names}) VALUES ({", ".join(["?"] * len(columns))})'
            if ids is not None:
                rows = [[pk, *row] for pk, row in zip(ids, rows)]
            for start in range(0, len(rows), BATCH):
                raw.executemany(sql, rows[start : start + BATCH])


def insert(
    model: Any, rows: Sequence[dict[str, Any]], *, with_ids: bool = True, fixed: dict[str, Any] | None = None
) -> list[int]:
    """Insert ``rows`` (attname → value) into ``model``'s table; the new primary keys in row order
    (none when ``with_ids`` is False: the database numbers them)."""
    if not rows:
        return []
    if not fast_path():
        shared = {k: json.loads(v) if isinstance(v, _Raw) else v for k, v in (fixed or {}).items()}
        objs = [
            model(**shared, **{k: json.loads(v) if isinstance(v, _Raw) else v for k, v in row.items()}) for row in rows
        ]
        model.objects.bulk_create(objs, batch_size=1000)
        return [o.pk for o in objs]
    table = Table(model, fixed=fixed)
    ids = table.allocate(len(rows)) if with_ids else None
    table.write([table.from_dict(row) for row in rows], ids)
    return list(ids or [])


@contextmanager
def indexes_built_after(model: Any, incoming: int) -> Iterator[None]:
    """Load ``incoming`` rows into ``model``'s table with its secondary indexes dropped, then build
    them again, inside the caller's transaction (SQLite only).

    Each new row costs one B-tree insertion per index (Project has 17); building an index from the
    finished table is a sort, several times cheaper per row. Worth it only when the load is at least
    as large as what the table holds already (the build reads every row); otherwise nothing changes.
    Unique indexes stay (they are checks, and must fail on the row that breaks them). The indexes
    come back from their own CREATE statements, so the schema after the commit is the one before;
    if the load fails, the rollback restores them as well.
    """
    if connection.vendor != "sqlite" or incoming < INDEX_REBUILD_MIN:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_built_after must run inside a transaction")
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT MAX(rowid) FROM "{table}"')
        held = cursor.fetchone()[0] or 0
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL "
            "AND upper(sql) NOT LIKE 'CREATE UNIQUE%%' ORDER BY rowid",
            [table],
        )
        indexes = cursor.fetchall()
    if held > incoming or not indexes:
        yield
        return
    with connection.cursor() as cursor:
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)


def _json(value: Any) -> Any:
    if isinstance(value, _Raw):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _date(value: Any) -> Any:
    if isinstance(value, str):
        return value  # already ISO text
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat()
