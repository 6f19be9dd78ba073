"""Template context shared by every page: the navigation each installed app contributes.

An app adds itself to the top bar by declaring ``nav = [(label, url_name, order), ...]`` on its
AppConfig; the web app does not need to know the others exist. Labels are shown in the reader's
language: a lazy label translates itself, a plain Chinese one is looked up in the catalogues.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, gettext_noop

# Top-bar labels that other apps declare as plain text, so that the top bar is whole in English too.
OTHER_APPS_NAV = (gettext_noop("导入导出"), gettext_noop("调度通报"))


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
        items.append(
            {
                "label": gettext(str(label)),
                "url": url,
                "active": path == url or (url != "/" and path.startswith(url)),
            }
        )
    return {"nav_items": items, **_zone_switcher(request)}


def _zone_switcher(request) -> dict:
    """The zones a user may switch between, shown only when their reach spans more than one."""
    from zonedesk.access.scoping import restrict
    from zonedesk.geo.models import Zone

    zones = list(restrict(request.user, "view", Zone).only("pk", "name").order_by("name")[:200])
    if len(zones) < 2:
        return {"switch_zones": [], "current_zone": zones[0].pk if zones else None}
    return {"switch_zones": zones, "current_zone": request.session.get("zone")}


def saved_views(request) -> dict:
    """The user's named ledger views, for the ledger's "my views" menu. A lazy queryset: only a page that
    shows them reads them, and the ledger (in the projects app) need not import the workspace's models."""
    from .models import SavedView

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"saved_views": SavedView.objects.none()}
    return {"saved_views": SavedView.objects.filter(user=user).order_by("name")}
