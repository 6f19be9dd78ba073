"""What each installed app declares on its AppConfig, read in one place for the hubs that collect it.

An app contributes by declaring, on its AppConfig (all optional):

- ``url_prefix = "dispatch/"``: the URL hub (``config/urls.py``) includes ``<app>.urls`` at that prefix;
  the module sets ``app_name`` (its URL namespace).
- ``api_routers = {"/dispatch": "zonedesk.dispatch.api:router"}``: mounted on the one NinjaAPI
  (``api/v1.py``), under /api/v1 plus the key.
- ``cli_module = "zonedesk.dispatch.cli"``: a module with ``register(subparsers)``, added to ``zonedesk``.
- ``nav = [(label, url_name, order)]``: the top bar (``web/context.py``).
- ``role_grants = {role: {object_type: [actions]}}``: the default roles (``access/defaults.py``).

The hubs import the apps; the apps never import the hubs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string


def app_configs() -> list[AppConfig]:
    """The installed apps' configs, in INSTALLED_APPS order. Before ``django.setup()`` (the command line
    builds its parser first, and starts Django only for the command it runs) they are created from the
    settings without loading any models."""
    if apps.ready:
        return list(apps.get_app_configs())
    from django.conf import settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zonedesk.config.settings.local")
    return [AppConfig.create(entry) for entry in settings.INSTALLED_APPS]


def url_modules() -> Iterator[tuple[str, str]]:
    """(prefix, urls module) for every app that declares ``url_prefix``."""
    for config in app_configs():
        prefix = getattr(config, "url_prefix", None)
        if prefix is not None:
            yield prefix, f"{config.name}.urls"


def api_routers() -> Iterator[tuple[str, Any]]:
    """(prefix, Router) for every router an app declares in ``api_routers``."""
    for config in app_configs():
        for prefix, target in (getattr(config, "api_routers", None) or {}).items():
            yield prefix, import_string(target.replace(":", "."))


def cli_modules() -> Iterator[str]:
    """The command modules the apps declare in ``cli_module``."""
    for config in app_configs():
        module = getattr(config, "cli_module", None)
        if module:
            yield module
