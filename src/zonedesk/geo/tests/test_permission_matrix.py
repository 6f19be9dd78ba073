"""Who may see which zones and units, on the API and the pages (see ``zonedesk.testing.permissions``)."""

from zonedesk.access.models import OrgUnit
from zonedesk.geo.models import Park, Zone
from zonedesk.testing.factories import administrators
from zonedesk.testing.permissions import Endpoint, Matrix, page_ids


def zones(world):
    return {"target": world.zone_a, "other": world.zone_b}


def units(world):
    return {"target": world.centre_a, "other": world.centre_b}


zone_api = Matrix(
    surface="api",
    setup=zones,
    watch=(Zone, Park),
    endpoints=[
        Endpoint("zones", "list", "list", "/api/v1/zones"),
        Endpoint("zones", "detail", "read", "/api/v1/zones/{target.pk}"),
    ],
)
unit_api = Matrix(
    surface="api",
    setup=units,
    watch=(OrgUnit,),
    endpoints=[
        Endpoint("units", "list", "list", "/api/v1/units"),
        Endpoint("units", "detail", "read", "/api/v1/units/{target.pk}"),
    ],
)
zone_pages = Matrix(
    surface="page",
    setup=zones,
    watch=(Zone, Park),
    endpoints=[Endpoint("zones", "detail", "read", "/zones/{target.pk}/")],
)
unit_pages = Matrix(
    surface="page",
    setup=units,
    watch=(OrgUnit,),
    endpoints=[Endpoint("units", "detail", "read", "/units/{target.pk}/")],
)

test_zone_api_matrix = zone_api.test()
test_unit_api_matrix = unit_api.test()
test_zone_page_matrix = zone_pages.test()
test_unit_page_matrix = unit_pages.test()


# ----------------------------------------------------------------------------- the administration pages
def administered_zones(world):
    return {**administrators(world), **zones(world)}


def administered_parks(world):
    from zonedesk.core.audit import acting_as
    from zonedesk.geo.services import park_create

    with acting_as(world.admin, source="test"):
        other = park_create(zone=world.zone_b, name="兴县铝材园")
    return {**administrators(world), "target": world.park_a, "other": other}


ADMINS = {"scoped": "zone_admin_a", "own_unit": "unit_admin", "sibling_zone": "zone_admin_b"}
ZONE = "/manage/zones/{target.pk}/"
zone_admin_pages = Matrix(
    surface="page",
    setup=administered_zones,
    watch=(Zone, Park),
    people=ADMINS,
    expect={"nogrant": 403},
    endpoints=[
        Endpoint(
            "manage_zones",
            "list",
            "list",
            "/manage/zones/",
            ids=page_ids(r'href="/manage/zones/(\d+)/edit/"'),
        ),
        Endpoint("manage_zones", "edit_form", "read", ZONE + "edit/"),
        Endpoint(
            "manage_zones",
            "update",
            "write",
            ZONE + "edit/",
            "post",
            lambda ctx: {
                "name": ctx["target"].name,
                "aliases": "长治高新区、高新区",
                "kind": ctx["target"].kind,
                "level": ctx["target"].level,
                "region": ctx["target"].region_id,
            },
            ok=302,
        ),
        Endpoint(
            "parks",
            "create",
            "write",
            ZONE + "parks/new/",
            "post",
            {"name": "新材料产业园", "area_mu": "1200"},
            ok=302,
        ),
        # Only an administrator of every zone sets up a new one; the others are told beside the form.
        Endpoint(
            "manage_zones",
            "create",
            "create",
            "/manage/zones/new/",
            "post",
            {"name": "潞城经济技术开发区", "kind": "etdz", "level": "provincial", "region": "140400"},
            ok=302,
            expect={"scoped": 422, "own_unit": 422, "sibling_zone": 422},
        ),
    ],
)
park_admin_pages = Matrix(
    surface="page",
    setup=administered_parks,
    watch=(Zone, Park),
    people=ADMINS,
    expect={"nogrant": 403},
    endpoints=[
        Endpoint("parks", "edit_form", "read", "/manage/zones/parks/{target.pk}/edit/"),
        Endpoint(
            "parks",
            "update",
            "write",
            "/manage/zones/parks/{target.pk}/edit/",
            "post",
            {"name": "生物医药产业园一期"},
            ok=302,
        ),
    ],
)

test_zone_admin_page_matrix = zone_admin_pages.test()
test_park_admin_page_matrix = park_admin_pages.test()
