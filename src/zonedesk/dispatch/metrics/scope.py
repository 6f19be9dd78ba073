"""Whose data a figure is computed over: the reader (the gate), and optionally some zones and a condition
on projects. Every source's rows start from ``restrict(user, "view", Model)`` here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from zonedesk.access.scoping import restrict
from zonedesk.projects.models import Project

from .config import MODELS

GROUPINGS = ("zone", "unit", "chain", "officer")
# How each source reaches the grouping fields.
GROUP_PATHS = {
    "projects": {
        "zone": "zone_id",
        "unit": "pursuing_unit_id",
        "chain": "chain_node",
        "officer": "responsible_officer_id",
    },
    "reports": {
        "zone": "zone_id",
        "unit": "project__pursuing_unit_id",
        "chain": "project__chain_node",
        "officer": "project__responsible_officer_id",
    },
    "issues": {
        "zone": "zone_id",
        "unit": "owner_unit_id",
        "chain": "project__chain_node",
        "officer": "project__responsible_officer_id",
    },
    "plans": {
        "zone": "zone_id",
        "unit": "project__pursuing_unit_id",
        "chain": "project__chain_node",
        "officer": "project__responsible_officer_id",
    },
}
PROJECT_PATH = {"projects": "", "reports": "project__", "issues": "project__", "plans": "project__"}


@dataclass
class Scope:
    """Whose data: the user (the gate), and optionally some zones and extra project conditions."""

    user: Any
    zone_ids: list[int] | None = None
    project_q: Q | None = None  # e.g. a size tier: Q(total_investment_wan__gte=10000)


def base_queryset(source: str, scope: Scope) -> Any:
    """The rows of ``source`` the scope may see: the gate, then the zones, then the project filter."""
    qs = restrict(scope.user, "view", MODELS[source])
    if scope.zone_ids is not None:
        qs = qs.filter(zone_id__in=scope.zone_ids)
    if source != "projects":
        # Records about a project count only when the project itself is visible to the reader.
        visible = restrict(scope.user, "view", Project).values("pk")
        qs = (
            qs.filter(Q(project__isnull=True) | Q(project__in=visible))
            if source == "issues"
            else qs.filter(project__in=visible)
        )
    if scope.project_q is not None:
        qs = qs.filter(_prefix_q(scope.project_q, PROJECT_PATH[source]))
    return qs


def _prefix_q(q: Q, prefix: str) -> Q:
    if not prefix:
        return q
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    children: list[Any] = list(q.children)
    out.children = [_prefix_q(c, prefix) if isinstance(c, Q) else (prefix + c[0], c[1]) for c in children]
    return out
