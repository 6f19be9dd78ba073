"""Limits on what an uploaded file may cost to read, checked before and while it is read.

Every reader of uploaded files (``ledgerio.reader`` for .xlsx/.xls/.csv, ``intake.readers`` for
.docx/.pdf/.txt) goes through here, so one settings group (``ZONEDESK_UPLOAD_LIMITS``) bounds them
all and every refusal is the same :class:`UploadRefused` with a Chinese message naming the limit and
the file's figure. Nothing here depends on a file format beyond zip and XML:

- :func:`check_upload_size` — the file itself, before a byte is parsed;
- :class:`Package` — a zip (.xlsx, .docx): member count from the end record before the directory is
  parsed, declared sizes and ratios from the directory, then the bytes actually decompressed, counted
  as they are read in chunks (a member's header may lie);
- :func:`check_xml_prolog` — no DTD in an XML part (no entity expansion, no external entities), and
  :func:`safe_xml_parser` for lxml without entities, network or huge trees;
- :class:`ReadBudget` — rows, row width, cell text and the total time, checked as rows are read.
"""

from __future__ import annotations

import logging
import re
import struct
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from zonedesk.core.errors import ValidationFailed

log = logging.getLogger("zonedesk.security")

MB = 1024 * 1024
CHUNK = 1 << 20

# The defaults of ZONEDESK_UPLOAD_LIMITS (config/settings/base.py documents each key).
DEFAULTS: dict[str, int] = {
    "LEDGER_UPLOAD_MB": 20,
    "INTAKE_UPLOAD_MB": 10,
    "PACKAGE_MB": 300,
    "PART_MB": 300,
    "RATIO": 100,
    "RATIO_GRACE_KB": 1024,
    "MEMBERS": 1000,
    "ROWS": 200_000,
    "COLUMNS": 500,
    "CELL_CHARS": 32_767,
    "ROW_MB": 16,
    "SHARED_STRINGS": 2_000_000,
    "XML_ELEMENTS": 2_000_000,
    "SECONDS": 60,
}

# Replaced in tests by a clock that advances as they say (never a sleep).
clock: Callable[[], float] = time.monotonic


@dataclass(frozen=True)
class UploadLimits:
    ledger_upload_bytes: int
    intake_upload_bytes: int
    package_bytes: int
    part_bytes: int
    ratio: int
    ratio_grace_bytes: int
    members: int
    rows: int
    columns: int
    cell_chars: int
    row_bytes: int
    shared_strings: int
    xml_elements: int
    seconds: int


def upload_limits() -> UploadLimits:
    """The limits in force: ``ZONEDESK_UPLOAD_LIMITS`` over the defaults (unknown keys are refused)."""
    given: dict[str, Any] = dict(getattr(settings, "ZONEDESK_UPLOAD_LIMITS", None) or {})
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"ZONEDESK_UPLOAD_LIMITS: unknown keys {sorted(unknown)}")
    v = {**DEFAULTS, **{k: int(x) for k, x in given.items()}}
    return UploadLimits(
        ledger_upload_bytes=v["LEDGER_UPLOAD_MB"] * MB,
        intake_upload_bytes=v["INTAKE_UPLOAD_MB"] * MB,
        package_bytes=v["PACKAGE_MB"] * MB,
        part_bytes=v["PART_MB"] * MB,
        ratio=v["RATIO"],
        ratio_grace_bytes=v["RATIO_GRACE_KB"] * 1024,
        members=v["MEMBERS"],
        rows=v["ROWS"],
        columns=v["COLUMNS"],
        cell_chars=v["CELL_CHARS"],
        row_bytes=v["ROW_MB"] * MB,
        shared_strings=v["SHARED_STRINGS"],
        xml_elements=v["XML_ELEMENTS"],
        seconds=v["SECONDS"],
    )


class UploadRefused(ValidationFailed):
    """A file over one of the limits; ``limit`` names which (``rows``, ``package``…).

    A ``ValidationFailed`` (422, with the message under the ``file`` field), except the upload size,
    which answers 413 as an oversized body does.
    """

    def __init__(self, message: str, *, limit: str, status: int = 422, logged: bool = False) -> None:
        super().__init__(message, fields={"file": [message]}, code="upload_limit")
        self.limit = limit
        self.status = status
        if not logged:  # a refusal re-worded by a caller (``logged=True``) was logged once already
            log.warning("upload.refused", extra={"limit": limit, "reason": message})


