"""Who may do what to a project, on the API and on the pages (see ``zonedesk.testing.permissions``)."""

from zonedesk.projects.models import FollowUp, Project, ProjectHesitation, Requirement, StageLog
from zonedesk.testing.permissions import Endpoint, Matrix, page_ids

WATCH = (Project, StageLog, FollowUp, Requirement, ProjectHesitation)


def projects(world):
    target = world.project(
        name="长治高新区抗体药物项目", pursuing_unit=world.centre_a.pk, responsible_officer=world.officer_a.pk
    )
    other = world.project(world.zone_b, name="兴县铝合金零部件项目", pursuing_unit=world.centre_b.pk)
    return {"target": target, "other": other}


def edit_form(project):
    """What the edit page posts back unchanged: every editable field that has a value."""
    from django.forms.models import model_to_dict

    from zonedesk.projects.services import EDITABLE_FIELDS

    values = model_to_dict(project, fields=EDITABLE_FIELDS)
    return {name: value for name, value in values.items() if value not in (None, [], "")}


ONE = "/api/v1/projects/{target.pk}"
# Every advance carries the version it read (a stale or missing one is refused): the target is new, version 1.
ADVANCE = {"to_stage": "negotiating", "occurred_on": "2026-05-01", "evidence": "首次洽谈", "version": 1}
FOLLOW_UP = {"date": "2026-05-02", "kind": "visit", "summary": "上门拜访企业负责人"}
# The department role may edit and advance a project of its unit but not create or delete one;
# a zone B officer naming zone A is told the zone is not there (422), not that it is forbidden.
api = Matrix(
    surface="api",
    setup=projects,
    watch=WATCH,
    endpoints=[
        Endpoint("projects", "list", "list", "/api/v1/projects"),
        Endpoint("projects", "detail", "read", ONE),
        Endpoint("projects", "history", "read", ONE + "/history"),
        Endpoint("projects", "stages", "read", ONE + "/stages"),
        Endpoint("projects", "follow_ups", "read", ONE + "/follow-ups"),
        Endpoint("projects", "missing", "read", ONE + "/missing?to_stage=signed"),
        Endpoint(
            "projects",
            "create",
            "create",
            "/api/v1/projects",
            "post",
            {"name": "新建碳化硅衬底项目", "zone": "{world.zone_a.pk}"},
            ok=201,
            expect={"own_unit": 403, "sibling_zone": 422},
        ),
        Endpoint("projects", "update", "write", ONE, "patch", {"version": 1, "leader_name": "王海涛"}),
        Endpoint("projects", "delete", "write", ONE, "delete", ok=204, expect={"own_unit": 403}),
        Endpoint("projects", "advance", "write", ONE + "/advance", "post", ADVANCE),
        Endpoint("projects", "follow_up", "write", ONE + "/follow-ups", "post", FOLLOW_UP, ok=201),
    ],
)

PAGE = "/projects/{target.pk}/"
pages = Matrix(
    surface="page",
    setup=projects,
    watch=WATCH,
    endpoints=[
        Endpoint("projects", "list", "list", "/projects/", ids=page_ids(r'href="/projects/(\d+)/"')),
        Endpoint("projects", "detail", "read", PAGE),
        Endpoint(
            "projects", "board", "list", "/board/", ids=page_ids(r'href="/projects/(\d+)/" class="card-name"')
        ),
        Endpoint(
            "projects",
            "board_move",
            "write",
            "/board/move/",
            "post",
            lambda ctx: {"project": ctx["target"].pk, **ADVANCE},
        ),
        Endpoint("projects", "edit_form", "read", PAGE + "edit/"),
        Endpoint(
            "projects",
            "update",
            "write",
            PAGE + "edit/",
            "post",
            lambda ctx: {**edit_form(ctx["target"]), "version": 1, "leader_name": "王海涛"},
            ok=302,
            # Known gap, left to the projects owner: the form offers only the officers of the user's
            # own reach, so a unit-scoped user cannot re-post a project whose responsible officer
            # sits in the committee (the API accepts the same change). Refused, nothing changed.
            expect={"own_unit": 422},
        ),
        Endpoint("projects", "advance", "write", PAGE + "advance/", "post", ADVANCE, ok=302),
        Endpoint("projects", "follow_up", "write", PAGE + "follow-up/", "post", FOLLOW_UP, ok=302),
        Endpoint(
            "projects",
            "requirement",
            "write",
            PAGE + "requirements/",
            "post",
            {"content": "协调办理施工许可", "raised_on": "2026-05-03"},
            ok=302,
        ),
        Endpoint(
            "projects",
            "hesitations",
            "write",
            PAGE + "hesitations/",
            "post",
            {"reason": "land", "version": 1},
            ok=302,
        ),
    ],
)

test_api_matrix = api.test()
test_page_matrix = pages.test()
