"""Who may see which zones and units, on the API and the pages (see ``zonedesk.testing.permissions``)."""

from zonedesk.access.models import OrgUnit
from zonedesk.geo.models import Park, Zone
from zonedesk.testing.permissions import Endpoint, Matrix


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
