"""The life of an uploaded ledger file outside a successful import: refused at the door, marked failed
once, removed when left pending or failed for ``ZONEDESK_UPLOAD_RETENTION_DAYS``.

The limits themselves live in ``core.uploads`` (shared with intake); this module applies them to the
ledger upload and keeps the batch's record, with history, for each of those steps.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zonedesk.core.audit import acting_as, log_change, snapshot
from zonedesk.core.uploads import Package, check_upload_size, upload_limits

from .models import ImportBatch
from .reader import _MAGIC_XLSX

DEFAULT_RETENTION_DAYS = 7
_KEPT = ["status", "error_message", "file"]


def _snapshot(batch: ImportBatch, fields: list[str] | None = None) -> dict[str, Any]:
    data = snapshot(batch, fields)
    if "file" in data:
        data["file"] = batch.file.name or ""  # a FieldFile: its stored name
    return data


def retention_days() -> int:
    return int(getattr(settings, "ZONEDESK_UPLOAD_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def check_size(size: int) -> None:
    """Refuse a ledger upload over the size limit before a byte of it is read."""
    check_upload_size(size, upload_limits().ledger_upload_bytes)


def check_package(data: bytes) -> None:
    """For an .xlsx, what its zip directory says (member count, declared sizes and ratios), before
    anything is decompressed; the rest is checked as it is read."""
    if data.startswith(_MAGIC_XLSX):
        import zipfile

        try:
            Package(data).close()
        except zipfile.BadZipFile:
            return  # damaged: the reader says so in its own words when the batch is previewed


def batch_record_refused(
    *, user: Any, zone: Any, file_name: str, sha256: str, sheet: str, message: str
) -> ImportBatch:
    """A batch for an upload refused before it was stored: failed, with its message, no file."""
    with acting_as(user, source="web"), transaction.atomic():
        batch = ImportBatch.objects.create(
            user=user,
            zone=zone,
            file_name=file_name[:255],
            file_sha256=sha256,
            sheet=sheet,
            status=ImportBatch.FAILED,
            error_message=message,
        )
        log_change(batch, "create", None, _snapshot(batch), note=f"上传被拒绝：{message}")
    return batch


def batch_mark_failed(batch: ImportBatch, *, user: Any, message: str) -> ImportBatch:
    """Mark a pending batch whose file cannot be read as failed, once; its page shows ``message``
    from then on and never parses the file again."""
    with acting_as(user, source="web"), transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.PENDING:
            return locked
        before = _snapshot(locked, _KEPT)
        locked.status = ImportBatch.FAILED
        locked.error_message = message
        locked.save(update_fields=["status", "error_message"])
        log_change(locked, "update", before, _snapshot(locked, _KEPT), note=f"文件读取失败：{message}")
    return locked


@dataclass(frozen=True)
class Removed:
    batch: int
    status: str
    file_name: str
    file: str  # the stored file's name, "" when none was kept
    created_at: dt.datetime


def uploads_cleanup(
    *, now: dt.datetime | None = None, days: int | None = None, dry_run: bool = False
) -> list[Removed]:
    """Remove pending and failed batches uploaded more than ``days`` ago, and their files.

    Applied and undone batches are the record of what an import wrote: they are kept. Each removal is
    a history row (source "job"), written before the row and its file go.
    """
    now = now or timezone.now()
    days = retention_days() if days is None else days
    cutoff = now - dt.timedelta(days=days)
    stale = ImportBatch.objects.filter(
        status__in=[ImportBatch.PENDING, ImportBatch.FAILED], created_at__lt=cutoff
    ).order_by("created_at", "pk")
    removed = [Removed(b.pk, b.status, b.file_name, b.file.name or "", b.created_at) for b in stale]
    if dry_run or not removed:
        return removed
    with acting_as(None, source="job", label="cleanup uploads"):
        for item in removed:
            with transaction.atomic():
                batch = ImportBatch.objects.select_for_update().filter(pk=item.batch).first()
                if batch is None or batch.status not in (ImportBatch.PENDING, ImportBatch.FAILED):
                    continue  # applied meanwhile: kept
                note = f"超过 {days} 天未导入的上传（{batch.get_status_display()}），已删除记录及文件"
                log_change(batch, "delete", _snapshot(batch), None, note=note)
                name = batch.file.name
                storage = batch.file.storage
                batch.delete()
                if name:
                    transaction.on_commit(functools.partial(storage.delete, name))
    return removed
