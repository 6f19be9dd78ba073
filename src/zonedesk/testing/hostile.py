"""Hostile upload files, built in memory for the tests and ``bench/hostile_uploads.py``.

The expanding ones are written by hand as zip archives: one deflated block of a repeated pattern,
ended by a full flush (so it references nothing before it), is repeated as many times as wanted —
a 3 GB part costs 3 MB and no 3 GB of compressing. Sizes, CRCs and headers are those a real archive
has (``lie_to`` writes a smaller size in the headers than the data holds).
"""

from __future__ import annotations

import io
import os
import resource
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GB = 1024**3
MB = 1024**2


@dataclass
class Part:
    name: str
    data: bytes = b""  # a small part, deflated as it is
    # or an expanding one: ``head`` + ``pattern`` × ``repeat`` + ``tail``
    head: bytes = b""
    pattern: bytes = b""
    repeat: int = 0
    tail: bytes = b""
    lie_to: int | None = None  # the size the headers declare, when it is not the real one


def _deflated(part: Part) -> tuple[bytes, int, int]:
    """(raw deflate stream, real size, crc32)."""
    if not part.repeat:
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        return c.compress(part.data) + c.flush(), len(part.data), zlib.crc32(part.data)
    chunk = part.pattern * max(1, MB // len(part.pattern))
    count, rest = divmod(part.repeat * len(part.pattern), len(chunk))
    assert rest == 0, "repeat must fill whole 1 MB chunks"
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    out = [c.compress(part.head) + c.flush(zlib.Z_FULL_FLUSH)]
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    out.append(block * count)
    out.append(c.compress(part.tail) + c.flush())
    crc = zlib.crc32(part.head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(part.tail, crc)
    return b"".join(out), len(part.head) + count * len(chunk) + len(part.tail), crc


def build_zip(parts: list[Part]) -> bytes:
    """A zip archive of ``parts`` (deflated; sizes under 4 GB, so no zip64 is needed)."""
    out = io.BytesIO()
    central = []
    for part in parts:
        data, size, crc = _deflated(part)
        declared = part.lie_to if part.lie_to is not None else size
        name = part.name.encode()
        offset = out.tell()
        out.write(
            struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), declared, len(name), 0)
        )
        out.write(name)
        out.write(data)
        central.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(data),
                declared,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    start = out.tell()
    for entry in central:
        out.write(entry)
    size = out.tell() - start
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), size, start, 0))
    return out.getvalue()


# --------------------------------------------------------------------------- workbooks

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b"</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
).encode()
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
).encode()
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
).encode()
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
SHEET_TAIL = b"</sheetData></worksheet>"


