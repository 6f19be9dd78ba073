"""The one gate every read passes through: ``restrict(user, action, model)``.

Each restricted model declares, in a :class:`ScopeSpec`, which of its fields place it in a zone,
in org units and with owners. A grant's scope (own / unit / unit and below / zone / all / chosen
units) becomes a ``Q`` over those fields; a user's reach is the OR of their grants. Nothing is
filtered in Python, so lists, counts, exports and search all see the same rows, and an object
outside the reach simply is not there (the views answer 404).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from .models import User


@dataclass(frozen=True)
class ScopeSpec:
    """How a model sits in the organisation.

    ``zone``: lookup to the zone (``"self"`` when the model is the zone).
    ``units``: lookups to org units the record belongs to (``"self"`` for OrgUnit itself).
    ``owners``: lookups to users who own the record (for the "own records" scope).
    ``via``: for viewing only, (lookup, app_label.Model) pairs: the record is also visible when a
    related record of that model is visible (an enterprise investing in a project you can see).
    """

    zone: str | None = None
    units: tuple[str, ...] = ()
    owners: tuple[str, ...] = ("created_by",)
    via: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    # Zones and parks: members of a zone's units (any unit-based or own scope) see the zone itself,
    # so they can file records in it, without seeing its other units' records.
    member_zone: bool = False


def _lookup(prefix: str, suffix: str) -> str:
    if prefix == "self":
        return suffix if suffix != "pk" else "pk"
    return f"{prefix}__{suffix}" if suffix != "pk" else prefix


def _scope_q(spec: ScopeSpec, grant: Any, user: User) -> Q | None:
    """The rows one grant reaches, or ``None`` for no rows. ``Q()`` means every row."""
    from .choices import Scope

    scope = grant.scope
    if scope == Scope.ALL:
        return Q()
    member = Q()
    if spec.member_zone and spec.zone and scope in (Scope.OWN, Scope.UNIT, Scope.UNIT_TREE, Scope.UNITS):
        unit = user.unit  # None without a query when unit_id is None
        zone_id = unit.zone_id if unit is not None else None
        if zone_id:
            member = Q(**{_lookup(spec.zone, "pk"): zone_id})
    q = _scope_q_core(spec, grant, user, scope)
    if member:
        return member if q is None else q | member
    return q


def _scope_q_core(spec: ScopeSpec, grant: Any, user: Any, scope: str) -> Q | None:
    from .choices import Scope

    if scope == Scope.OWN:
        q = Q()
        for owner in spec.owners:
            q |= Q(**{owner: user.pk})
        return q if spec.owners else None
    if scope == Scope.ZONE:
        if spec.zone is None or grant.zone_id is None:
            return None
        return Q(**{_lookup(spec.zone, "pk"): grant.zone_id})

    # Unit-based scopes: match the record's units, and the committee unit of its zone.
    unit_lookups = list(spec.units)
    if spec.zone is not None:
        unit_lookups.append("committee" if spec.zone == "self" else f"{spec.zone}__committee")
    if not unit_lookups:
        return None
    q = Q()
    if scope == Scope.UNIT:
        if user.unit_id is None:
            return None
        for lk in unit_lookups:
            q |= Q(**{_lookup(lk, "pk"): user.unit_id})
        return q
    if scope == Scope.UNIT_TREE:
        if user.unit_id is None:
            return None
        path = user.unit.path
        for lk in unit_lookups:
            q |= Q(**{_lookup(lk, "path__startswith"): path})
        return q
    if scope == Scope.UNITS:
        unit_ids = [u.pk for u in grant.units.all()]
        if not unit_ids:
            return None
        for lk in unit_lookups:
            q |= Q(**{_lookup(lk, "pk__in"): unit_ids})
        return q
    return None


def object_type(model: type[models.Model]) -> str:
    return model._meta.model_name  # type: ignore[return-value]


def user_grants(user: User) -> list[Any]:
    """The user's grants, loaded once per user object (one query per request)."""
    cached = getattr(user, "_zonedesk_grants", None)
    if cached is None:
        cached = list(user.grants.select_related("role", "zone").prefetch_related("units"))
        user._zonedesk_grants = cached  # type: ignore[attr-defined]
    return cached


def reach_q(user: Any, action: str, model: type[models.Model]) -> Q | None:
    """The ``Q`` of rows ``user`` may ``action`` on ``model``: ``Q()`` is all, ``None`` is none."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Q()
    spec: ScopeSpec = model.scope  # type: ignore[attr-defined]
    otype = object_type(model)
    combined: Q | None = None
    for grant in user_grants(user):
        if not grant.role.allows(otype, action):
            continue
        q = _scope_q(spec, grant, user)
        if q is None:
            continue
        if not q:  # Q() — this grant reaches everything
            return Q()
        combined = q if combined is None else combined | q
    if action == "view":
        from django.apps import apps

        for lookup, label in spec.via:
            related = apps.get_model(label)
            related_q = reach_q(user, "view", related)
            if related_q is None:
                continue
            ids = related._default_manager.filter(related_q).values(lookup)
            via_q = Q(pk__in=ids)
            combined = via_q if combined is None else combined | via_q
    return combined


def can(user: Any, action: str, model: type[models.Model]) -> bool:
    """Whether any grant lets ``user`` do ``action`` on some ``model`` rows (for showing buttons)."""
    return reach_q(user, action, model) is not None


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user: Any, action: str = "view") -> RestrictedQuerySet:
        q = reach_q(user, action, self.model)
        if q is None:
            return self.none()
        return self.filter(q) if q else self.all()


def restrict(user: Any, action: str, model: type[models.Model]) -> RestrictedQuerySet:
    """The gate. Every read — pages, API, exports, search, bulletins — starts here."""
    return model._default_manager.all().restrict(user, action)  # type: ignore[attr-defined]
