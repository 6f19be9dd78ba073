"""The upload limits themselves: settings, messages with exact figures, zip checks, the counted reads."""

from __future__ import annotations

import io
import itertools
import zipfile

import pytest
from django.core.exceptions import ImproperlyConfigured

from zonedesk.core import uploads
from zonedesk.core.uploads import (
    DEFAULTS,
    MB,
    Package,
    ReadBudget,
    UploadRefused,
    check_upload_size,
    check_xml_prolog,
    declared_members,
    size_text,
    upload_limits,
)
from zonedesk.testing import hostile


@pytest.fixture
def ticking(monkeypatch):
    """The reading clock advances one second each time it is read (never a sleep)."""
    counter = itertools.count()
    monkeypatch.setattr(uploads, "clock", lambda: float(next(counter)))


def test_the_settings_group_has_every_default_and_they_agree_with_the_module():
    from django.conf import settings

    assert settings.ZONEDESK_UPLOAD_LIMITS == DEFAULTS
    limits = upload_limits()
    assert (limits.ledger_upload_bytes, limits.intake_upload_bytes) == (20 * MB, 10 * MB)
    assert (limits.package_bytes, limits.part_bytes, limits.ratio, limits.members) == (
        300 * MB,
        300 * MB,
        100,
        1000,
    )
    assert (limits.rows, limits.columns, limits.cell_chars, limits.seconds) == (200_000, 500, 32_767, 60)
    assert settings.ZONEDESK_UPLOAD_RETENTION_DAYS == 7


def test_an_installation_changes_one_limit_and_keeps_the_others(settings):
    settings.ZONEDESK_UPLOAD_LIMITS = {"ROWS": 1000}
    assert (upload_limits().rows, upload_limits().columns) == (1000, 500)
    settings.ZONEDESK_UPLOAD_LIMITS = {"ROWZ": 1}
    with pytest.raises(ImproperlyConfigured, match="ROWZ"):
        upload_limits()


def test_sizes_are_said_as_people_say_them():
    assert [size_text(n) for n in (512, 3 * 1024, 20 * MB, 3.5 * MB, 3 * 1024 * MB)] == [
        "512 B",
        "3 KB",
        "20 MB",
        "3.5 MB",
        "3 GB",
    ]
    assert size_text(10 * MB + 1, exact=True) == "10.0 MB"


def test_the_upload_size_is_refused_with_413_naming_limit_and_size():
    with pytest.raises(UploadRefused) as caught:
        check_upload_size(35 * MB, 20 * MB)
    assert (caught.value.message, caught.value.status, caught.value.limit) == (
        "文件大小超过 20 MB 上限（本文件 35.0 MB）",
        413,
        "upload",
    )
    assert caught.value.fields == {"file": ["文件大小超过 20 MB 上限（本文件 35.0 MB）"]}
    check_upload_size(20 * MB, 20 * MB)  # at the limit: accepted


def test_member_count_is_read_from_the_end_record_before_the_directory():
    data = hostile.zip_members(70_000)  # over 65 535: the count is in the zip64 end record
    assert declared_members(data) == 70_000
    with pytest.raises(UploadRefused) as caught:
        Package(data)
    assert caught.value.message == "压缩包内文件数超过 1000 个上限（本文件 70000 个）"


def test_declared_sizes_and_ratio_are_refused_before_anything_is_decompressed():
    with pytest.raises(UploadRefused) as caught:
        Package(hostile.xlsx_expanding(3))
    assert caught.value.message == "解压后超过 300 MB 上限（本文件解压后约 3 GB）"
    with pytest.raises(UploadRefused) as caught:
        Package(hostile.xlsx_expanding(0.25))  # 256 MB in 256 KB: under both sizes, ~1000:1
    assert caught.value.limit == "ratio"
    assert caught.value.message.startswith("文件中的“xl/worksheets/sheet1.xml”压缩比超过 100 倍上限（约 ")


def test_one_part_over_its_limit_is_named(settings):
    settings.ZONEDESK_UPLOAD_LIMITS = {"PART_MB": 1, "RATIO": 10_000}
    with pytest.raises(UploadRefused) as caught:
        Package(hostile.xlsx_expanding(0.01))
    assert caught.value.message == "文件中的“xl/worksheets/sheet1.xml”解压后超过 1 MB 上限（约 10 MB）"