def workbook(sheet: Part, workbook_xml: bytes = WORKBOOK) -> bytes:
    """An .xlsx with one sheet, ``sheet`` being its sheet XML part (name set here)."""
    sheet.name = "xl/worksheets/sheet1.xml"
    return build_zip(
        [
            Part("[Content_Types].xml", _CONTENT_TYPES),
            Part("_rels/.rels", _ROOT_RELS),
            Part("xl/workbook.xml", workbook_xml),
            Part("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
            sheet,
        ]
    )


def _header_row() -> bytes:
    return (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe9\xa1\xb9\xe7\x9b\xae\xe5\x90\x8d\xe7\xa7\xb0</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>\xe6\x80\xbb\xe6\x8a\x95\xe8\xb5\x84</t></is></c></row>'
    )


def xlsx_expanding(gigabytes: float = 3, lie_to: int | None = None) -> bytes:
    """About 3 MB whose sheet XML decompresses to ``gigabytes`` GB: a header row, then whitespace
    (the pattern deflate packs best, ~1000:1)."""
    repeat = int(gigabytes * GB) // MB
    part = Part(
        "", head=SHEET_HEAD + _header_row(), pattern=b" " * MB, repeat=repeat, tail=SHEET_TAIL, lie_to=lie_to
    )
    return workbook(part)


def xlsx_huge_cell(chars: int = 1_000_000, *, shared: bool = False) -> bytes:
    """One row whose one cell holds ``chars`` characters of text that hardly compresses."""
    text = os.urandom(chars // 2 + 1).hex()[:chars].encode()
    if not shared:
        row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + text + b"</t></is></c></row>"
        return workbook(Part("", SHEET_HEAD + row + SHEET_TAIL))
    sheet = Part("", SHEET_HEAD + b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + SHEET_TAIL)
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode()
        + text
        + b"</t></si></sst>"
    )
    rels = _WORKBOOK_RELS.replace(
        b"</Relationships>",
        f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'.encode(),
    )
    sheet.name = "xl/worksheets/sheet1.xml"
    return build_zip(
        [
            Part("[Content_Types].xml", _CONTENT_TYPES),
            Part("_rels/.rels", _ROOT_RELS),
            Part("xl/workbook.xml", WORKBOOK),
            Part("xl/_rels/workbook.xml.rels", rels),
            sheet,
            Part("xl/sharedStrings.xml", strings),
        ]
    )


def xlsx_wide_row(columns: int = 501) -> bytes:
    cells = b"".join(f'<c r="{_letters(i)}1"><v>{i}</v></c>'.encode() for i in range(1, columns + 1))
    return workbook(Part("", SHEET_HEAD + b'<row r="1">' + cells + b"</row>" + SHEET_TAIL))


def xlsx_rows(rows: int) -> bytes:
    """A sheet of ``rows`` rows below a header, one number each (a large but honest file)."""
    body = b"".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>'.encode() for r in range(2, rows + 2))
    return workbook(Part("", SHEET_HEAD + _header_row() + body + SHEET_TAIL))


def xlsx_nested(depth: int = 10_000) -> bytes:
    """A workbook.xml nested ``depth`` elements deep."""
    nested = WORKBOOK.replace(b"<sheets>", b"<x>" * depth + b"</x>" * depth + b"<sheets>")
    return workbook(Part("", SHEET_HEAD + _header_row() + SHEET_TAIL), workbook_xml=nested)


def xlsx_with_dtd() -> bytes:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    return workbook(Part("", SHEET_HEAD + _header_row() + SHEET_TAIL), workbook_xml=laughs + WORKBOOK[38:])


def zip_members(count: int = 100_000) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for i in range(count):
            zf.writestr(f"{i}", b"")
    return out.getvalue()


def _letters(index: int) -> str:
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def csv_rows(megabytes: int = 10) -> bytes:
    """A CSV of about ``megabytes`` MB: a header, then five-byte rows (2.1 M rows in 10 MB)."""
    header = "项目名称,总投资\n".encode()
    return header + b"12,x\n" * ((megabytes * MB - len(header)) // 5)


# --------------------------------------------------------------------------- Word documents

_DOCX_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
_DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
).encode()
DOC_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'.encode()
DOC_TAIL = b"</w:body></w:document>"


def docx(document: Part) -> bytes:
    document.name = "word/document.xml"
    return build_zip([Part("[Content_Types].xml", _DOCX_TYPES), Part("_rels/.rels", _DOCX_RELS), document])


def docx_expanding(gigabytes: float = 3, lie_to: int | None = None) -> bytes:
    """About 3 MB whose document.xml decompresses to ``gigabytes`` GB (a paragraph, then whitespace)."""
    head = DOC_HEAD + "<w:p><w:r><w:t>长治高新区项目签约</w:t></w:r></w:p>".encode()
    repeat = int(gigabytes * GB) // MB
    return docx(Part("", head=head, pattern=b" " * MB, repeat=repeat, tail=DOC_TAIL, lie_to=lie_to))


def docx_xxe(target: str = "file:///etc/passwd") -> bytes:
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{target}">]>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>'
    ).encode()
    return docx(Part("", body))


def docx_nested(depth: int = 10_000) -> bytes:
    return docx(Part("", DOC_HEAD + b"<w:p>" * depth + b"</w:p>" * depth + DOC_TAIL))


# --------------------------------------------------------------------------- measuring


@dataclass
class Measured:
    seconds: float = 0.0
    peak_bytes: int = 0  # tracemalloc's peak of Python allocations
    rss_delta_bytes: int = 0  # growth of the process's peak resident size (0 when an earlier peak was higher)


@contextmanager
def measure() -> Iterator[Measured]:
    """Wall time, tracemalloc peak and the ru_maxrss growth of the block."""
    result = Measured()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        yield result
    finally:
        result.seconds = time.perf_counter() - started
        result.peak_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        result.rss_delta_bytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
