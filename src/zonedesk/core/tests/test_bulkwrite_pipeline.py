"""The bulk writer: multi-row statements write every row once, in order; the writer thread keeps the
caller's transaction, its order and its failures."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from zonedesk.core.bulkwrite import Pipeline, _insert_sqlite

pytestmark = pytest.mark.django_db

MARK = "?" if connection.vendor == "sqlite" else "%s"


@pytest.fixture
def scratch():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE pipeline_scratch (a integer UNIQUE, b text)")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE pipeline_scratch")


def _rows() -> list[tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT a, b FROM pipeline_scratch ORDER BY a")
        return cursor.fetchall()


def _put(raw, a: int, b: str, seen: list[tuple[int, int]] | None = None) -> None:
    if seen is not None:
        seen.append((a, threading.get_ident()))
    raw.execute(f"INSERT INTO pipeline_scratch (a, b) VALUES ({MARK}, {MARK})", [a, b])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's multi-row statements")
@pytest.mark.parametrize("count", [1, 3, 7, 9])
def test_multi_row_statements_write_every_row_once_in_order(scratch, count):
    rows = [[n, f"第{n}行"] for n in range(1, count + 1)]
    with connection.cursor() as cursor:
        _insert_sqlite(cursor.cursor, "pipeline_scratch", '"a", "b"', 2, rows, per=3)
    assert _rows() == [(n, f"第{n}行") for n in range(1, count + 1)]


def test_writes_run_in_submission_order_inside_the_callers_transaction(scratch):
    seen: list[tuple[int, int]] = []
    with transaction.atomic(), Pipeline() as pipe:
        for n in (3, 1, 2):
            pipe.submit(_put, n, f"值{n}", seen)
    assert [a for a, _thread in seen] == [3, 1, 2]
    on_writer = {thread for _a, thread in seen} != {threading.get_ident()}
    assert on_writer is (connection.vendor == "sqlite")
    assert _rows() == [(1, "值1"), (2, "值2"), (3, "值3")]


def test_a_failed_write_is_raised_as_djangos_error_and_nothing_after_it_runs(scratch):
    seen: list[tuple[int, int]] = []
    with pytest.raises(IntegrityError), transaction.atomic(), Pipeline() as pipe:
        pipe.submit(_put, 1, "甲", seen)
        pipe.submit(_put, 1, "重复", seen)
        pipe.submit(_put, 2, "乙", seen)
        pipe.close()
    assert [a for a, _thread in seen] == [1, 1]
    assert _rows() == []  # the whole transaction rolled back, the first write included


def test_the_callers_error_stops_the_writer_before_the_rollback(scratch):
    with pytest.raises(ValueError, match="行 2 无效"), transaction.atomic(), Pipeline() as pipe:
        pipe.submit(_put, 1, "甲")
        raise ValueError("行 2 无效")
    if pipe.threaded:
        assert not pipe.thread.is_alive()
    assert _rows() == []


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="only the writer thread needs the caller's transaction"
)
@pytest.mark.django_db(transaction=True)
def test_a_pipeline_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        Pipeline()
