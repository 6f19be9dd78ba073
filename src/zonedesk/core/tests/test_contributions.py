"""The hubs collect what each app declares on its AppConfig (core/contributions.py): URLs, API routers,
commands. An app that declares nothing contributes nothing; a declared module is mounted where declared."""

from django.urls import resolve

from zonedesk.access.api import router as access_router
from zonedesk.api.v1 import api
from zonedesk.cli import build_parser
from zonedesk.core.contributions import api_routers, cli_modules, url_modules
from zonedesk.dispatch.api import router as dispatch_router
from zonedesk.enterprises.api import router as enterprises_router
from zonedesk.factors.api import router as factors_router
from zonedesk.geo.api import router as geo_router
from zonedesk.intake.api import router as intake_router
from zonedesk.projects.api import router as projects_router


def test_url_hub_includes_each_declared_urls_module_at_its_prefix():
    assert list(url_modules()) == [
        ("audit/", "zonedesk.core.urls"),
        ("manage/", "zonedesk.access.urls"),
        ("manage/zones/", "zonedesk.geo.urls"),
        ("", "zonedesk.projects.urls"),
        ("", "zonedesk.web.urls"),
        ("dispatch/", "zonedesk.dispatch.urls"),
        ("ledger-io/", "zonedesk.ledgerio.urls"),
        ("intake/", "zonedesk.intake.urls"),
        ("account/", "zonedesk.identity.urls"),
        ("account/factors/", "zonedesk.factors.urls"),
    ]
    pages = ("/units/1/", "/zones/1/", "/enterprises/1/", "/projects/", "/board/", "/login/", "/dispatch/")
    assert [resolve(p).namespace for p in pages] == [
        "projects",
        "projects",
        "projects",
        "projects",
        "projects",
        "web",
        "dispatch",
    ]
    assert [resolve(p).namespace for p in ("/ledger-io/", "/intake/")] == ["ledgerio", "intake"]
    assert [resolve(p).namespace for p in ("/manage/", "/manage/zones/")] == ["access", "geo"]
    assert resolve("/account/password/").namespace == "identity"


def test_api_root_mounts_every_declared_router_at_its_prefix():
    declared = [
        ("/", access_router),
        ("/", geo_router),
        ("/enterprises", enterprises_router),
        ("/projects", projects_router),
        ("/dispatch", dispatch_router),
        ("/intake", intake_router),
        ("/tokens", factors_router),
    ]
    assert list(api_routers()) == declared
    assert api._routers[1:] == declared  # after ninja's own default router


def test_command_line_registers_every_declared_command_module():
    assert list(cli_modules()) == [
        "zonedesk.core.auditlog.cli",
        "zonedesk.access.cli",
        "zonedesk.projects.cli",
        "zonedesk.dispatch.cli",
        "zonedesk.ledgerio.cli",
        "zonedesk.identity.cli",
        "zonedesk.factors.cli",
    ]
    subparsers = build_parser()._subparsers
    assert subparsers is not None
    commands = list(subparsers._group_actions[0].choices or ())
    assert commands == [
        "demo",
        "serve",
        "audit",
        "token",
        "user",
        "accounts",
        "roles",
        "project",
        "search",
        "bulletin",
        "dispatch",
        "import",
        "export",
        "cleanup",
        "fields",
        "account",
        "manage",
    ]
