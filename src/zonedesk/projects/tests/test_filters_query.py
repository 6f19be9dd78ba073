"""The ledger's query string is the one way pages, exports and saved views name a filtered view."""

import datetime as dt
from decimal import Decimal

from django.http import QueryDict

from zonedesk.projects.selectors import ProjectFilters


def test_query_string_parses_into_filters_and_back_ignoring_bad_values():
    f = ProjectFilters.from_query(
        QueryDict(
            "zone=3&stage=signed&stage=started&investment_min=1.5&signed_from=2026-01-02&q=碳化硅&park=x"
        )
    )
    assert f == ProjectFilters(
        zone=3,
        stage=["signed", "started"],
        investment_min=Decimal("1.5"),
        signed_from=dt.date(2026, 1, 2),
        q="碳化硅",
    )
    assert f.as_query() == {
        "zone": "3",
        "stage": ["signed", "started"],
        "investment_min": "1.5",
        "signed_from": "2026-01-02",
        "q": "碳化硅",
    }
