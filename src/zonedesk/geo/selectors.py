"""Reads of zones."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from zonedesk.textnorm import normalize


def _folded(text: str) -> str:
    return "".join(normalize(text).split())


def zone_short_name(zone: Any) -> str:
    """What a zone is called in tables and lists: its first alias (长治高新区), else its full name.
    For a Zone or any record with its ``name`` and ``aliases``."""
    return zone.aliases[0] if zone.aliases else zone.name


def find_zone(zones: Iterable[Any], text: Any) -> Any | None:
    """The zone of ``zones`` (a scoped queryset, or all zones for system jobs) named by ``text``: its
    id, its full name or one of its aliases, compared with width, traditional characters and spaces
    folded, as people type them on a command line. An alias two zones share names neither."""
    wanted = _folded(str(text or ""))
    if not wanted:
        return None
    zones = list(zones)
    for zone in zones:
        if str(zone.pk) == wanted or _folded(zone.name) == wanted:
            return zone
    matches = [z for z in zones if wanted in {_folded(a) for a in (z.aliases or [])}]
    return matches[0] if len(matches) == 1 else None
