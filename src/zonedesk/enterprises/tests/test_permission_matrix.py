"""Who may do what to an enterprise, on the API and its page (see ``zonedesk.testing.permissions``)."""

from zonedesk.enterprises.models import Contact, Enterprise
from zonedesk.testing.permissions import Endpoint, Matrix

WATCH = (Enterprise, Contact)


def enterprises(world):
    return {
        "target": world.enterprise("长治安博泰克生物科技有限公司", world.zone_a),
        "other": world.enterprise("兴县稳卓汽车部件有限公司", world.zone_b),
    }


ONE = "/api/v1/enterprises/{target.pk}"
# Enterprises sit in a zone, not a unit: a department's unit grant reaches them only through a
# project of its unit that they invest in, and none does here. Zone officers may not delete.
UNIT_OUT = {"own_unit": ()}
api = Matrix(
    surface="api",
    setup=enterprises,
    reach=UNIT_OUT,
    watch=WATCH,
    endpoints=[
        Endpoint("enterprises", "list", "list", "/api/v1/enterprises"),
        Endpoint("enterprises", "detail", "read", ONE),
        Endpoint(
            "enterprises",
            "create",
            "create",
            "/api/v1/enterprises",
            "post",
            {"name": "新设企业有限公司", "zone": "{world.zone_a.pk}"},
            ok=201,
            expect={"own_unit": 403, "sibling_zone": 422},
        ),
        Endpoint("enterprises", "update", "write", ONE, "patch", {"version": 1, "tags": ["high_tech"]}),
        Endpoint("enterprises", "delete", "write", ONE, "delete", ok=204, expect={"scoped": 403}),
    ],
)

pages = Matrix(
    surface="page",
    setup=enterprises,
    reach=UNIT_OUT,
    watch=WATCH,
    endpoints=[Endpoint("enterprises", "detail", "read", "/enterprises/{target.pk}/")],
)

test_api_matrix = api.test()
test_page_matrix = pages.test()
