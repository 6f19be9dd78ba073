"""The gate's two questions, asked the same way by every app's services (core/permissions.py)."""

import pytest

from zonedesk.core.errors import NotPermitted, ValidationFailed
from zonedesk.core.permissions import ensure_may, ensure_may_act, resolve_visible
from zonedesk.geo.models import Zone
from zonedesk.projects.models import Project


def test_ensure_may_act_passes_for_a_row_inside_the_reach(world):
    project = world.project(world.zone_a)
    ensure_may_act(world.officer_a, "change", project)  # no exception: inside the reach


def test_ensure_may_act_refuses_a_row_in_a_sibling_zone_naming_verb_and_record(world):
    project = world.project(world.zone_a)
    with pytest.raises(NotPermitted) as exc:
        ensure_may_act(world.officer_b, "change", project)
    assert (exc.value.message, exc.value.status) == ("您无权在该范围内修改项目", 403)


def test_ensure_may_act_refuses_an_action_the_role_lacks_on_a_visible_row(world):
    project = world.project(world.zone_a)
    with pytest.raises(NotPermitted) as exc:
        ensure_may_act(world.city_officer, "delete", project)  # the bureau reads, it does not delete
    assert exc.value.message == "您无权在该范围内删除项目"


def test_ensure_may_act_says_the_callers_message_when_given(world):
    project = world.project(world.zone_a)
    with pytest.raises(NotPermitted) as exc:
        ensure_may_act(world.officer_b, "delete", project, "您无权删除该项目")
    assert exc.value.message == "您无权删除该项目"


def test_ensure_may_refuses_a_user_without_any_grant(world):
    with pytest.raises(NotPermitted) as exc:
        ensure_may(world.nogrant, "add", Project)
    assert exc.value.message == "您没有新建项目的权限"
    ensure_may(world.officer_a, "add", Project)  # no exception: the role grants it


def test_resolve_visible_returns_the_row_by_pk_or_instance(world):
    assert resolve_visible(world.officer_a, Zone, world.zone_a.pk, field="zone") == world.zone_a
    assert resolve_visible(world.officer_a, Zone, world.zone_a, field="zone") == world.zone_a


@pytest.mark.parametrize("value", ["sibling", 999999, "abc"])
def test_resolve_visible_answers_out_of_reach_absent_and_malformed_alike(world, value):
    pk = world.zone_b.pk if value == "sibling" else value
    with pytest.raises(ValidationFailed) as exc:
        resolve_visible(world.officer_a, Zone, pk, field="zone")
    assert exc.value.message == "开发区不存在或无权访问"
    assert exc.value.fields == {"zone": [f"开发区不存在或无权访问（{pk}）"]}


def test_resolve_visible_empty_is_none_unless_required(world):
    assert resolve_visible(world.officer_a, Zone, None, field="zone", required=False) is None
    assert resolve_visible(world.officer_a, Zone, "", field="zone", required=False) is None
    with pytest.raises(ValidationFailed) as exc:
        resolve_visible(world.officer_a, Zone, None, field="park_zone", label="所在开发区")
    assert exc.value.fields == {"park_zone": ["所在开发区不存在或无权访问（None）"]}
