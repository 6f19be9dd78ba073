"""Hypothesis strategies for ledger cells as people type them, and garbage no converter reads.

Shared by the corruption properties (parse only, and the whole import): the same valid cells, the
same garbage."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import strategies as st

from zonedesk.textnorm import parse_date, parse_money_wan

money = st.one_of(
    st.integers(min_value=1, max_value=50_000),
    st.decimals(min_value=1, max_value=999, places=2).map(lambda d: f"{d}亿元"),
    st.integers(min_value=1, max_value=9).map(lambda n: f"约{n}亿"),
)
day = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))
date_cell = st.one_of(
    day.map(lambda d: datetime(d.year, d.month, d.day)),
    day.map(lambda d: (d - date(1899, 12, 30)).days),  # Excel serial in a number cell
    day.map(lambda d: f"{d.year}年{d.month}月"),
    day.map(lambda d: f"{d.year}/{d.month}/{d.day}"),
)


def _unreadable(text: str) -> bool:
    return bool(text.strip()) and parse_money_wan(text) is None and parse_date(text) is None


garbage = st.text(alphabet="待定不详未知暂无?？xyz-—", min_size=1, max_size=8).filter(_unreadable)
