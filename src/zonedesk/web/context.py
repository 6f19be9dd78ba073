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
    return {"nav_items": items}
