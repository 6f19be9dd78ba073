"""Text out of what people upload: .txt, .docx and .pdf (text layer only), with Chinese errors.

Everything here raises ``ValidationFailed`` with a message naming the file, never a 500. The upload
limits (``core.uploads``, ``ZONEDESK_UPLOAD_LIMITS``) apply before and while a file is read: its size,
and for a .docx (a zip) the member count, decompressed sizes and ratios, no DTD in any XML part, the
text length and the time.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from django.utils.translation import gettext as _

from zonedesk.core.errors import ValidationFailed
from zonedesk.core.uploads import (
    DEFAULTS,
    MB,
    Package,
    ReadBudget,
    UploadRefused,
    check_upload_size,
    upload_limits,
)
from zonedesk.core.uploads import xml_refused as _xml_refused

from .models import DocumentKind

# The default; the limit in force is ``max_upload_bytes()`` (ZONEDESK_UPLOAD_LIMITS["INTAKE_UPLOAD_MB"]).
MAX_UPLOAD_BYTES = DEFAULTS["INTAKE_UPLOAD_MB"] * MB  # a 10 MB report is a long one; a bigger file is a scan
MAX_TEXT_CHARS = 500_000  # the review page shows the whole text beside the candidates
SUFFIX_KIND = {".txt": DocumentKind.TXT, ".docx": DocumentKind.DOCX, ".pdf": DocumentKind.PDF}


def max_upload_bytes() -> int:
    return upload_limits().intake_upload_bytes


def _fail(message: str, field: str = "file") -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def check_text(text: str, field: str = "text") -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not text.strip():
        raise _fail(_("没有可提取的文字：内容为空"), field)
    if len(text) > MAX_TEXT_CHARS:
        raise _fail(
            _("文字过长：%(length)s 字，单次最多 %(limit)s 字，请分段提交")
            % {"length": f"{len(text):,}", "limit": f"{MAX_TEXT_CHARS:,}"},
            field,
        )
    return text


def read_upload(filename: str, data: bytes, size: int | None = None) -> tuple[str, str]:
    """(kind, text) of an uploaded file; ``size`` is the file's size when data was read only in part."""
    name = PurePath(filename or "").name
    suffix = PurePath(name).suffix.lower()
    if suffix == ".doc":
        raise _fail(
            _("%(name)s：不支持旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后上传") % {"name": name}
        )
    if suffix not in SUFFIX_KIND:
        raise _fail(_("%(name)s：仅支持 .txt、.docx、.pdf 文件") % {"name": name or _("文件")})
    size = max(size or 0, len(data))
    try:
        check_upload_size(size, max_upload_bytes())
    except UploadRefused as exc:
        raise _named(exc, name) from None
    if not data:
        raise _fail(_("%(name)s：文件是空的") % {"name": name})
    kind = SUFFIX_KIND[suffix]
    reader = {DocumentKind.TXT: _txt, DocumentKind.DOCX: _docx, DocumentKind.PDF: _pdf}[kind]
    try:
        text = reader(name, data)
    except UploadRefused as exc:
        raise _named(exc, name) from None
    if not text.strip():
        if kind == DocumentKind.PDF:
            raise _fail(
                _("%(name)s：PDF 中没有可提取的文字（可能是扫描件），请上传带文字层的 PDF 或直接粘贴文本")
                % {"name": name}
            )
        raise _fail(_("%(name)s：文件中没有文字") % {"name": name})
    return kind, check_text(text, "file")


def _named(exc: UploadRefused, name: str) -> UploadRefused:
    """The same refusal, its message starting with the file's name like every message here."""
    named = UploadRefused(
        _("%(name)s：%(message)s") % {"name": name, "message": exc.message},
        limit=exc.limit,
        status=exc.status,
        logged=True,
    )
    return named


