"""Normalisation of Chinese figures shared by the text extractor and the Excel importer.

Standard library only; no Django. The public API:

- ``normalize(text) -> str``: full-width → half-width, traditional → simplified, same length.
- ``parse_chinese_number(s) -> Decimal | None``: 三亿, 一千五百, 两万, 2.5万, 1,500 …
- ``parse_money_wan(s, default_unit="万元") -> (Decimal, currency, approx) | None``
- ``parse_area(s, default_unit="亩") -> (Decimal, "亩" | "平方米", approx) | None``
- ``parse_date(s, published=None) -> date | (date, date) | None``
"""

from .charmap import normalize
from .dates import DateParts, excel_serial_to_date, parse_date
from .numerals import parse_chinese_number, to_json_number
from .quantities import parse_area, parse_money_wan, tidy

__all__ = [
    "DateParts",
    "excel_serial_to_date",
    "normalize",
    "parse_area",
    "parse_chinese_number",
    "parse_date",
    "parse_money_wan",
    "tidy",
    "to_json_number",
]
