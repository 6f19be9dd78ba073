"""The user's own workbook back, with a 错误说明 column and every bad cell highlighted and commented."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter

from .config import in_ledger_language
from .reader import _MAGIC_XLSX, SheetTable, read_workbook
from .validate import ERROR, RowError

BAD = PatternFill("solid", fgColor="FFC7CE")
NOTE = PatternFill("solid", fgColor="FFEB9C")
COLUMN_TITLE = "错误说明"


def _as_workbook(data: bytes, tables: list[SheetTable]) -> Workbook:
    """The file as an openpyxl workbook: .xlsx kept as it is; .xls/.csv copied cell by cell."""
    if data.startswith(_MAGIC_XLSX):
        return load_workbook(io.BytesIO(data))
    wb = Workbook()
    wb.remove(wb.active)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        import xlrd

        book = xlrd.open_workbook(file_contents=data)
        for sheet in book.sheets():
            ws = wb.create_sheet(sheet.name[:31])
            for r in range(sheet.nrows):
                for c, cell in enumerate(sheet.row(r)):
                    if cell.value not in ("", None):
                        ws.cell(row=r + 1, column=c + 1, value=cell.value)
        return wb
    import csv

    from .reader import _decode_csv

    ws = wb.create_sheet(tables[0].sheet[:31] if tables else "CSV")
    for row in csv.reader(io.StringIO(_decode_csv(data), newline="")):
        ws.append([v if v != "" else None for v in row])
    return wb


@in_ledger_language
def annotate(data: bytes, errors: Iterable[RowError], tables: list[SheetTable] | None = None) -> bytes:
    """``data`` with each error written beside its row and its cell marked; warnings in yellow."""
    tables = tables if tables is not None else read_workbook(data)
    wb = _as_workbook(data, tables)
    by_sheet: dict[str, dict[int, list[RowError]]] = defaultdict(lambda: defaultdict(list))
    for e in errors:
        if e.row:
            by_sheet[e.sheet][e.row].append(e)
    header_rows = {t.sheet: t.header_rows for t in tables}
    for ws in wb.worksheets:
        rows = by_sheet.get(ws.title)
        if not rows:
            continue
        column = ws.max_column + 1
        letter = get_column_letter(column)
        head = header_rows.get(ws.title) or (1,)
        title = ws.cell(row=head[0], column=column, value=COLUMN_TITLE)
        title.font = Font(bold=True, color="9C0006")
        ws.column_dimensions[letter].width = 60
        for number, items in rows.items():
            if number in head:
                continue
            worst = any(e.severity == ERROR for e in items)
            ws.cell(row=number, column=column, value="\n".join(e.message for e in items)).fill = (
                BAD if worst else NOTE
            )
            for e in items:
                if not e.column_letter:
                    continue
                cell = ws.cell(row=number, column=column_index_from_string(e.column_letter))
                cell.fill = BAD if e.severity == ERROR else NOTE
                text = e.message if cell.comment is None else cell.comment.text + "\n" + e.message
                cell.comment = Comment(text, "zonedesk")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
