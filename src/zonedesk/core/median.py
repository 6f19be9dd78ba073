"""The one median of the code base: the dashboard's days between milestones and the dispatch KPIs'
"签约至开工天数（中位数）" both come from here, so the same projects give the same figure."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal


def median(values: Iterable[int | float | Decimal]) -> Decimal | None:
    """The exact median (the mean of the two middle values of an even count), or None of nothing."""
    ordered = sorted(Decimal(str(v)) if isinstance(v, float) else Decimal(v) for v in values)
    n = len(ordered)
    if not n:
        return None
    if n % 2:
        return ordered[n // 2]
    return (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def whole(value: Decimal | float | None) -> int | None:
    """A median shown in whole days: half a day rounds up (10.5 → 11), as the bulletin's tables print it.
    Python's round() would give 10 (to even), and the two pages would disagree."""
    if value is None:
        return None
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    return int(d.quantize(Decimal(1), rounding=ROUND_HALF_UP))
