"""Writing an export .xlsx directly: one sheet of values, its styles, frozen header, widths, drop-downs.

openpyxl builds a cell object per value (and a styled one per number); for 100 000 rows of 35
columns that is most of a minute. The sheet here is written as XML text row by row into the zip
stream: inline strings, numbers as written, dates as serials with a date format, a style per
number format, the title and header styled, the footer rows below. Excel, WPS and openpyxl open
it, and the importer reads it back (the round-trip tests check both).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import quoteattr

from openpyxl.utils import get_column_letter

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EPOCH = dt.date(1899, 12, 30)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class SheetColumn:
    width: float
    number_format: str | None  # None: General
    dropdown: Sequence[str] = ()  # the allowed labels, when the column has a drop-down
    strict: bool = True  # False: a value outside the list is warned about, not refused


def _text(value: str) -> str:
    if not _SPECIAL.search(value):
        return value  # the usual case: nothing to escape
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _styles(formats: list[str]) -> str:
    """styles.xml: 0 plain, 1 title, 2 header, 3… one per number format (in ``formats`` order)."""
    numfmts = "".join(
        f'<numFmt numFmtId="{164 + i}" formatCode={quoteattr(f)}/>' for i, f in enumerate(formats)
    )
    xfs = (
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="0" fontId="2" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">'
        '<alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
        + "".join(
            f'<xf numFmtId="{164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            for i in range(len(formats))
        )
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
        f'<numFmts count="{len(formats)}">{numfmts}</numFmts>'
        '<fonts count="3"><font><sz val="11"/><name val="等线"/><family val="2"/></font>'
        '<font><b/><sz val="14"/><name val="等线"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="等线"/><family val="2"/></font></fonts>'
        '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
        '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{3 + len(formats)}">{xfs}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _cell_writers(columns: Sequence[SheetColumn], style_of: dict[str, int]) -> list[Any]:
    """Per column, a function (row number, value) → the cell's XML ('' for an empty value)."""
    writers = []
    for i, col in enumerate(columns):
        letter = get_column_letter(i + 1)
        style = f' s="{style_of[col.number_format]}"' if col.number_format else ""

        def write(r: str, v: Any, letter: str = letter, style: str = style) -> str:
            if v is None:
                return ""
            cls = v.__class__
            if cls is str:
                if not v:
                    return ""
                return f'<c r="{letter}{r}" t="inlineStr"><is><t xml:space="preserve">{_text(v)}</t></is></c>'
            if cls is int or cls is float:
                return f'<c r="{letter}{r}"{style}><v>{v!r}</v></c>'
            if cls is Decimal:
                return f'<c r="{letter}{r}"{style}><v>{format(v, "f")}</v></c>'
            if cls is dt.date:
                return f'<c r="{letter}{r}"{style}><v>{(v - EPOCH).days}</v></c>'
            if cls is dt.datetime:
                delta = v.replace(tzinfo=None) - dt.datetime(1899, 12, 30)
                return f'<c r="{letter}{r}"{style}><v>{delta.days + delta.seconds / 86400}</v></c>'
            if cls is bool:
                return f'<c r="{letter}{r}" t="b"><v>{int(v)}</v></c>'
            return write(r, str(v))

        writers.append(write)
    return writers


def write_sheet_xlsx(
    *,
    sheet_name: str,
    title: str,
    header: Sequence[str],
    columns: Sequence[SheetColumn],
    rows: Iterable[Sequence[Any]],
    footer: Callable[[int], Sequence[Sequence[Any]]],
    freeze: str = "C3",
    out: Any,
) -> int:
    """Write the workbook to the binary file ``out``; returns the number of data rows written.

    Row 1 is the title, row 2 the header, data from row 3; ``footer(count)`` gives the rows below.
    """
    formats = list(dict.fromkeys(c.number_format for c in columns if c.number_format))
    style_of = {f: 3 + i for i, f in enumerate(formats)}
    writers = _cell_writers(columns, style_of)
    count = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.xml", _workbook(sheet_name))
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        z.writestr("xl/styles.xml", _styles(formats))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            col_row, col_letter = int(re.sub(r"\D", "", freeze)), re.sub(r"\d", "", freeze)
            x_split, y_split = _column_index(col_letter) - 1, col_row - 1
            cols = "".join(
                f'<col min="{i}" max="{i}" width="{c.width}" customWidth="1"/>'
                for i, c in enumerate(columns, start=1)
            )
            head = (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
                '<sheetViews><sheetView workbookViewId="0">'
                f'<pane xSplit="{x_split}" ySplit="{y_split}" topLeftCell="{freeze}" activePane="bottomRight" state="frozen"/>'
                f'<selection pane="bottomRight" activeCell="{freeze}" sqref="{freeze}"/></sheetView></sheetViews>'
                f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
                f'<row r="1"><c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve">{_text(title)}</t></is></c></row>'
                '<row r="2">'
                + "".join(
                    f'<c r="{get_column_letter(i)}2" s="2" t="inlineStr"><is><t xml:space="preserve">{_text(h)}</t></is></c>'
                    for i, h in enumerate(header, start=1)
                )
                + "</row>"
            )
            sheet.write(head.encode("utf-8"))
            number = 2
            buf: list[str] = []
            for values in rows:
                number += 1
                count += 1
                r = str(number)
                buf.append(
                    f'<row r="{r}">'
                    + "".join([w(r, v) for w, v in zip(writers, values) if v is not None])
                    + "</row>"
                )
                if len(buf) >= 2000:
                    sheet.write("".join(buf).encode("utf-8"))
                    buf = []
            for values in footer(count):
                number += 1
                r = str(number)
                buf.append(
                    f'<row r="{r}">'
                    + "".join(
                        _cell_writers([SheetColumn(8, None)] * len(values), {})[i](r, v)
                        for i, v in enumerate(values)
                    )
                    + "</row>"
                )
            validations = [
                (get_column_letter(i), c.dropdown, c.strict)
                for i, c in enumerate(columns, start=1)
                if c.dropdown
            ]
            tail = "</sheetData>"
            if validations:
                tail += (
                    f'<dataValidations count="{len(validations)}">'
                    + "".join(
                        '<dataValidation type="list"'
                        + ("" if strict else ' errorStyle="warning"')
                        + ' allowBlank="1" showErrorMessage="1" errorTitle="请从下拉列表中选择" '
                        f"error={quoteattr('可选：' + '、'.join(labels) + ('' if strict else '（多项用“、”分隔）'))} "
                        f'sqref="{letter}3:{letter}1048576">'
                        f"<formula1>{_text(chr(34) + ','.join(labels) + chr(34))}</formula1></dataValidation>"
                        for letter, labels, strict in validations
                    )
                    + "</dataValidations>"
                )
            tail += '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
            sheet.write(("".join(buf) + tail).encode("utf-8"))
    return count


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch.upper()) - 64
    return n


def _workbook(name: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        f'<bookViews><workbookView/></bookViews><sheets><sheet name={quoteattr(name)} sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
