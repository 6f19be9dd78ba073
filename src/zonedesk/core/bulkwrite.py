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

import contextlib
import datetime as dt
import itertools
import json
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.utils import timezone

STATEMENT_PARAMETERS = 6000  # values bound per multi-row INSERT on SQLite (see _insert_sqlite)
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

    def write(
        self, rows: Sequence[list[Any]], ids: Sequence[int] | None = None, *, via: Pipeline | None = None
    ) -> None:
        """Insert ``rows`` (lists from ``new``/``from_dict``), with ``ids`` as their primary keys
        (from ``allocate``) or, without, keys the database picks; through ``via`` when given."""
        if not rows:
            return
        if via is not None:
            via.submit(self.write_with, rows, ids)
            return
        with connection.cursor() as cursor:
            self.write_with(cursor.cursor, rows, ids)  # the driver's cursor: no per-statement wrapping

    def write_with(self, raw: Any, rows: Sequence[list[Any]], ids: Sequence[int] | None = None) -> None:
        """``write`` on the driver's own cursor ``raw``."""
        columns = ([self.pk.column] if ids is not None else []) + [f.column for f in self.fields]
        names = ", ".join(f'"{c}"' for c in columns)
        if connection.vendor == "postgresql":
            with raw.copy(f'COPY "{self.table}" ({names}) FROM STDIN') as copy:
                if ids is not None:
                    for pk, row in zip(ids, rows):
                        copy.write_row([pk, *row])
                else:
                    for row in rows:
                        copy.write_row(row)
            return
        if ids is not None:
            rows = [[pk, *row] for pk, row in zip(ids, rows)]
        _insert_sqlite(raw, self.table, names, len(columns), rows)


class Pipeline:
    """Writes handed to a second thread, so the database's work runs beside the Python that builds
    the next rows (SQLite; elsewhere each write runs at once, in the caller's thread).

    SQLite does its share of an insert (B-trees, constraints, pages) with the GIL released; with
    multi-row statements (``_insert_sqlite``) the writer thread holds the GIL only to bind values.
    The writer uses the caller's own sqlite3 connection, inside the caller's open transaction, so
    everything stays one transaction: a failure on either side rolls all of it back. While the
    pipeline is open the caller makes no other use of the connection; ``close`` (or leaving the
    ``with`` block) waits for every write and raises the first write's failure as Django would.
    At most ``depth`` writes wait in the queue: the rows built ahead are bounded.
    """

    def __init__(self, depth: int = 2) -> None:
        self.threaded = connection.vendor == "sqlite"
        self.failure: BaseException | None = None
        if not self.threaded:
            return
        if not connection.in_atomic_block:
            raise RuntimeError("a Pipeline writes inside the caller's transaction")
        self.raw = connection.connection
        self.queue: queue.Queue[tuple[Callable[..., None], tuple[Any, ...]] | None] = queue.Queue(
            maxsize=depth
        )
        self.thread = threading.Thread(target=self._work, name="zonedesk-bulk-writer", daemon=True)
        self.thread.start()

    def _work(self) -> None:
        cursor = self.raw.cursor()
        try:
            while (item := self.queue.get()) is not None:
                if self.failure is None:  # after a failure the rest is only drained
                    fn, args = item
                    try:
                        fn(cursor, *args)
                    except BaseException as exc:  # noqa: BLE001 — handed to the caller's thread by _raise
                        self.failure = exc
        finally:
            cursor.close()

    def submit(self, fn: Callable[..., None], *args: Any) -> None:
        """Run ``fn(driver_cursor, *args)`` on the writer thread, after the writes submitted before."""
        if not self.threaded:
            with connection.cursor() as cursor, connection.wrap_database_errors:
                fn(cursor.cursor, *args)
            return
        self._raise()
        self.queue.put((fn, args))

    def close(self) -> None:
        if self.threaded and self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        self._raise()

    def _raise(self) -> None:
        if self.failure is not None:
            failure, self.failure = self.failure, None
            with connection.wrap_database_errors:  # sqlite3's IntegrityError → Django's, as a query would
                raise failure

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        if kind is None:
            self.close()
            return
        # The writer stops before the caller's error rolls the transaction back; the caller's own
        # error is the one to report.
        with contextlib.suppress(Exception):
            self.close()


def _insert_sqlite(
    raw: Any, table: str, names: str, width: int, rows: Sequence[list[Any]], per: int | None = None
) -> None:
    """Rows as multi-row INSERT statements, as many rows per statement as SQLite's parameter limit lets.

    One statement step per few hundred rows instead of one per row: faster, and the sqlite3 module
    releases the GIL for each step, so on a writer thread (see ``Pipeline``) the database's own work
    runs beside Python's for long stretches instead of handing the GIL back and forth per row.
    """
    if per is None:
        # Few statements: on a writer thread each one's step is a wait for the GIL afterwards. Not
        # too long either: each prepared statement stays in the driver's cache, its program growing
        # with its parameters (at SQLite's limit of 32 766, a 100 000-row import's peak memory rose by 70 MB).
        limit = raw.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        per = max(1, min(limit, STATEMENT_PARAMETERS) // width)
    one = "(" + ", ".join(["?"] * width) + ")"
    head = f'INSERT INTO "{table}" ({names}) VALUES '
    full = len(rows) - len(rows) % per
    if full:
        sql = head + ", ".join([one] * per)
        flat = itertools.chain.from_iterable
        for start in range(0, full, per):
            raw.execute(sql, list(flat(rows[start : start + per])))
    if full < len(rows):
        rest = rows[full:]
        raw.execute(head + ", ".join([one] * len(rest)), list(itertools.chain.from_iterable(rest)))


def insert(
    model: Any,
    rows: Sequence[dict[str, Any]],
    *,
    with_ids: bool = True,
    fixed: dict[str, Any] | None = None,
    via: Pipeline | None = None,
) -> list[int]:
    """Insert ``rows`` (attname → value) into ``model``'s table; the new primary keys in row order
    (none when ``with_ids`` is False: the database numbers them). Through ``via`` when given (then
    without ids: allocating them is a query of its own)."""
    if not rows:
        return []
    if not fast_path():
        shared = {k: json.loads(v) if isinstance(v, _Raw) else v for k, v in (fixed or {}).items()}
        objs = [
            model(**shared, **{k: json.loads(v) if isinstance(v, _Raw) else v for k, v in row.items()})
            for row in rows
        ]
        model.objects.bulk_create(objs, batch_size=1000)
        return [o.pk for o in objs]
    table = Table(model, fixed=fixed)
    if via is not None and with_ids:
        raise ValueError("ids are allocated before a pipeline's writes, not through it")
    ids = table.allocate(len(rows)) if with_ids else None
    table.write([table.from_dict(row) for row in rows], ids, via=via)
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
