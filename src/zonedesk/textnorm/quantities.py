"""Money and area phrases → normalised values (money in 万 of a currency, land in 亩, floor in 平方米).

These parse one cell or one short phrase. The extractor (zonedesk.extract) reuses the unit
tables below so that a figure read from a spreadsheet and one read from an article agree.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .charmap import normalize
from .numerals import ARABIC, CHINESE, parse_chinese_number

WAN = Decimal(10_000)

# Currency words → ISO 4217. Longest first when joined into a regex.
CURRENCY_WORDS: dict[str, str] = {
    "元人民币": "CNY",
    "人民币": "CNY",
    "元": "CNY",
    "圆": "CNY",
    "美元": "USD",
    "美金": "USD",
    "港元": "HKD",
    "港币": "HKD",
    "欧元": "EUR",
    "日元": "JPY",
    "日圆": "JPY",
    "英镑": "GBP",
    "澳元": "AUD",
    "澳币": "AUD",
    "加元": "CAD",
    "加币": "CAD",
    "新台币": "TWD",
    "台币": "TWD",
    "韩元": "KRW",
    "韩圆": "KRW",
    "卢布": "RUB",
    "新加坡元": "SGD",
    "新元": "SGD",
    "瑞士法郎": "CHF",
    "澳门元": "MOP",
    "泰铢": "THB",
    "林吉特": "MYR",
    "卢比": "INR",
}
# Symbols and codes that stand before the number ("USD 450万", "¥3亿").
CURRENCY_PREFIXES: dict[str, str] = {
    "人民币": "CNY",
    "RMB": "CNY",
    "CNY": "CNY",
    "¥": "CNY",
    "￥": "CNY",
    "USD": "USD",
    "US$": "USD",
    "$": "USD",
    "美元": "USD",
    "HKD": "HKD",
    "HK$": "HKD",
    "港币": "HKD",
    "EUR": "EUR",
    "€": "EUR",
    "欧元": "EUR",
}

# Multipliers of the magnitude words that sit between number and unit, in units of one.
MAGNITUDES: dict[str, Decimal] = {
    "": Decimal(1),
    "十": Decimal(10),
    "百": Decimal(100),
    "千": Decimal(1000),
    "万": Decimal(10_000),
    "十万": Decimal(100_000),
    "百万": Decimal(1_000_000),
    "千万": Decimal(10_000_000),
    "亿": Decimal(100_000_000),
    "十亿": Decimal(10**9),
    "百亿": Decimal(10**10),
    "千亿": Decimal(10**11),
    "万亿": Decimal(10**12),
}

# Area units → (normalised unit, factor). 1 公顷 = 15 亩; 1 平方公里 = 1 000 000 平方米.
AREA_UNITS: dict[str, tuple[str, Decimal]] = {
    "亩": ("亩", Decimal(1)),
    "公顷": ("亩", Decimal(15)),
    "平方米": ("平方米", Decimal(1)),
    "平米": ("平方米", Decimal(1)),
    "㎡": ("平方米", Decimal(1)),
    "m²": ("平方米", Decimal(1)),
    "m2": ("平方米", Decimal(1)),
    "平方": ("平方米", Decimal(1)),
    "平方公里": ("平方米", Decimal(1_000_000)),
    "平方千米": ("平方米", Decimal(1_000_000)),
    "km²": ("平方米", Decimal(1_000_000)),
    "km2": ("平方米", Decimal(1_000_000)),
}
MU_PER_M2 = Decimal("0.0015")  # 1 亩 = 10000/15 ≈ 666.67 平方米
_CENT = Decimal("0.01")

# Approximation markers. "约" must not be the tail of 签约/合约/节约…
APPROX_BEFORE = (
    r"(?:大约|约合|(?<![签合契预节制履特条公违守践解])约|将近|接近|近|超过|超|逾|不低于|不少于|至少|达约)"
)
APPROX_AFTER = r"(?:以上|左右|上下|之多|许|多|余)"


def alternation(words: object) -> str:
    """Regex alternation of words, longest first so 万平方米 wins over 万."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[arg-type]


