"""Every write carries the version it read: a second user working from a stale one changes nothing.

Two users of zone A: the first saves (the project goes to version 2), the second still holds
version 1 and tries to advance or change it, through the API, the project page, the board and the CLI.
"""

from __future__ import annotations

import json

import pytest

from zonedesk.core.audit import acting_as
from zonedesk.core.models import ObjectChange
from zonedesk.projects import services
from zonedesk.projects.models import Project, StageLog

STALE_PAGE = "该项目已被他人修改，请刷新后重试（您读取的是第 1 版，当前为第 2 版）"
STALE_API = "记录已被他人修改（您读取的是第 1 版，当前为第 2 版），请刷新后重试"


@pytest.fixture
def saved_by_first(world):
    """Zone A's project, read at version 1 by both users; the first (officer_a) then saved a field."""
    project = world.project(
        name="碳化硅外延片项目", pursuing_unit=world.centre_a.pk, responsible_officer=world.officer_a.pk
    )
    assert project.version == 1
    with acting_as(world.officer_a, source="test"):
        services.project_update(
            user=world.officer_a, project=project, data={"leader_name": "王主任"}, expected_version=1
        )
    project.refresh_from_db()
    assert (project.version, project.leader_name) == (2, "王主任")
    return project


def _unchanged(project, history: int) -> None:
    project.refresh_from_db()
    assert (project.stage, project.version, project.leader_name) == ("reserve", 2, "王主任")
    assert ObjectChange.objects.count() == history
    assert StageLog.objects.filter(project=project).count() == 0


