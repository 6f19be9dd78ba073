"""Numbers as Chinese texts and spreadsheets write them: 22.22, 1,500, 三亿, 一千五百, 2.5万."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .charmap import normalize

# Regex fragments shared with the extractor. They run on normalize()d text, so digits
# are ASCII; [0-9] rather than \d keeps Arabic-Indic and other digits out.
# Thousands groups must be exactly three digits so "9,签约" or "1,5000" are not eaten.
ARABIC = r"[0-9]+(?:,[0-9]{3}(?![0-9]))*(?:[.。][0-9]+)?"
CHINESE_DIGITS = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
CHINESE_UNITS = "十百千万亿拾佰仟"
CHINESE = f"[{CHINESE_DIGITS}{CHINESE_UNITS}]+"

_DIGIT_VALUE = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "壹": 1,
    "贰": 2,
    "叁": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
_SMALL_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_WAN = Decimal(10_000)
_YI = Decimal(100_000_000)

_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)?|.")
_THOUSANDS = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$")


def _clean(s: str) -> str:
    s = normalize(s).strip().replace(" ", "")
    if _THOUSANDS.match(s) or _THOUSANDS.match(s.split("万")[0].split("亿")[0]):
        s = s.replace(",", "")
    # A full stop between digits is a decimal point typed on a Chinese keyboard.
    return re.sub(r"(?<=[0-9])。(?=[0-9])", ".", s)


def parse_chinese_number(s: str | float | Decimal | None) -> Decimal | None:
    """Parse Arabic, Chinese or mixed numerals into a Decimal; None when it is not a number.

    >>> parse_chinese_number("三亿")
    Decimal('300000000')
    >>> parse_chinese_number("一千五百")
    Decimal('1500')
    >>> parse_chinese_number("两万")
    Decimal('20000')
    >>> parse_chinese_number("十二")
    Decimal('12')
    >>> parse_chinese_number("2.5万")
    Decimal('25000.0')
    >>> parse_chinese_number("1,500")
    Decimal('1500')
    >>> parse_chinese_number("二〇二四")
    Decimal('2024')
    >>> parse_chinese_number("千亿")
    Decimal('100000000000')
    >>> parse_chinese_number("约三亿") is None   # approximations belong to parse_money_wan
    True
    """
    if s is None or isinstance(s, bool):
        return None
    if isinstance(s, Decimal):
        return s
    if isinstance(s, int):
        return Decimal(s)
    if isinstance(s, float):
        return Decimal(repr(s))
    text = _clean(s)
    if not text:
        return None
    try:
        return Decimal(text) if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text) else _parse_mixed(text)
    except InvalidOperation:
        return None


def _parse_mixed(text: str) -> Decimal | None:
    tokens = _TOKEN.findall(text)
    # Positional digits without any unit ("二〇二四") are read digit by digit, like a year.
    if len(tokens) > 1 and all(t in _DIGIT_VALUE for t in tokens):
        return Decimal("".join(str(_DIGIT_VALUE[t]) for t in tokens))
    yi_part = Decimal(0)  # already multiplied by 亿
    wan_part = Decimal(0)  # already multiplied by 万, below 亿
    section = Decimal(0)  # below 万
    current: Decimal | None = None
    last_unit = 0  # value of the unit just before the trailing digit, for "两万五" = 25000
    prev_was_unit = False
    for tok in tokens:
        if tok[0].isdigit() or tok in _DIGIT_VALUE:
            if tok in ("零", "〇"):
                last_unit, prev_was_unit = 0, False
                continue
            if current is not None:  # two numbers in a row: "3 5" is not one number
                return None
            current = Decimal(tok) if tok[0].isdigit() else Decimal(_DIGIT_VALUE[tok])
            prev_was_unit = False
        elif tok in _SMALL_UNIT:
            section += (Decimal(1) if current is None else current) * _SMALL_UNIT[tok]
            current, last_unit, prev_was_unit = None, _SMALL_UNIT[tok], True
        elif tok in ("万", "亿"):
            below = (yi_part if tok == "亿" else 0) + wan_part + section + (current or 0)
            if tok == "万":
                wan_part = (below or Decimal(1)) * _WAN
            else:
                yi_part, wan_part = (below or Decimal(1)) * _YI, Decimal(0)
            section, current = Decimal(0), None
            last_unit, prev_was_unit = (10_000 if tok == "万" else 100_000_000), True
        else:
            return None
    tail = current or Decimal(0)
    # A digit right after a unit is the next unit down: "一百五" = 150, but "一百零五" = 105.
    follows_unit = len(tokens) >= 2 and (tokens[-2] in _SMALL_UNIT or tokens[-2] in ("万", "亿"))
    if current is not None and not prev_was_unit and last_unit >= 100 and current < 10 and follows_unit:
        tail = current * last_unit / 10
    return yi_part + wan_part + section + tail


def to_json_number(value: Decimal) -> int | float:
    """Decimal → int when integral, else float: what the JSON contract asks for."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)