def size_text(n: float, *, exact: bool = False) -> str:
    """Bytes as people say them: 512 KB, 3.5 MB, 200 MB, 3 GB (1 MB = 1024 KB); ``exact`` keeps one
    decimal (10.0 MB), for a file's measured size beside a limit."""
    for unit, scale in (("GB", 1024 * MB), ("MB", MB), ("KB", 1024)):
        if n >= scale:
            value = n / scale
            if exact:
                return f"{value:.1f} {unit}"
            shown = f"{value:.1f}".rstrip("0").rstrip(".") if value < 10 else f"{value:.0f}"
            return f"{shown} {unit}"
    return f"{int(n)} B"


# --------------------------------------------------------------------------- the file itself


def check_upload_size(size: int, limit: int) -> None:
    if size > limit:
        raise UploadRefused(
            _("文件大小超过 %(limit)s 上限（本文件 %(size)s）")
            % {"limit": size_text(limit), "size": size_text(size, exact=True)},
            limit="upload",
            status=413,
        )


# --------------------------------------------------------------------------- zip packages

_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"


def declared_members(data: bytes) -> int | None:
    """The member count a zip's end record states, read without parsing the directory; None if absent."""
    tail = data[-(65535 + 22) :]
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        return None
    count = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    if count == 0xFFFF:  # zip64: the count is in the zip64 end record the locator points to
        loc = tail.rfind(_EOCD64_LOCATOR, 0, at)
        if loc >= 0:
            offset = struct.unpack("<Q", tail[loc + 8 : loc + 16])[0]
            record = data[offset : offset + 56]
            if record[:4] == b"PK\x06\x06" and len(record) >= 40:
                return int(struct.unpack("<Q", record[32:40])[0])
    return int(count)


