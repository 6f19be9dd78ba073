"""The zone dashboard (驾驶舱): figures from ``projects.stats``, drawn by ECharts, each linking to its ledger rows."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from zonedesk.access.scoping import restrict
from zonedesk.geo.models import Zone
from zonedesk.projects import stats
from zonedesk.projects.selectors import ProjectFilters

from .ledger import filters_for, ledger_url


def _series(bars: list[stats.Bar]) -> dict:
    return {
        "labels": [b.label for b in bars],
        "counts": [b.count for b in bars],
        "investment": [float(b.investment or 0) for b in bars],
        "links": [ledger_url(b.filters) for b in bars],
    }


@login_required
def dashboard(request):
    filters = filters_for(request)
    base = ProjectFilters(zone=filters.zone, park=filters.park, pursuing_unit=filters.pursuing_unit)
    data = stats.dashboard(request.user, base, dt.date.today())
    charts = {
        "funnel": _series(data["funnel"]),
        "signings": _series(data["signings"]),
        "hesitations": _series(data["hesitations"]),
        "by_unit": _series(data["by_unit"]),
        "by_officer": _series(data["by_officer"]),
    }
    return render(
        request,
        "projects/dashboard.html",
        {
            **data,
            "charts": charts,
            "rows": {
                key: [
                    {
                        "label": b.label,
                        "count": b.count,
                        "investment": b.investment,
                        "link": ledger_url(b.filters),
                    }
                    for b in data[key]
                ]
                for key in charts
            },
            "filters": base,
            "ledger_all": ledger_url(base.as_query()),
            "watch": [(w, ledger_url(w.filters)) for w in data["watch"]],
            "overdue_link": ledger_url({**base.as_query(), "overdue_start": "1"}),
            "year": dt.date.today().year,
            "signed_link": ledger_url({**base.as_query(), "signed_from": f"{dt.date.today().year}-01-01"}),
            "started_link": ledger_url({**base.as_query(), "started_from": f"{dt.date.today().year}-01-01"}),
            "zones": restrict(request.user, "view", Zone).only("pk", "name").order_by("name"),
        },
    )
