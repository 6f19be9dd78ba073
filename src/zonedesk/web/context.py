"""Template context shared by every page: the navigation each installed app contributes.

An app adds itself to the top bar by declaring ``nav = [(label, url_name, order), ...]`` on its
AppConfig; the web app does not need to know the others exist.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@cache
def _nav_entries() -> tuple[tuple[int, str, str], ...]:
    entries = []
    for config in apps.get_app_configs():
        for label, url_name, order in getattr(config, "nav", ()):
            entries.append((order, label, url_name))
    return tuple(sorted(entries))


def navigation(request) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    items = []
    path = request.path
    for _order, label, url_name in _nav_entries():
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": path == url or (url != "/" and path.startswith(url))})
    return {"nav_items": items, **_zone_switcher(request)}


def _zone_switcher(request) -> dict:
    """The zones a user may switch between, shown only when their reach spans more than one."""
    from zonedesk.access.scoping import restrict
    from zonedesk.geo.models import Zone

    zones = list(restrict(request.user, "view", Zone).only("pk", "name").order_by("name")[:200])
    if len(zones) < 2:
        return {"switch_zones": [], "current_zone": zones[0].pk if zones else None}
    return {"switch_zones": zones, "current_zone": request.session.get("zone")}
