"""Reading and validating 招商项目台账 spreadsheets (.xlsx / .csv) before they are imported.

Plain Python, no models: ``read_workbook`` finds headers and data rows, ``parse_rows`` turns raw
cells into typed values and Chinese error messages, checking each row against the stage gates.
Resolving zones, units and officers and writing to the database happen elsewhere.
"""

from .config import ColumnConfig, ConfigError, FieldSpec, load_config
from .reader import Column, LedgerFormatError, RawRow, SheetTable, read_workbook
from .validate import ParsedRow, ParseResult, RowError, parse_rows

__all__ = [
    "Column",
    "ColumnConfig",
    "ConfigError",
    "FieldSpec",
    "LedgerFormatError",
    "ParseResult",
    "ParsedRow",
    "RawRow",
    "RowError",
    "SheetTable",
    "load_config",
    "parse_rows",
    "read_workbook",
]
