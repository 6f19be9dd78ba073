"""Imports under concurrency: one zone's imports run one at a time, and a stored batch applies at most once.

The parallel tests run on PostgreSQL (threads, each with its own connection, on a transactional
test database); SQLite serialises writers by its IMMEDIATE transactions, tested here sequentially.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, connections
from django.urls import reverse

from zonedesk.core.models import ObjectChange
from zonedesk.ledgerio.importer import ImportRefused, apply_import, file_sha256
from zonedesk.ledgerio.models import ImportBatch
from zonedesk.projects.models import Project

from .zone_ledgers import simple_rows, simple_workbook

ROWS = 30
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel writers: PostgreSQL (SQLite has one writer)"
)


def _in_threads(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run ``jobs`` at once, each in a thread with its own connection; returns each result or exception."""
    results: list[Any] = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = jobs[i]()
        except Exception as exc:  # noqa: BLE001 - the test looks at what each thread met
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _pending_batch(world, data: bytes) -> ImportBatch:
    batch = ImportBatch(
        user=world.officer_a, zone=world.zone_a, file_name="台账.xlsx", file_sha256=file_sha256(data)
    )
    batch.file.save("concurrency-台账.xlsx", ContentFile(data), save=False)
    batch.save()
    return batch


def _creations(zone) -> int:
    ct = ContentType.objects.get_for_model(Project)
    ids = Project.objects.filter(zone=zone).values_list("pk", flat=True)
    return ObjectChange.objects.filter(content_type=ct, action="create", object_id__in=list(ids)).count()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_three_parallel_imports_of_one_file_create_one_set_of_projects(world):
    data = simple_workbook(simple_rows(ROWS))

    def one_import() -> dict[str, int]:
        plan, _batch = apply_import(
            data, user=world.officer_a, zone=world.zone_a, file_name="台账.xlsx", reindex=False
        )
        return plan.counts

    results = _in_threads([one_import, one_import, one_import])
    assert not [r for r in results if isinstance(r, Exception)]
    assert sorted(r["created"] for r in results) == [0, 0, ROWS]
    assert sorted(r["unchanged"] for r in results) == [0, ROWS, ROWS]
    names = list(Project.objects.filter(zone=world.zone_a).values_list("name", flat=True))
    assert len(names) == ROWS and len(set(names)) == ROWS
    assert sorted(names) == sorted(f"测试导入项目{i}" for i in range(1, ROWS + 1))
    assert _creations(world.zone_a) == ROWS
    assert ImportBatch.objects.filter(status=ImportBatch.APPLIED).count() == 3


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_double_apply_of_one_batch_in_parallel_applies_it_once(world):
    data = simple_workbook(simple_rows(ROWS))
    batch = _pending_batch(world, data)

    def apply_click() -> ImportBatch:
        # Each click holds the batch as its request read it: still pending.
        copy = ImportBatch.objects.get(pk=batch.pk)
        return apply_import(
            data, user=world.officer_a, zone=world.zone_a, file_name="台账.xlsx", batch=copy, reindex=False
        )[1]

    results = _in_threads([apply_click, apply_click])
    refused = [r for r in results if isinstance(r, ImportRefused)]
    applied = [r for r in results if isinstance(r, ImportBatch)]
    assert len(applied) == 1 and len(refused) == 1
    assert refused[0].message == f"批次 #{batch.pk} 已处理过（已导入），不能重复导入；未写入任何数据"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.APPLIED and batch.created_count == ROWS
    assert Project.objects.filter(zone=world.zone_a).count() == ROWS
    assert _creations(world.zone_a) == ROWS
    assert ImportBatch.objects.count() == 1


def test_a_batch_held_as_pending_by_a_second_click_is_refused_and_writes_nothing(world):
    data = simple_workbook(simple_rows(3))
    batch = _pending_batch(world, data)
    stale = ImportBatch.objects.get(pk=batch.pk)  # the second click read it before the first applied
    apply_import(data, user=world.officer_a, zone=world.zone_a, batch=batch, reindex=False)
    before = ObjectChange.objects.count()
    with pytest.raises(ImportRefused) as refused:
        apply_import(data, user=world.officer_a, zone=world.zone_a, batch=stale, reindex=False)
    assert refused.value.message == f"批次 #{batch.pk} 已处理过（已导入），不能重复导入；未写入任何数据"
    assert ObjectChange.objects.count() == before
    assert Project.objects.filter(zone=world.zone_a).count() == 3
    batch.refresh_from_db()
    assert batch.status == ImportBatch.APPLIED and batch.created_count == 3


def test_second_click_on_apply_page_says_so_in_chinese_and_writes_nothing(world, client):
    data = simple_workbook(simple_rows(3))
    batch = _pending_batch(world, data)
    client.force_login(world.officer_a)
    client.post(reverse("ledgerio:apply", args=[batch.pk]))
    before = ObjectChange.objects.count()
    response = client.post(reverse("ledgerio:apply", args=[batch.pk]), follow=True)
    assert "该批次已处理过，不能重复导入" in response.content.decode()
    assert ObjectChange.objects.count() == before
    assert Project.objects.filter(zone=world.zone_a).count() == 3


def test_importing_a_file_again_after_it_was_applied_updates_nothing_and_creates_nothing(world):
    data = simple_workbook(simple_rows(3))
    apply_import(data, user=world.officer_a, zone=world.zone_a, reindex=False)
    plan, _ = apply_import(data, user=world.officer_a, zone=world.zone_a, reindex=False)
    assert (plan.counts["created"], plan.counts["unchanged"]) == (0, 3)
    assert Project.objects.filter(zone=world.zone_a).count() == 3