class Package:
    """A zip archive opened under the limits: a drop-in for the ``ZipFile`` calls readers make
    (``namelist``, ``read``, ``open``), counting every decompressed byte against the limits."""

    def __init__(self, data: bytes, limits: UploadLimits | None = None, budget: ReadBudget | None = None):
        import io

        self.limits = limits or upload_limits()
        self.budget = budget
        stated = declared_members(data)
        if stated is not None and stated > self.limits.members:
            raise self._members(stated)
        self.zip = zipfile.ZipFile(io.BytesIO(data))  # BadZipFile goes to the caller's format message
        infos = self.zip.infolist()
        if len(infos) > self.limits.members:
            raise self._members(len(infos))
        self.infos = {i.filename: i for i in infos}
        declared = sum(i.file_size for i in infos)
        if declared > self.limits.package_bytes:
            raise self.package_refused(declared)
        for info in infos:
            self._check_member(info, info.file_size, declared=True)
        self.total = 0  # bytes decompressed so far, all members

    def _members(self, count: int) -> UploadRefused:
        return UploadRefused(
            _("压缩包内文件数超过 %(limit)s 个上限（本文件 %(count)s 个）")
            % {"limit": self.limits.members, "count": count},
            limit="members",
        )

    def package_refused(self, size: int, *, at_least: bool = False) -> UploadRefused:
        figure = _("已解压 %(size)s 仍未结束") if at_least else _("解压后约 %(size)s")
        return UploadRefused(
            _("解压后超过 %(limit)s 上限（本文件%(figure)s）")
            % {"limit": size_text(self.limits.package_bytes), "figure": figure % {"size": size_text(size)}},
            limit="package",
        )

    def _check_member(self, info: zipfile.ZipInfo, size: int, *, declared: bool) -> None:
        limits = self.limits
        if size > limits.part_bytes:
            figure = _("约 %(size)s") if declared else _("已解压 %(size)s 仍未结束")
            raise UploadRefused(
                _("文件中的“%(part)s”解压后超过 %(limit)s 上限（%(figure)s）")
                % {
                    "part": info.filename,
                    "limit": size_text(limits.part_bytes),
                    "figure": figure % {"size": size_text(size)},
                },
                limit="part",
            )
        if size > limits.ratio_grace_bytes and size > limits.ratio * max(info.compress_size, 1):
            raise UploadRefused(
                _("文件中的“%(part)s”压缩比超过 %(limit)s 倍上限（约 %(ratio)s 倍），疑似压缩炸弹")
                % {"part": info.filename, "limit": limits.ratio, "ratio": size // max(info.compress_size, 1)},
                limit="ratio",
            )

    def namelist(self) -> list[str]:
        return list(self.infos)

    def open(self, name: str) -> _CountingStream:
        info = self.infos.get(name)
        if info is None:
            raise KeyError(f"There is no item named {name!r} in the archive")
        return _CountingStream(self, info, self.zip.open(info))

    def read(self, name: str) -> bytes:
        with self.open(name) as src:
            return b"".join(iter(lambda: src.read(CHUNK), b""))

    def scan(self, *, xml_suffixes: tuple[str, ...] = (".xml", ".rels")) -> None:
        """Decompress every member once and discard it, refusing what breaks a limit or holds a DTD:
        for readers (python-docx) that take the archive whole and bound nothing themselves."""
        limit = self.limits.xml_elements
        for name in self.infos:
            xml = name.lower().endswith(xml_suffixes)
            tags = 0
            with self.open(name) as src:
                chunk = src.read(64 * 1024)
                if xml:
                    check_xml_prolog(chunk, name)
                while chunk:
                    if xml:
                        # Such a reader builds the whole tree: ~100 bytes of memory per tag (measured
                        # with python-docx), so the tags are what bound it, not the bytes.
                        tags += chunk.count(b"<")
                        if tags > limit:
                            raise UploadRefused(
                                _("文件中的“%(part)s”元素超过 %(limit)s 个上限（已读到 %(count)s 个）")
                                % {"part": name, "limit": limit, "count": tags},
                                limit="xml_elements",
                            )
                    chunk = src.read(CHUNK)

    def close(self) -> None:
        self.zip.close()


class _CountingStream:
    """A member being decompressed: refuses as soon as the bytes actually read pass a limit."""

    def __init__(self, package: Package, info: zipfile.ZipInfo, src: IO[bytes]) -> None:
        self.package, self.info, self.src = package, info, src
        self.read_bytes = 0

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            return b"".join(iter(lambda: self.read(CHUNK), b""))
        data = self.src.read(min(n, CHUNK))
        if data:
            self.read_bytes += len(data)
            self.package.total += len(data)
            self.package._check_member(self.info, self.read_bytes, declared=False)
            if self.package.total > self.package.limits.package_bytes:
                raise self.package.package_refused(self.package.total, at_least=True)
            if self.package.budget is not None:
                self.package.budget.tick()
        return data

    def close(self) -> None:
        self.src.close()

    def __enter__(self) -> _CountingStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------- XML

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def check_xml_prolog(head: bytes, part: str) -> None:
    """Refuse a DTD (entity declarations, external entities): Office never writes one in a package."""
    text = head
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = head.decode("utf-16", errors="ignore").encode("utf-8")
    if _DOCTYPE.search(text):
        raise UploadRefused(
            _("文件中的“%(part)s”含有 DTD 或实体声明（<!DOCTYPE>），出于安全原因不予读取") % {"part": part},
            limit="xml_dtd",
        )


def safe_xml_parser(**options: Any) -> Any:
    """An lxml parser that expands no entity, loads no DTD, reaches no network and keeps libxml2's
    size and depth limits (no ``huge_tree``)."""
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, **options
    )


def xml_refused(exc: Exception, part: str) -> UploadRefused | None:
    """The limit an lxml error stands for (depth, a huge text node), or None for plain damage."""
    text = str(exc)
    if "depth" in text.lower():
        return UploadRefused(
            _("文件中的“%(part)s” XML 嵌套层数过深，超过解析器上限") % {"part": part}, limit="xml_depth"
        )
    if "huge" in text.lower():
        return UploadRefused(
            _("文件中的“%(part)s”含有超大的文字节点，超过解析器上限") % {"part": part}, limit="xml_text"
        )
    return None


# --------------------------------------------------------------------------- rows, cells, time


