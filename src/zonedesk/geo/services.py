"""Writes to zones and parks, with history."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zonedesk.core.audit import log_change, require_actor, snapshot
from zonedesk.core.errors import full_clean_or_fail

from .models import Park, Zone


@transaction.atomic
def zone_create(
    *, name: str, kind: str, level: str, region: Any, aliases: list[str] | None = None, committee: Any = None
) -> Zone:
    """Set up a zone (an administrator's act; the API exposes zones read-only)."""
    require_actor()
    zone = Zone(name=name, kind=kind, level=level, region=region, aliases=aliases or [], committee=committee)
    full_clean_or_fail(zone)
    zone.save()
    if committee is not None and committee.zone_id != zone.pk:
        from zonedesk.access.services import orgunit_attach_zone

        orgunit_attach_zone(unit=committee, zone=zone)
    log_change(zone, "create", None, snapshot(zone))
    return zone


@transaction.atomic
def park_create(*, zone: Zone, name: str, area_mu: Any = None) -> Park:
    require_actor()
    park = Park(zone=zone, name=name, area_mu=area_mu)
    full_clean_or_fail(park)
    park.save()
    log_change(park, "create", None, snapshot(park))
    return park
