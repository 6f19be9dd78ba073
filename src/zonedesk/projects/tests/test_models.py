"""Small facts a project answers about itself."""

import datetime as dt

import pytest

from zonedesk.projects.models import Project

TODAY = dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    "entered_on, days",
    [
        (TODAY, 0),
        (dt.date(2026, 2, 19), 10),  # across the end of February
        (dt.date(2025, 3, 1), 365),
        (None, None),  # date unknown: the pages show a dash or nothing
    ],
)
def test_days_in_stage_counts_whole_days_since_the_stage_was_entered(entered_on, days):
    assert Project(stage_entered_on=entered_on).days_in_stage(TODAY) == days