def _post_json(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


# --------------------------------------------------------------------------- API


def test_api_advance_with_a_stale_version_is_409_and_changes_nothing(
    world, saved_by_first, client, token_for
):
    headers = token_for(world.centre_user)
    history = ObjectChange.objects.count()
    resp = _post_json(
        client,
        f"/api/v1/projects/{saved_by_first.pk}/advance",
        {"to_stage": "negotiating", "occurred_on": "2026-05-01", "version": 1},
        **headers,
    )
    assert resp.status_code == 409
    assert (resp.json()["code"], resp.json()["detail"]) == ("stale_version", STALE_API)
    _unchanged(saved_by_first, history)


def test_api_advance_without_a_version_is_422_and_changes_nothing(world, saved_by_first, client, token_for):
    headers = token_for(world.centre_user)
    history = ObjectChange.objects.count()
    resp = _post_json(
        client,
        f"/api/v1/projects/{saved_by_first.pk}/advance",
        {"to_stage": "negotiating", "occurred_on": "2026-05-01"},
        **headers,
    )
    assert resp.status_code == 422
    assert "version" in json.dumps(resp.json())
    _unchanged(saved_by_first, history)


def test_api_advance_with_the_current_version_moves_it(world, saved_by_first, client, token_for):
    resp = _post_json(
        client,
        f"/api/v1/projects/{saved_by_first.pk}/advance",
        {"to_stage": "negotiating", "occurred_on": "2026-05-01", "version": 2},
        **token_for(world.centre_user),
    )
    assert resp.status_code == 200
    assert (resp.json()["stage"], resp.json()["version"], resp.json()["leader_name"]) == (
        "negotiating",
        3,
        "王主任",
    )


def test_api_patch_with_a_stale_version_is_409_and_changes_nothing(world, saved_by_first, client, token_for):
    headers = token_for(world.centre_user)
    history = ObjectChange.objects.count()
    resp = client.patch(
        f"/api/v1/projects/{saved_by_first.pk}",
        json.dumps({"leader_name": "李主任", "version": 1}),
        content_type="application/json",
        **headers,
    )
    assert resp.status_code == 409 and resp.json()["code"] == "stale_version"
    _unchanged(saved_by_first, history)


# --------------------------------------------------------------------------- pages


def test_page_advance_with_a_stale_version_says_so_and_changes_nothing(world, saved_by_first, client):
    history = ObjectChange.objects.count()
    client.force_login(world.centre_user)
    resp = client.post(
        f"/projects/{saved_by_first.pk}/advance/",
        {"to_stage": "negotiating", "occurred_on": "2026-05-01", "version": "1"},
        follow=True,
    )
    assert STALE_PAGE in resp.content.decode()
    _unchanged(saved_by_first, history)


def test_page_advance_without_a_version_is_refused(world, saved_by_first, client):
    history = ObjectChange.objects.count()
    client.force_login(world.centre_user)
    resp = client.post(
        f"/projects/{saved_by_first.pk}/advance/",
        {"to_stage": "negotiating", "occurred_on": "2026-05-01"},
        follow=True,
    )
    assert "页面缺少版本号，请刷新后重试" in resp.content.decode()
    _unchanged(saved_by_first, history)


def test_project_page_form_carries_the_version_it_shows(world, saved_by_first, client):
    client.force_login(world.centre_user)
    html = client.get(f"/projects/{saved_by_first.pk}/").content.decode()
    assert '<input type="hidden" name="version" value="2"' in html


def test_page_edit_with_a_stale_version_is_a_form_error_and_changes_nothing(world, saved_by_first, client):
    history = ObjectChange.objects.count()
    client.force_login(world.admin)  # sees every unit's officers: the form is valid but for its version
    from zonedesk.projects.forms import ProjectForm

    shown = ProjectForm(instance=saved_by_first, user=world.admin)  # the form as the page drew it
    form = {name: shown[name].value() for name in shown.fields if shown[name].value() is not None}
    form |= {"leader_name": "李主任", "version": "1"}
    resp = client.post(f"/projects/{saved_by_first.pk}/edit/", form)
    assert resp.status_code == 422
    assert STALE_PAGE in resp.content.decode()
    _unchanged(saved_by_first, history)


def test_page_hesitations_with_a_stale_version_say_so_and_change_nothing(world, saved_by_first, client):
    history = ObjectChange.objects.count()
    client.force_login(world.centre_user)
    url = f"/projects/{saved_by_first.pk}/hesitations/"
    resp = client.post(url, {"reason": ["land"], "note": "等待用地指标", "version": "1"}, follow=True)
    assert STALE_PAGE in resp.content.decode()
    _unchanged(saved_by_first, history)
    assert (saved_by_first.hesitations.count(), saved_by_first.hesitation_note) == (0, "")
    resp = client.post(url, {"reason": ["land"], "note": "等待用地指标"}, follow=True)
    assert "页面缺少版本号，请刷新后重试" in resp.content.decode()
    _unchanged(saved_by_first, history)


def test_page_hesitations_with_the_current_version_save_as_a_new_version(world, saved_by_first, client):
    client.force_login(world.centre_user)
    html = client.get(f"/projects/{saved_by_first.pk}/").content.decode()
    assert html.count('<input type="hidden" name="version" value="2">') == 1  # the hesitations form
    url = f"/projects/{saved_by_first.pk}/hesitations/"
    client.post(url, {"reason": ["land"], "note": "等待用地指标", "version": "2"})
    saved_by_first.refresh_from_db()
    assert (saved_by_first.version, saved_by_first.hesitation_note) == (3, "等待用地指标")
    assert list(saved_by_first.hesitations.values_list("reason", flat=True)) == ["land"]
    change = ObjectChange.objects.filter(object_id=saved_by_first.pk).order_by("-id").first()
    assert change is not None and change.changes["version"] == [2, 3]


# --------------------------------------------------------------------------- board


def test_board_move_with_a_stale_version_is_409_and_moves_nothing(world, saved_by_first, client):
    history = ObjectChange.objects.count()
    client.force_login(world.centre_user)
    resp = _post_json(
        client, "/board/move/", {"project": saved_by_first.pk, "to_stage": "negotiating", "version": 1}
    )
    assert resp.status_code == 409
    assert resp.json() == {"ok": False, "code": "stale_version", "message": STALE_PAGE, "version": 2}
    _unchanged(saved_by_first, history)


def test_board_move_without_a_version_is_400_and_moves_nothing(world, saved_by_first, client):
    history = ObjectChange.objects.count()
    client.force_login(world.centre_user)
    resp = _post_json(client, "/board/move/", {"project": saved_by_first.pk, "to_stage": "negotiating"})
    assert resp.status_code == 400
    assert resp.json() == {
        "ok": False,
        "message": "缺少版本号，请刷新页面后重试",
        "fields": {"version": ["缺少版本号"]},
    }
    _unchanged(saved_by_first, history)


def test_board_cards_carry_their_version(world, saved_by_first, client):
    client.force_login(world.centre_user)
    html = client.get("/board/").content.decode()
    assert f'data-project="{saved_by_first.pk}" data-stage="reserve" data-version="2"' in html


# --------------------------------------------------------------------------- CLI


@pytest.mark.django_db(transaction=True)
def test_cli_update_and_advance_need_the_version_and_refuse_a_stale_one(capsys):
    from zonedesk.cli import main
    from zonedesk.testing.world import build_world

    world = build_world()
    project = world.project(
        name="命令行版本项目", pursuing_unit=world.centre_a.pk, responsible_officer=world.officer_a.pk
    )
    pk = str(project.pk)
    with pytest.raises(SystemExit) as missing:
        main(["project", "update", pk, "--user", "officer_a", "--set", "leader_name=李主任"])
    assert missing.value.code == 2
    assert "--version" in capsys.readouterr().err
    with pytest.raises(SystemExit) as missing:
        main(["project", "advance", pk, "--user", "officer_a", "--to", "negotiating"])
    assert missing.value.code == 2
    capsys.readouterr()

    assert main(["project", "show", pk, "--user", "centre"]) == 0
    out = capsys.readouterr().out
    assert "项目" in out and "版本：1" in out and "阶段：储备（reserve）" in out

    args = ["project", "update", pk, "--user", "officer_a", "--set", "leader_name=王主任", "--version", "1"]
    assert main(args) == 0
    assert "版本 2" in capsys.readouterr().out
    history = ObjectChange.objects.count()
    stale = ["project", "update", pk, "--user", "centre", "--set", "leader_name=李主任", "--version", "1"]
    assert main(stale) == 1
    assert STALE_API in capsys.readouterr().err
    stale = ["project", "advance", pk, "--user", "centre", "--to", "negotiating", "--version", "1"]
    stale += ["--date", "2026-05-01"]
    assert main(stale) == 1
    assert STALE_API in capsys.readouterr().err
    _unchanged(Project.objects.get(pk=pk), history)
    fresh = ["project", "advance", pk, "--user", "centre", "--to", "negotiating", "--version", "2"]
    fresh += ["--date", "2026-05-01"]
    assert main(fresh) == 0
    assert Project.objects.get(pk=pk).stage == "negotiating"