CURRENCY_RE = alternation(CURRENCY_WORDS)
MAGNITUDE_RE = alternation(w for w in MAGNITUDES if w)
AREA_UNIT_RE = alternation(AREA_UNITS)

_MONEY_CELL = re.compile(
    rf"^(?P<pre>{APPROX_BEFORE})?(?P<cpre>{alternation(CURRENCY_PREFIXES)})?"
    rf"(?P<num>{ARABIC}|{CHINESE}|{ARABIC}{CHINESE})(?P<more1>余|多)?"
    rf"(?P<mag>{MAGNITUDE_RE})?(?P<more2>余|多)?(?P<cur>{CURRENCY_RE})?"
    rf"(?P<post>{APPROX_AFTER})?$"
)
_AREA_CELL = re.compile(
    rf"^(?P<pre>{APPROX_BEFORE})?(?P<num>{ARABIC}|{CHINESE}|{ARABIC}{CHINESE})(?P<more1>余|多)?"
    rf"(?P<mag>万|千)?(?P<more2>余|多)?(?P<unit>{AREA_UNIT_RE})?(?P<post>{APPROX_AFTER})?$"
)
_DEFAULT_MONEY = {
    "万元": ("万", "元"),
    "亿元": ("亿", "元"),
    "元": ("", "元"),
    "万美元": ("万", "美元"),
    "美元": ("", "美元"),
    "亿美元": ("亿", "美元"),
    "千元": ("千", "元"),
    "万港元": ("万", "港元"),
}


def tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation: 222200.00 → 222200."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def money_to_wan(number: Decimal, magnitude: str, currency_word: str | None) -> tuple[Decimal, str]:
    """Convert number × magnitude of a currency word into (万, ISO code)."""
    code = CURRENCY_WORDS.get(currency_word or "元", "CNY")
    return tidy(number * MAGNITUDES[magnitude] / WAN), code


def money_in_unit(number: Decimal, unit: str) -> tuple[Decimal, str] | None:
    """A bare number in a column whose header says unit → (value in 万, ISO currency); None for another unit.

    >>> money_in_unit(Decimal("3.5"), "亿元")
    (Decimal('35000'), 'CNY')
    >>> money_in_unit(Decimal("450"), "万美元")
    (Decimal('450'), 'USD')
    >>> money_in_unit(Decimal("450"), "亩") is None
    True

    unit is one of parse_money_wan's default units.
    """
    if unit not in _DEFAULT_MONEY:
        return None
    magnitude, currency_word = _DEFAULT_MONEY[unit]
    return money_to_wan(number, magnitude, currency_word)


