"""An applied or undone import leaves one log event naming the batch, its zone, who, and what it did."""

from __future__ import annotations

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zonedesk.core.models import ObjectChange
from zonedesk.ledgerio.importer import ImportRefused, apply_import, undo_import
from zonedesk.ledgerio.models import ImportBatch
from zonedesk.testing.logs import json_log_lines

from .zone_ledgers import messy_rows, messy_zone_workbook


def _events(caplog, name):
    return [r for r in caplog.records if r.name == "zonedesk.ledgerio" and r.message == name]


def test_applying_an_import_logs_the_batch_and_its_counts(world, caplog):
    caplog.set_level(logging.INFO, logger="zonedesk")
    _plan, batch = apply_import(
        messy_zone_workbook(), user=world.officer_a, zone=world.zone_a, file_name="台账.xlsx", source="cli"
    )
    [event] = _events(caplog, "import.applied")
    assert event.levelname == "INFO"
    assert {k: getattr(event, k) for k in ("batch", "zone", "user", "source", "request_id")} == {
        "batch": batch.pk,
        "zone": world.zone_a.pk,
        "user": "officer_a",
        "source": "cli",
        "request_id": batch.request_id,
    }
    assert (event.rows_created, event.rows_updated, event.rows_unchanged, event.rows_errors) == (3, 0, 0, 0)
    # The id joins the line to the history rows the import wrote.
    import_rows = ObjectChange.objects.filter(source="import")
    assert import_rows.filter(content_type__model="project", action="create").count() == 3
    assert set(import_rows.values_list("request_id", flat=True)) == {batch.request_id}


def test_undoing_an_import_logs_what_it_deleted_and_restored(world, caplog):
    _plan, batch = apply_import(messy_zone_workbook(), user=world.officer_a, zone=world.zone_a)
    caplog.set_level(logging.INFO, logger="zonedesk")
    undo_import(batch, user=world.officer_a)
    [event] = _events(caplog, "import.undone")
    undo_rows = ObjectChange.objects.filter(note__startswith="撤销台账导入")
    assert {k: getattr(event, k) for k in ("batch", "zone", "user", "source")} == {
        "batch": batch.pk,
        "zone": world.zone_a.pk,
        "user": "officer_a",
        "source": "web",
    }
    assert (event.projects_deleted, event.projects_restored) == (3, 0)
    assert {c.request_id for c in undo_rows} == {event.request_id}


def test_a_refused_import_logs_no_applied_event(world, caplog):
    caplog.set_level(logging.INFO, logger="zonedesk")
    rows = messy_rows()
    rows[3][11] = "不存在的招商局"  # 责任单位 of row 8
    with pytest.raises(ImportRefused):
        apply_import(messy_zone_workbook(rows), user=world.officer_a, zone=world.zone_a)
    assert _events(caplog, "import.applied") == []


def test_an_import_applied_from_the_page_logs_the_requests_id_user_and_route(
    world, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(world.officer_a)
    client.post(
        reverse("ledgerio:upload"),
        {"zone": world.zone_a.pk, "file": SimpleUploadedFile("台账.xlsx", messy_zone_workbook())},
    )
    batch = ImportBatch.objects.get()
    with json_log_lines() as lines:
        response = client.post(reverse("ledgerio:apply", args=[batch.pk]))
    batch.refresh_from_db()
    [event] = [x for x in lines if x["message"] == "import.applied"]
    assert event["request_id"] == batch.request_id == response["X-Request-ID"]
    assert (event["user"], event["route"], event["source"], event["rows_created"]) == (
        "officer_a",
        "ledger-io/batches/<int:pk>/apply/",
        "web",
        3,
    )
