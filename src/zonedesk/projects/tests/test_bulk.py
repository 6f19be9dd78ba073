"""The bulk path's own helpers: history values as core.audit writes them, id runs for the reach check."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from zonedesk.core.audit import to_jsonable
from zonedesk.projects.bulk import _runs, jsonable


@settings(max_examples=500, deadline=None)
@given(
    value=st.decimals(allow_nan=False, allow_infinity=False, places=None)
    | st.integers(min_value=0, max_value=10**30).map(Decimal)
    | st.builds(lambda i, e: Decimal(i).scaleb(-e), st.integers(0, 10**16), st.integers(0, 6))
)
def test_history_form_of_a_decimal_is_core_audits(value):
    assert jsonable(value) == to_jsonable(value)


def test_runs_cover_exactly_the_ids():
    assert _runs([1, 2, 3, 5, 7, 8]) == [(1, 3), (5, 5), (7, 8)]
    assert _runs([]) == []
