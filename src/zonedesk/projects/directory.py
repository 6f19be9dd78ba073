"""Enterprise, zone and unit pages: who they are and the projects they answer for, within the user's reach."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.shortcuts import render
from django.utils.translation import gettext as _

from zonedesk.access.models import OrgUnit, User
from zonedesk.access.scoping import restrict
from zonedesk.core.permissions import visible_or_404
from zonedesk.enterprises.choices import EnterpriseTag
from zonedesk.enterprises.models import Enterprise
from zonedesk.geo.models import Park, Zone
from zonedesk.projects import selectors, stats
from zonedesk.projects.selectors import ProjectFilters

from .ledger import ledger_url

TAG_LABELS = dict(EnterpriseTag.choices)


def _project_rows(qs, limit: int = 100):
    return qs.select_related("zone", "pursuing_unit").order_by("-updated_at", "-id")[:limit]


@login_required
def enterprise_detail(request, pk):
    enterprise = visible_or_404(request.user, Enterprise, pk)
    projects = (
        selectors.project_queryset(request.user).filter(investor_links__enterprise=enterprise).distinct()
    )
    totals = projects.order_by().aggregate(
        count=Count("id", distinct=True), investment=Sum("total_investment_wan")
    )
    return render(
        request,
        "projects/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "projects": _project_rows(projects),
            "totals": totals,
            "contacts": enterprise.contacts.all(),
            "tags": _("、").join(str(TAG_LABELS.get(t, t)) for t in enterprise.tags or []),
        },
    )


@login_required
def zone_detail(request, pk):
    zone = visible_or_404(request.user, Zone, pk)
    base = ProjectFilters(zone=zone.pk)
    qs = selectors.project_list(request.user, base)
    totals = qs.order_by().aggregate(count=Count("id"), investment=Sum("total_investment_wan"))
    units = (
        restrict(request.user, "view", OrgUnit)
        .filter(zone=zone)
        .annotate(n=Count("pk", filter=Q(pk__in=qs.values("pursuing_unit"))))
        .order_by("path")
    )
    return render(
        request,
        "projects/zone_detail.html",
        {
            "zone": zone,
            "parks": restrict(request.user, "view", Park).filter(zone=zone).order_by("name"),
            "units": units,
            "funnel": [(b, ledger_url(b.filters)) for b in stats.funnel(qs, base)],
            "totals": totals,
            "ledger_link": ledger_url(base.as_query()),
        },
    )


@login_required
def unit_detail(request, pk):
    unit = visible_or_404(request.user, OrgUnit, pk)
    qs = selectors.project_queryset(request.user).filter(Q(pursuing_unit=unit) | Q(referring_unit=unit))
    totals = qs.order_by().aggregate(
        count=Count("id"),
        pursuing=Count("id", filter=Q(pursuing_unit=unit)),
        referring=Count("id", filter=Q(referring_unit=unit)),
        investment=Sum("total_investment_wan"),
    )
    return render(
        request,
        "projects/unit_detail.html",
        {
            "unit": unit,
            "children": restrict(request.user, "view", OrgUnit).filter(parent=unit).order_by("name"),
            "members": User.objects.filter(unit=unit, is_active=True).order_by("full_name"),
            "projects": _project_rows(qs),
            "totals": totals,
            "pursuing_link": ledger_url({"pursuing_unit": unit.pk}),
            "referring_link": ledger_url({"referring_unit": unit.pk}),
        },
    )