def _lying(package: Package, size: int) -> None:
    def open_member(info: zipfile.ZipInfo) -> _Liar:
        return _Liar(size)

    package.zip.open = open_member  # type: ignore[method-assign,assignment]


class _Liar(io.RawIOBase):
    """A member that decompresses to far more than its header says (zipfile itself would stop at the
    declared size; the count must not depend on that)."""

    def __init__(self, size: int) -> None:
        self.left = size

    def read(self, n: int = -1) -> bytes:
        n = min(n if n >= 0 else self.left, self.left)
        self.left -= n
        return b" " * n


def test_the_bytes_actually_read_are_counted_not_the_header(settings):
    settings.ZONEDESK_UPLOAD_LIMITS = {"PART_MB": 5, "PACKAGE_MB": 8, "RATIO": 10**9}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("a.xml", b"<a/>")
        zf.writestr("b.xml", b"<b/>")
    package = Package(out.getvalue())
    _lying(package, 6 * MB)
    with pytest.raises(UploadRefused) as caught:
        package.read("a.xml")
    assert caught.value.message == "文件中的“a.xml”解压后超过 5 MB 上限（已解压 6 MB 仍未结束）"
    settings.ZONEDESK_UPLOAD_LIMITS = {"PART_MB": 5, "PACKAGE_MB": 8, "RATIO": 100}
    package = Package(out.getvalue())
    _lying(package, 6 * MB)
    with pytest.raises(UploadRefused) as caught:
        package.read("a.xml")  # 4 bytes compressed: the ratio of what was read, not of the header
    assert caught.value.message == "文件中的“a.xml”压缩比超过 100 倍上限（约 524288 倍），疑似压缩炸弹"
    settings.ZONEDESK_UPLOAD_LIMITS = {"PART_MB": 5, "PACKAGE_MB": 8, "RATIO": 10**9}
    package = Package(out.getvalue())
    _lying(package, int(4.5 * MB))
    package.read("a.xml")
    with pytest.raises(UploadRefused) as caught:
        package.read("b.xml")
    assert caught.value.message == "解压后超过 8 MB 上限（本文件已解压 8.5 MB 仍未结束）"


def test_a_dtd_is_refused_in_any_encoding():
    for head in (
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
        '<?xml version="1.0" encoding="UTF-16"?><!doctype a><a/>'.encode("utf-16"),
    ):
        with pytest.raises(UploadRefused) as caught:
            check_xml_prolog(head, "word/document.xml")
        assert (
            caught.value.message
            == "文件中的“word/document.xml”含有 DTD 或实体声明（<!DOCTYPE>），出于安全原因不予读取"
        )
    check_xml_prolog(b'<?xml version="1.0"?><a>DOCTYPE</a>', "a.xml")


def test_rows_width_and_cells_are_refused_at_the_first_row_over(settings):
    settings.ZONEDESK_UPLOAD_LIMITS = {"ROWS": 3, "COLUMNS": 4, "CELL_CHARS": 10}
    budget = ReadBudget()
    assert list(budget.rows("表", [["a"], ["b"]])) == [["a"], ["b"]]
    with pytest.raises(UploadRefused) as caught:
        list(budget.rows("表二", [["c"], ["d"]]))  # rows count over the whole file
    assert caught.value.message == "超过 3 行上限（已读到工作表“表二”第2行）"
    with pytest.raises(UploadRefused) as caught:
        list(ReadBudget().rows("表", [[1, 2, 3, 4, 5]]))
    assert caught.value.message == "工作表“表”第1行超过 4 列上限（该行有 5 列）"
    # Padding to a stale <dimension> is not data: the row is cut to its last value.
    assert list(ReadBudget().rows("表", [[1, None, None, None, None, None]])) == [[1]]
    with pytest.raises(UploadRefused) as caught:
        list(ReadBudget().rows("表", [["", "x" * 11]], first=7))
    assert caught.value.message == "工作表“表”第7行 B列的文字超过 10 字上限（约 11 字）"


def test_the_time_limit_is_checked_as_rows_are_read(ticking):
    budget = ReadBudget()  # started at 0; every 1024th row reads the clock once more
    with pytest.raises(UploadRefused) as caught:
        list(budget.rows("CSV", ([i] for i in range(100_000))))
    assert caught.value.limit == "seconds"
    assert caught.value.message == "读取时间超过 60 秒上限（已读到工作表“CSV”第62464行），请拆分文件后上传"
