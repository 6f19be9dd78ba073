"""Hostile ledgers: each bomb refused for the right limit, with its message, under the memory bound;
on the pages, a refused upload is recorded failed once and never parsed again."""

from __future__ import annotations

import datetime as dt
import functools
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zonedesk.cli import main
from zonedesk.core.models import ObjectChange
from zonedesk.core.uploads import MB, UploadRefused
from zonedesk.ledgerio.models import ImportBatch
from zonedesk.ledgerio.reader import read_workbook
from zonedesk.ledgerio.uploads import uploads_cleanup
from zonedesk.testing import hostile

from .zone_ledgers import messy_zone_workbook

BOUND = 300 * MB  # the stated bound: the server grows by less than this on any bomb (README)


@functools.cache
def bomb(name: str) -> bytes:
    return {
        "xlsx_3gb": lambda: hostile.xlsx_expanding(3),
        "xlsx_lying_header": lambda: hostile.xlsx_expanding(1, lie_to=50 * MB),
        "one_row_inline_cell": lambda: hostile.xlsx_huge_cell(1_000_000),
        "one_row_shared_cell": lambda: hostile.xlsx_huge_cell(1_000_000, shared=True),
        "one_row_20mb": lambda: hostile.xlsx_huge_cell(20_000_000),
        "wide_row": lambda: hostile.xlsx_wide_row(501),
        "nested": hostile.xlsx_nested,
        "billion_laughs": hostile.xlsx_with_dtd,
        "members": hostile.zip_members,
        "csv_rows": hostile.csv_rows,
    }[name]()


BOMBS = [
    ("xlsx_3gb", "package", "解压后超过 300 MB 上限（本文件解压后约 3 GB）"),
    ("xlsx_lying_header", "row_bytes", "工作表“Sheet1”第2行的数据超过 16 MB 上限（单行过大，疑似异常文件）"),
    ("one_row_inline_cell", "cell", "工作表“Sheet1”第1行 A列的文字超过 32767 字上限（约 1000000 字）"),
    ("one_row_shared_cell", "cell", "共享字符串第1条的文字超过 32767 字上限（约 1000000 字）"),
    ("one_row_20mb", "row_bytes", "工作表“Sheet1”第1行的数据超过 16 MB 上限（单行过大，疑似异常文件）"),
    ("wide_row", "columns", "工作表“Sheet1”第1行超过 500 列上限（该行有 501 列）"),
    ("nested", "xml_depth", "文件中的“xl/workbook.xml” XML 嵌套层数过深，超过解析器上限"),
    (
        "billion_laughs",
        "xml_dtd",
        "文件中的“xl/workbook.xml”含有 DTD 或实体声明（<!DOCTYPE>），出于安全原因不予读取",
    ),
    ("members", "members", "压缩包内文件数超过 1000 个上限（本文件 100000 个）"),
    ("csv_rows", "rows", "超过 200000 行上限（已读到工作表“CSV”第200001行）"),
]


@pytest.mark.parametrize(("name", "limit", "message"), BOMBS, ids=[b[0] for b in BOMBS])
def test_each_bomb_is_refused_for_its_limit_under_the_memory_bound(name, limit, message):
    data = bomb(name)
    with hostile.measure() as used, pytest.raises(UploadRefused) as caught:
        read_workbook(data)
    assert (caught.value.limit, caught.value.message, caught.value.status) == (limit, message, 422)
    assert used.peak_bytes < BOUND and used.rss_delta_bytes < BOUND


def test_the_sizes_of_the_bombs_are_what_they_claim():
    import zipfile

    assert len(bomb("xlsx_3gb")) < 4 * MB
    sheet = zipfile.ZipFile(__import__("io").BytesIO(bomb("xlsx_3gb"))).getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size > 3 * 1024 * MB
    assert bomb("csv_rows").count(b"\n") > 2_000_000 and len(bomb("csv_rows")) <= 10 * MB


def test_an_honest_ledger_at_the_limits_is_read(settings):
    settings.ZONEDESK_UPLOAD_LIMITS = {"ROWS": 5001}
    [table] = read_workbook(hostile.xlsx_rows(5000))  # 5000 rows below the header: 5001 in all
    assert len(table.rows) == 5000


# --------------------------------------------------------------------------- the pages


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client, world, data, name="台账.xlsx"):
    return client.post(
        reverse("ledgerio:upload"), {"zone": world.zone_a.pk, "file": SimpleUploadedFile(name, data)}
    )


