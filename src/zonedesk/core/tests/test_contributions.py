"""The hubs collect what each app declares on its AppConfig (core/contributions.py): URLs, API routers,
commands. An app that declares nothing contributes nothing; a declared module is mounted where declared."""

from django.urls import resolve

from zonedesk.api.v1 import api
from zonedesk.cli import build_parser
from zonedesk.core.contributions import api_routers, cli_modules, url_modules
from zonedesk.dispatch.api import router as dispatch_router
from zonedesk.intake.api import router as intake_router


def test_url_hub_includes_each_declared_urls_module_at_its_prefix():
    assert list(url_modules()) == [
        ("", "zonedesk.web.urls"),
        ("dispatch/", "zonedesk.dispatch.urls"),
        ("ledger-io/", "zonedesk.ledgerio.urls"),
        ("intake/", "zonedesk.intake.urls"),
    ]
    assert [resolve(p).namespace for p in ("/dispatch/", "/ledger-io/", "/intake/", "/login/")] == [
        "dispatch",
        "ledgerio",
        "intake",
        "web",
    ]


def test_api_root_mounts_every_declared_router_at_its_prefix():
    assert list(api_routers()) == [("/dispatch", dispatch_router), ("/intake", intake_router)]
    mounted = [
        (prefix, router) for prefix, router in api._routers if router in (dispatch_router, intake_router)
    ]
    assert mounted == [("/dispatch", dispatch_router), ("/intake", intake_router)]


def test_command_line_registers_every_declared_command_module():
    assert list(cli_modules()) == [
        "zonedesk.access.cli",
        "zonedesk.projects.cli",
        "zonedesk.dispatch.cli",
        "zonedesk.ledgerio.cli",
    ]
    commands = list(build_parser()._subparsers._group_actions[0].choices)
    assert commands == [
        "demo",
        "serve",
        "token",
        "user",
        "project",
        "search",
        "bulletin",
        "dispatch",
        "import",
        "export",
        "manage",
    ]
