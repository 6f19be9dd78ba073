"""Normalisation of Chinese figures shared by the text extractor and the Excel importer.

Standard library only; no Django. The public API:

- ``normalize(text) -> str``: full-width → half-width, traditional → simplified, same length.
- ``parse_chinese_number(s) -> Decimal | None``: 三亿, 一千五百, 两万, 2.5万, 1,500 …
- ``parse_money_wan(s, default_unit="万元") -> (Decimal, currency, approx) | None``
- ``parse_area(s, default_unit="亩") -> (Decimal, "亩" | "平方米", approx) | None``
- ``area_to(target, value, unit) -> Decimal``: 亩 ↔ 平方米, converted values to 0.01
- ``money_in_unit(number, unit) -> (Decimal, currency) | None``: a bare number under a money header
- ``parse_date(s, published=None) -> date | (date, date) | None``
"""

from .charmap import normalize
from .dates import DateParts, excel_serial_to_date, parse_date
from .numerals import parse_chinese_number, to_json_number
from .quantities import area_to, money_in_unit, parse_area, parse_money_wan, tidy

__all__ = [
    "DateParts",
    "area_to",
    "excel_serial_to_date",
    "money_in_unit",
    "normalize",
    "parse_area",
    "parse_chinese_number",
    "parse_date",
    "parse_money_wan",
    "tidy",
    "to_json_number",
]