def _too_long(length: int) -> ValidationFailed:
    return _fail(
        _("文字过长：%(length)s 字，单次最多 %(limit)s 字，请分段提交")
        % {"length": f"{length:,}", "limit": f"{MAX_TEXT_CHARS:,}"}
    )


def _txt(name: str, data: bytes) -> str:
    # UTF-8 (with or without BOM), then GB18030 — what Chinese office machines write.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _fail(_("%(name)s：无法识别文本编码，请另存为 UTF-8 或 GBK 编码后上传") % {"name": name})


def _docx(name: str, data: bytes) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    budget = ReadBudget()
    try:
        # A .docx is a zip: every part is decompressed once under the limits (counted, in chunks)
        # and refused if it declares a DTD, before python-docx, which bounds nothing, reads it.
        package = Package(data, budget.limits, budget)
        package.scan()
        package.close()
        document = docx.Document(io.BytesIO(data))
    except UploadRefused:
        raise
    except etree.XMLSyntaxError as exc:
        refused = _xml_refused(exc, "word/document.xml")
        if refused is not None:
            raise refused from exc
        raise _fail(_("%(name)s：不是有效的 Word（.docx）文档，或文件已损坏") % {"name": name}) from exc
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise _fail(_("%(name)s：不是有效的 Word（.docx）文档，或文件已损坏") % {"name": name}) from exc
    except Exception as exc:  # python-docx raises lxml errors on a damaged part
        raise _fail(
            _("%(name)s：Word 文档无法读取（%(error)s）") % {"name": name, "error": type(exc).__name__}
        ) from exc
    lines: list[str] = []
    length = 0
    body = document.element.body
    # Paragraphs and tables in document order; a table row becomes one tab-separated line,
    # the shape the extractor reads as a flattened table. Only elements count: comments and
    # processing instructions have no string tag.
    for child in body.iterchildren(tag=etree.Element):
        budget.tick(_("第%(n)s段") % {"n": len(lines) + 1})
        if length > MAX_TEXT_CHARS:
            raise _too_long(length)
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            line = "".join(t.text or "" for t in child.iter(tag=etree.Element) if t.tag.endswith("}t"))
            lines.append(line)
            length += len(line) + 1
        elif tag == "tbl":
            from docx.table import Table

            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
                    if not cells or value != cells[-1]:  # merged cells repeat their text
                        cells.append(value)
                lines.append("\t".join(cells))
                length += len(lines[-1]) + 1
                if length > MAX_TEXT_CHARS:
                    raise _too_long(length)
            lines.append("")
    return "\n".join(lines)


def _pdf(name: str, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PdfReadError

    budget = ReadBudget()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # An owner password alone (printing/copy limits) opens with an empty user password.
            try:
                opened = reader.decrypt("")
            except Exception:  # noqa: BLE001 — missing crypto backend for AES, or a broken key
                opened = 0
            if not opened:
                raise _fail(_("%(name)s：PDF 已加密，需要密码才能打开，请解除密码后上传") % {"name": name})
        pages: list[str] = []
        length = 0
        for n, page in enumerate(reader.pages, start=1):
            budget.tick(_("第%(n)s页") % {"n": n})
            pages.append(page.extract_text() or "")
            length += len(pages[-1]) + 1
            if length > MAX_TEXT_CHARS:
                raise _too_long(length)
    except ValidationFailed:
        raise
    except LimitReachedError as exc:
        # pypdf's own bounds on a decompressed stream (its defaults: 75 MB a stream).
        raise UploadRefused(
            _("PDF 中的数据流解压后超过上限（%(error)s），疑似压缩炸弹") % {"error": exc}, limit="part"
        ) from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _fail(_("%(name)s：不是有效的 PDF 文件，或文件已损坏") % {"name": name}) from exc
    except Exception as exc:  # pypdf raises assorted errors on broken streams
        raise _fail(
            _("%(name)s：PDF 无法读取（%(error)s）") % {"name": name, "error": type(exc).__name__}
        ) from exc
    return "\n".join(pages)