def test_an_upload_over_the_size_limit_is_refused_413_and_recorded_without_its_file(world, client, settings):
    settings.ZONEDESK_UPLOAD_LIMITS = {"LEDGER_UPLOAD_MB": 1}
    client.force_login(world.officer_a)
    response = _upload(client, world, b"x" * (MB + MB // 2), "大.csv")
    assert response.status_code == 413
    assert "大.csv：文件大小超过 1 MB 上限（本文件 1.5 MB）" in response.content.decode()
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.error_message, batch.file.name, batch.file_sha256) == (
        "failed",
        "文件大小超过 1 MB 上限（本文件 1.5 MB）",
        "",
        "",
    )


def test_a_zip_with_100000_members_is_refused_422_at_the_upload(world, client):
    client.force_login(world.officer_a)
    response = _upload(client, world, bomb("members"))
    assert response.status_code == 422
    assert "台账.xlsx：压缩包内文件数超过 1000 个上限（本文件 100000 个）" in response.content.decode()
    assert ImportBatch.objects.get().status == "failed"


def test_a_3gb_workbook_is_refused_at_the_upload(world, client):
    client.force_login(world.officer_a)
    response = _upload(client, world, bomb("xlsx_3gb"))
    assert response.status_code == 422
    assert "解压后超过 300 MB 上限（本文件解压后约 3 GB）" in response.content.decode()


def test_a_bomb_found_while_reading_marks_the_batch_failed_once_and_is_never_parsed_again(
    world, client, monkeypatch
):
    client.force_login(world.officer_a)
    response = _upload(client, world, bomb("one_row_inline_cell"))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == "pending"
    page = client.get(reverse("ledgerio:batch", args=[batch.pk]))
    message = "工作表“Sheet1”第1行 A列的文字超过 32767 字上限（约 1000000 字）"
    assert page.status_code == 200 and message in page.content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.error_message) == ("failed", message)
    [change] = ObjectChange.objects.filter(object_id=batch.pk, content_type__model="importbatch")
    assert (change.action, change.source, change.changes["status"]) == (
        "update",
        "web",
        ["pending", "failed"],
    )

    def parse(*args, **kwargs):
        raise AssertionError("a failed batch must not be parsed again")

    monkeypatch.setattr("zonedesk.ledgerio.importer.read_workbook", parse)
    again = client.get(reverse("ledgerio:batch", args=[batch.pk])).content.decode()
    assert message in again and "读取失败" in again and "确认导入" not in again
    client.post(reverse("ledgerio:apply", args=[batch.pk]))
    annotated = client.get(reverse("ledgerio:annotated", args=[batch.pk]))
    assert annotated.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "failed"
    assert ObjectChange.objects.filter(object_id=batch.pk, content_type__model="importbatch").count() == 1


def test_the_csv_of_two_million_rows_fails_on_its_batch_page(world, client):
    client.force_login(world.officer_a)
    _upload(client, world, bomb("csv_rows"), "行.csv")
    batch = ImportBatch.objects.get()
    with hostile.measure() as used:
        page = client.get(reverse("ledgerio:batch", args=[batch.pk])).content.decode()
    assert "超过 200000 行上限（已读到工作表“行”第200001行）" in page
    assert used.peak_bytes < BOUND
    batch.refresh_from_db()
    assert batch.status == "failed"


def test_the_command_line_refuses_a_bomb_with_the_message(world, tmp_path, capsys):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb("nested"))
    assert main(["import", str(path), "--zone", "长治高新区", "--user", "officer_a"]) == 1
    assert "文件中的“xl/workbook.xml” XML 嵌套层数过深，超过解析器上限" in capsys.readouterr().err


# --------------------------------------------------------------------------- cleanup


def _batch(world, status, days_ago, now, *, with_file=True):
    from django.core.files.base import ContentFile

    from zonedesk.core.audit import acting_as

    batch = ImportBatch(
        user=world.officer_a, zone=world.zone_a, file_name=f"{status}.xlsx", file_sha256="0" * 64
    )
    batch.status = status
    if with_file:
        batch.file.save(f"{status}-{days_ago}.xlsx", ContentFile(b"data"), save=False)
    with acting_as(world.officer_a, source="test"):
        batch.save()
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=now - dt.timedelta(days=days_ago))
    return ImportBatch.objects.get(pk=batch.pk)


