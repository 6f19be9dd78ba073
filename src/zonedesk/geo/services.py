"""Writes to zones and parks, with history.

The administration pages pass ``by``, the administrator acting: a zone is changed only by someone
who may change it (``restrict(by, "change", Zone)``), a new zone only by someone whose reach is every
zone, a park only inside a zone ``by`` may change. Without ``by`` (setup, commands) no such check."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from zonedesk.access.scoping import can, reach_q, restrict
from zonedesk.core.audit import log_change, require_actor, snapshot
from zonedesk.core.errors import NotPermitted, full_clean_or_fail

from .models import Park, Zone


@transaction.atomic
def zone_create(
    *,
    name: str,
    kind: str,
    level: str,
    region: Any,
    aliases: list[str] | None = None,
    committee: Any = None,
    by: Any = None,
) -> Zone:
    """Set up a zone (an administrator's act; the API exposes zones read-only)."""
    require_actor()
    if by is not None and reach_q(by, "add", Zone) != Q():
        raise NotPermitted(_("只有管理全部开发区的管理员才能新建开发区"))
    zone = Zone(name=name, kind=kind, level=level, region=region, aliases=aliases or [], committee=committee)
    full_clean_or_fail(zone)
    zone.save()
    if committee is not None and committee.zone_id != zone.pk:
        from zonedesk.access.services import orgunit_attach_zone

        orgunit_attach_zone(unit=committee, zone=zone)
    log_change(zone, "create", None, snapshot(zone))
    return zone


def _ensure_zone(by: Any, zone: Zone) -> None:
    if by is not None and not restrict(by, "change", Zone).filter(pk=zone.pk).exists():
        raise NotPermitted(_("您无权修改该开发区"))


@transaction.atomic
def zone_update(
    *, by: Any, zone: Zone, name: str, kind: str, level: str, region: Any, aliases: list[str]
) -> Zone:
    """Rename a zone, change its kind, level, region or aliases. Its committee stays."""
    require_actor()
    _ensure_zone(by, zone)
    locked = Zone.objects.select_for_update().get(pk=zone.pk)
    before = snapshot(locked)
    locked.name, locked.kind, locked.level, locked.region = name.strip(), kind, level, region
    locked.aliases = [a.strip() for a in aliases if a.strip()]
    full_clean_or_fail(locked)
    locked.save()
    log_change(locked, "update", before, snapshot(locked))
    return locked


@transaction.atomic
def park_create(*, zone: Zone, name: str, area_mu: Any = None, by: Any = None) -> Park:
    require_actor()
    _ensure_zone(by, zone)
    if by is not None and not can(by, "add", Park):
        raise NotPermitted(_("您没有新建园区的权限"))
    park = Park(zone=zone, name=name, area_mu=area_mu)
    full_clean_or_fail(park)
    park.save()
    log_change(park, "create", None, snapshot(park))
    return park


@transaction.atomic
def park_update(*, by: Any, park: Park, name: str, area_mu: Any = None) -> Park:
    require_actor()
    if by is not None and not restrict(by, "change", Park).filter(pk=park.pk).exists():
        raise NotPermitted(_("您无权修改该园区"))
    locked = Park.objects.select_for_update().get(pk=park.pk)
    before = snapshot(locked)
    locked.name, locked.area_mu = name.strip(), area_mu
    full_clean_or_fail(locked)
    locked.save()
    log_change(locked, "update", before, snapshot(locked))
    return locked
