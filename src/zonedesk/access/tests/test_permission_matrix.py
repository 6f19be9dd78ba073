"""Who may use the administration pages for people, units and grants
(see ``zonedesk.testing.permissions``).

The administrators: the World's province administrator (``grant``: province_admin over all), a
zone A administrator (``scoped``: province_admin over zone A), an administrator of one department
(``own_unit``: province_admin over 生物医药招商中心) and a zone B administrator (``sibling_zone``).
Someone who administers nothing is refused every page (403), whatever the record.
"""

from zonedesk.access.models import Grant, OrgUnit, User
from zonedesk.testing.factories import administrators
from zonedesk.testing.permissions import Endpoint, Matrix, page_ids

WATCH = (User, Grant, Grant.units.through, OrgUnit)
ADMINS = {"scoped": "zone_admin_a", "own_unit": "unit_admin", "sibling_zone": "zone_admin_b"}
NOT_AN_ADMINISTRATOR = {"nogrant": 403}


def people(world):
    return {**administrators(world), "target": world.centre_user, "other": world.officer_b}


def units(world):
    return {**administrators(world), "target": world.centre_a, "other": world.centre_b}


def grants(world):
    return {
        **administrators(world),
        "target": world.centre_user.grants.get(),
        "other": world.officer_b.grants.get(),
    }


USER = "/manage/users/{target.pk}/"
people_pages = Matrix(
    surface="page",
    setup=people,
    watch=WATCH,
    people=ADMINS,
    expect=NOT_AN_ADMINISTRATOR,
    endpoints=[
        Endpoint("users", "list", "list", "/manage/users/", ids=page_ids(r'href="/manage/users/(\d+)/"')),
        Endpoint("users", "detail", "read", USER),
        Endpoint(
            "users",
            "update",
            "write",
            USER,
            "post",
            {"full_name": "王海涛", "phone": "0355-1234567", "unit": "{target.unit_id}"},
            ok=302,
        ),
        Endpoint("users", "disable", "write", USER + "active/", "post", {"active": "0"}, ok=302),
        Endpoint("grants", "form", "read", USER + "grants/new/"),
        Endpoint(
            "grants",
            "create",
            "write",
            USER + "grants/new/",
            "post",
            lambda ctx: {"role": ctx["world"].roles["viewer"].pk, "scope": "unit"},
            ok=302,
        ),
        # A unit of zone A is not among a zone B administrator's choices: the form says so (422).
        Endpoint(
            "users",
            "create",
            "create",
            "/manage/users/new/",
            "post",
            {
                "username": "newcomer",
                "full_name": "新同事",
                "password": "Zd-2026-welcome",
                "unit": "{target.unit_id}",
            },
            ok=302,
            expect={"sibling_zone": 422},
        ),
    ],
)

UNIT = "/manage/units/{target.pk}/edit/"
unit_pages = Matrix(
    surface="page",
    setup=units,
    watch=WATCH,
    people=ADMINS,
    expect=NOT_AN_ADMINISTRATOR,
    endpoints=[
        Endpoint(
            "units", "tree", "list", "/manage/units/", ids=page_ids(r'href="/manage/units/(\d+)/edit/"')
        ),
        Endpoint("units", "edit_form", "read", UNIT),
        Endpoint(
            "units",
            "update",
            "write",
            UNIT,
            "post",
            {"name": "生物医药产业招商中心", "kind": "investment_centre"},
            ok=302,
        ),
        Endpoint(
            "units",
            "create",
            "create",
            "/manage/units/new/",
            "post",
            {"parent": "{target.pk}", "name": "医疗器械专班", "kind": "service_team"},
            ok=302,
            expect={"sibling_zone": 422},
        ),
    ],
)

grant_pages = Matrix(
    surface="page",
    setup=grants,
    watch=WATCH,
    people=ADMINS,
    expect=NOT_AN_ADMINISTRATOR,
    endpoints=[
        Endpoint("grants", "delete", "write", "/manage/grants/{target.pk}/delete/", "post", {}, ok=302)
    ],
)

# Reference data is the same for every administrator.
reference_pages = Matrix(
    surface="page",
    setup=people,
    watch=WATCH,
    people=ADMINS,
    expect={**NOT_AN_ADMINISTRATOR, "sibling_zone": 200},
    endpoints=[Endpoint("reference", "view", "read", "/manage/reference/")],
)

test_people_page_matrix = people_pages.test()
test_unit_page_matrix = unit_pages.test()
test_grant_page_matrix = grant_pages.test()
test_reference_page_matrix = reference_pages.test()
