"""Who may do what to a pasted text and its candidates, on the API and the pages
(see ``zonedesk.testing.permissions``)."""

from zonedesk.core.audit import acting_as
from zonedesk.intake.models import Evidence, SourceDocument
from zonedesk.intake.services import document_create
from zonedesk.projects.models import Project
from zonedesk.testing.permissions import Endpoint, Matrix, page_ids

from .conftest import TEXT

WATCH = (SourceDocument, Evidence, Project)


def documents(world):
    made = {}
    for key, who, zone in (
        ("target", world.officer_a, world.zone_a),
        ("other", world.officer_b, world.zone_b),
    ):
        with acting_as(who, source="test"):
            made[key] = document_create(user=who, zone=zone.pk, text=TEXT, title="集中签约报道")
    return made


# A text is seen by whoever fed it in, and behind the projects it was confirmed into; none is
# confirmed here, so only its author reaches it — not even the province administrator.
REACH = {"grant": (), "scoped": ("target",), "own_unit": (), "sibling_zone": ("other",)}
# Feeding a text needs the right to add or change projects and a zone one may see.
PASTE = {"grant": 201, "scoped": 201, "own_unit": 201, "nogrant": 403, "sibling_zone": 422}
ONE = "/api/v1/intake/documents/{target.pk}"
api = Matrix(
    surface="api",
    setup=documents,
    reach=REACH,
    watch=WATCH,
    endpoints=[
        Endpoint("documents", "detail", "read", ONE),
        Endpoint(
            "documents",
            "create",
            "create",
            "/api/v1/intake/documents/text",
            "post",
            {"zone": "{world.zone_a.pk}", "text": TEXT},
            ok=201,
            expect=PASTE,
        ),
        Endpoint("candidates", "discard", "write", ONE + "/candidates/0/discard", "post", {}),
    ],
)

PAGE = "/intake/{target.pk}/"
pages = Matrix(
    surface="page",
    setup=documents,
    reach=REACH,
    watch=WATCH,
    endpoints=[
        Endpoint(
            "documents",
            "list",
            "list",
            "/intake/",
            ids=page_ids(r'href="/intake/(\d+)/"'),
            expect={"nogrant": 403},
        ),
        Endpoint(
            "documents",
            "create",
            "create",
            "/intake/",
            "post",
            {"zone": "{world.zone_a.pk}", "text": TEXT},
            ok=302,
            expect={**PASTE, "grant": 302, "scoped": 302, "own_unit": 302},
        ),
        Endpoint("documents", "detail", "read", PAGE),
        Endpoint("candidates", "discard", "write", PAGE + "candidates/0/discard/", "post", {}, ok=302),
    ],
)

test_api_matrix = api.test()
test_page_matrix = pages.test()