def parse_money_wan(
    s: str | float | Decimal | None, default_unit: str = "万元"
) -> tuple[Decimal, str, bool] | None:
    """Parse a money cell or phrase into (value in 万, ISO currency, approx); None on garbage.

    >>> parse_money_wan("22.22亿元")
    (Decimal('222200'), 'CNY', False)
    >>> parse_money_wan("约3亿")
    (Decimal('30000'), 'CNY', True)
    >>> parse_money_wan("三亿元")
    (Decimal('30000'), 'CNY', False)
    >>> parse_money_wan("4500万美元")
    (Decimal('4500'), 'USD', False)
    >>> parse_money_wan("５０００万")
    (Decimal('5000'), 'CNY', False)
    >>> parse_money_wan("12,000")               # a bare number takes default_unit
    (Decimal('12000'), 'CNY', False)
    >>> parse_money_wan("3.5", default_unit="亿元")
    (Decimal('35000'), 'CNY', False)
    >>> parse_money_wan("待定") is None
    True

    default_unit is one of 万元, 亿元, 元, 千元, 万美元, 美元, 亿美元, 万港元.
    """
    if s is None or isinstance(s, bool):
        return None
    if default_unit not in _DEFAULT_MONEY:
        raise ValueError(f"unknown default_unit {default_unit!r}")
    if isinstance(s, (int, float, Decimal)):
        s = str(s)
    text = normalize(s).strip().replace(" ", "").replace("\u00a0", "")
    m = _MONEY_CELL.match(text)
    if not m or not text:
        return None
    if m["num"] in ("十", "百", "千", "万", "亿"):
        return None  # "亿元" alone is a unit, not an amount
    number = parse_chinese_number(m["num"])
    if number is None:
        return None
    mag, cur = m["mag"] or "", m["cur"]
    if not mag and not cur:
        mag, cur = _DEFAULT_MONEY[default_unit]
    elif not cur:
        cur = _DEFAULT_MONEY[default_unit][1]
    if m["cpre"] and cur in ("元", "圆"):
        cur = next(w for w, c in CURRENCY_WORDS.items() if c == CURRENCY_PREFIXES[m["cpre"]])
    wan, code = money_to_wan(number, mag, cur)
    approx = bool(m["pre"] or m["post"] or m["more1"] or m["more2"])
    return wan, code, approx


def parse_area(s: str | float | Decimal | None, default_unit: str = "亩") -> tuple[Decimal, str, bool] | None:
    """Parse an area cell or phrase into (value, "亩" or "平方米", approx); None on garbage.

    >>> parse_area("1500余亩")
    (Decimal('1500'), '亩', True)
    >>> parse_area("3万平方米")
    (Decimal('30000'), '平方米', False)
    >>> parse_area("20公顷")
    (Decimal('300'), '亩', False)
    >>> parse_area("1.2平方公里")
    (Decimal('1200000'), '平方米', False)
    >>> parse_area("85")
    (Decimal('85'), '亩', False)
    >>> parse_area("85", default_unit="平方米")
    (Decimal('85'), '平方米', False)
    """
    if s is None or isinstance(s, bool):
        return None
    if isinstance(s, (int, float, Decimal)):
        s = str(s)
    text = normalize(s).strip().replace(" ", "")
    m = _AREA_CELL.match(text)
    if not m:
        return None
    number = parse_chinese_number(m["num"])
    if number is None:
        return None
    unit_word = m["unit"] or default_unit
    if unit_word not in AREA_UNITS:
        raise ValueError(f"unknown area unit {unit_word!r}")
    unit, factor = AREA_UNITS[unit_word]
    value = number * factor * MAGNITUDES[m["mag"] or ""]
    approx = bool(m["pre"] or m["post"] or m["more1"] or m["more2"])
    return tidy(value), unit, approx


def area_to(target: str, value: Decimal, unit: str) -> Decimal:
    """An area of value in unit ("亩" or "平方米") expressed in target ("亩" or "平方米").

    A value already in target comes back as it is; a converted one is rounded to 0.01 and tidied
    (1 亩 = 10000/15 平方米, so conversions rarely come out even).

    >>> area_to("亩", Decimal("6666.7"), "平方米")
    Decimal('10')
    >>> area_to("平方米", Decimal("120"), "亩")
    Decimal('80000')
    >>> area_to("亩", Decimal("120.125"), "亩")
    Decimal('120.125')
    """
    if unit == target:
        return value
    if (unit, target) == ("平方米", "亩"):
        converted = value * MU_PER_M2
    elif (unit, target) == ("亩", "平方米"):
        converted = value / MU_PER_M2
    else:
        raise ValueError(f"cannot convert {unit!r} to {target!r}")
    return tidy(converted.quantize(_CENT))


def area_value(number: Decimal, magnitude: str, unit_word: str) -> tuple[Decimal, str]:
    """number × magnitude of an area unit word → (value, "亩" or "平方米")."""
    unit, factor = AREA_UNITS[unit_word]
    return tidy(number * factor * MAGNITUDES[magnitude]), unit