def column_letter(index: int) -> str:
    """1-based column number → letters (1 → A, 27 → AA)."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class ReadBudget:
    """Rows, row width, cell text and time for one file, checked as its rows are read.

    One budget per file: rows count over all its sheets, and the clock runs from its creation.
    """

    def __init__(self, limits: UploadLimits | None = None) -> None:
        self.limits = limits or upload_limits()
        self.started = clock()
        self.total_rows = 0
        self.where = ""

    def tick(self, where: str | None = None) -> None:
        """Refuse once the reading has taken longer than the limit."""
        if where is not None:
            self.where = where
        elapsed = clock() - self.started
        if elapsed > self.limits.seconds:
            place = _("（已读到%(where)s）") % {"where": self.where} if self.where else ""
            raise UploadRefused(
                _("读取时间超过 %(limit)s 秒上限%(place)s，请拆分文件后上传")
                % {"limit": self.limits.seconds, "place": place},
                limit="seconds",
            )

    def cell_refused(self, sheet: str, row: int, column: int, length: int) -> UploadRefused:
        return UploadRefused(
            _("工作表“%(sheet)s”第%(row)s行 %(col)s列的文字超过 %(limit)s 字上限（约 %(length)s 字）")
            % {
                "sheet": sheet,
                "row": row,
                "col": column_letter(column),
                "limit": self.limits.cell_chars,
                "length": length,
            },
            limit="cell",
        )

    def text_refused(self, what: str, length: int) -> UploadRefused:
        return UploadRefused(
            _("%(what)s的文字超过 %(limit)s 字上限（约 %(length)s 字）")
            % {"what": what, "limit": self.limits.cell_chars, "length": length},
            limit="cell",
        )

    def shared_strings_refused(self, count: int) -> UploadRefused:
        return UploadRefused(
            _("共享字符串超过 %(limit)s 条上限（已读到第 %(count)s 条）")
            % {"limit": self.limits.shared_strings, "count": count},
            limit="shared_strings",
        )

    def row_bytes_refused(self, sheet: str, row: int) -> UploadRefused:
        return UploadRefused(
            _("工作表“%(sheet)s”第%(row)s行的数据超过 %(limit)s 上限（单行过大，疑似异常文件）")
            % {"sheet": sheet, "row": row, "limit": size_text(self.limits.row_bytes)},
            limit="row_bytes",
        )

    def check_cells(self, sheet: str, number: int, row: Sequence[Any]) -> None:
        max_chars = self.limits.cell_chars
        for i, value in enumerate(row):
            if value.__class__ is str and len(value) > max_chars:
                raise self.cell_refused(sheet, number, i + 1, len(value))

    def rows(
        self, sheet: str, rows: Iterable[Sequence[Any]], first: int = 1, *, check_cells: bool = True
    ) -> Iterator[Sequence[Any]]:
        """``rows`` as they are, refusing the one that breaks a limit (row ``first`` is the first).

        ``check_cells=False`` for a reader that checks cell text itself where it can be long (the
        .xlsx stream: only rows whose XML is longer than the limit)."""
        limits = self.limits
        max_rows, max_cols, max_chars = limits.rows, limits.columns, limits.cell_chars
        number = first - 1
        for row in rows:
            number += 1
            self.total_rows += 1
            if self.total_rows > max_rows:
                raise UploadRefused(
                    _("超过 %(limit)s 行上限（已读到工作表“%(sheet)s”第%(row)s行）")
                    % {"limit": max_rows, "sheet": sheet, "row": number},
                    limit="rows",
                )
            if len(row) > max_cols:
                width = len(row)
                while width and (row[width - 1] is None or row[width - 1] == ""):
                    width -= 1
                if width > max_cols:
                    raise UploadRefused(
                        _("工作表“%(sheet)s”第%(row)s行超过 %(limit)s 列上限（该行有 %(count)s 列）")
                        % {"sheet": sheet, "row": number, "limit": max_cols, "count": width},
                        limit="columns",
                    )
                row = row[:width]  # padding to a stale <dimension>: nothing there
            if check_cells:
                for i, value in enumerate(row):
                    if value.__class__ is str and len(value) > max_chars:
                        raise self.cell_refused(sheet, number, i + 1, len(value))
            if not number & 1023:
                self.tick(_("工作表“%(sheet)s”第%(row)s行") % {"sheet": sheet, "row": number})
            yield row
        self.tick(_("工作表“%(sheet)s”第%(row)s行") % {"sheet": sheet, "row": number})