def test_cleanup_removes_old_pending_and_failed_uploads_and_their_files_with_history(world):
    now = timezone.make_aware(dt.datetime(2026, 12, 4, 12, 0))
    old_pending = _batch(world, "pending", 8, now)
    old_failed = _batch(world, "failed", 30, now)
    recent = _batch(world, "pending", 6, now)
    applied = _batch(world, "applied", 400, now)
    storage = old_pending.file.storage
    paths = {b.pk: b.file.name for b in (old_pending, old_failed, recent, applied)}

    planned = uploads_cleanup(now=now, dry_run=True)
    assert [r.batch for r in planned] == [old_failed.pk, old_pending.pk]
    assert ImportBatch.objects.count() == 4 and all(storage.exists(p) for p in paths.values())

    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        removed = uploads_cleanup(now=now)
    assert [(r.batch, r.status) for r in removed] == [(old_failed.pk, "failed"), (old_pending.pk, "pending")]
    assert set(ImportBatch.objects.values_list("pk", flat=True)) == {recent.pk, applied.pk}
    assert [storage.exists(paths[b.pk]) for b in (old_pending, old_failed, recent, applied)] == [
        False,
        False,
        True,
        True,
    ]
    rows = ObjectChange.objects.filter(action="delete", content_type__model="importbatch").order_by(
        "object_id"
    )
    assert [(r.object_id, r.source, r.actor_label) for r in rows] == [
        (old_pending.pk, "job", "cleanup uploads"),
        (old_failed.pk, "job", "cleanup uploads"),
    ]
    assert rows[0].note == "超过 7 天未导入的上传（待确认），已删除记录及文件"
    assert (rows[0].before or {})["file"] == paths[old_pending.pk]
    assert uploads_cleanup(now=now) == []


def test_cleanup_command_dry_run_and_retention_setting(world, settings, capsys):
    now = timezone.now()
    old = _batch(world, "failed", 3, now, with_file=False)
    assert main(["cleanup", "uploads", "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["removed"] == []
    settings.ZONEDESK_UPLOAD_RETENTION_DAYS = 2
    assert main(["cleanup", "uploads", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"将删除 批次 #{old.pk}（failed，" in out and "将删除 1 个超过 2 天未导入的上传" in out
    assert ImportBatch.objects.filter(pk=old.pk).exists()
    assert main(["cleanup", "uploads"]) == 0
    assert "已删除 1 个超过 2 天未导入的上传" in capsys.readouterr().out
    assert not ImportBatch.objects.filter(pk=old.pk).exists()


def test_a_good_ledger_still_uploads_previews_and_applies(world, client):
    client.force_login(world.officer_a)
    _upload(client, world, messy_zone_workbook())
    batch = ImportBatch.objects.get()
    assert 'id="count-created">3<' in client.get(reverse("ledgerio:batch", args=[batch.pk])).content.decode()
    client.post(reverse("ledgerio:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "applied"


def test_an_xls_is_held_to_the_same_rows_cells_and_time(settings, monkeypatch):
    import itertools

    from zonedesk.core import uploads

    from .zone_ledgers import simple_xls

    settings.ZONEDESK_UPLOAD_LIMITS = {"ROWS": 4}
    with pytest.raises(UploadRefused) as caught:
        read_workbook(simple_xls())  # a title, the header and three rows
    assert caught.value.message.startswith("超过 4 行上限（已读到工作表“")
    assert caught.value.message.endswith("第5行）")
    settings.ZONEDESK_UPLOAD_LIMITS = {"CELL_CHARS": 5}
    with pytest.raises(UploadRefused) as caught:
        read_workbook(simple_xls())
    assert caught.value.limit == "cell" and "第1行 A列的文字超过 5 字上限（约 " in caught.value.message
    settings.ZONEDESK_UPLOAD_LIMITS = {}
    counter = itertools.count(step=100)
    monkeypatch.setattr(uploads, "clock", lambda: float(next(counter)))
    with pytest.raises(UploadRefused) as caught:
        read_workbook(simple_xls())
    assert caught.value.limit == "seconds"


def test_a_pending_batch_whose_file_is_gone_is_marked_failed_not_a_500(world, client):
    client.force_login(world.officer_a)
    _upload(client, world, messy_zone_workbook())
    batch = ImportBatch.objects.get()
    batch.file.storage.delete(batch.file.name or "")
    page = client.get(reverse("ledgerio:batch", args=[batch.pk]))
    assert page.status_code == 200 and "上传的文件已不存在，请重新上传" in page.content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.error_message) == ("failed", "上传的文件已不存在，请重新上传")
