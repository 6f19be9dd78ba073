"""History that holds up to an audit: every write names its author, whatever front it came from."""

import json
import os

import pytest

from zonedesk.core.audit import MissingActorError, acting_as
from zonedesk.core.models import ObjectChange
from zonedesk.geo.models import Park
from zonedesk.projects.selectors import object_history


def test_saving_a_change_logged_model_without_an_actor_is_an_error(world):
    with pytest.raises(MissingActorError):
        Park(zone=world.zone_a, name="无名园区").save()
    assert not Park.objects.filter(name="无名园区").exists()


def test_deleting_without_an_actor_is_an_error(world):
    project = world.project()
    with pytest.raises(MissingActorError):
        project.delete()


def test_a_system_actor_must_say_which_job_it_is():
    with pytest.raises(MissingActorError), acting_as(None, source="job"):
        pass


def test_page_edit_is_recorded_with_user_and_before_after(world, client):
    project = world.project(name="页面编辑项目")
    client.force_login(world.officer_a)
    form = {
        "name": "页面编辑项目",
        "zone": world.zone_a.pk,
        "project_type": "new",
        "status": "normal",
        "total_investment_wan": "8000",
        "version": "1",
    }
    resp = client.post(f"/projects/{project.pk}/edit/", form)
    assert resp.status_code == 302
    change = object_history(project).first()
    assert change is not None
    assert (change.action, change.actor_label, change.source, change.user_id) == (
        "update",
        "officer_a",
        "web",
        world.officer_a.pk,
    )
    assert change.changes == {"total_investment_wan": [None, "8000"], "version": [1, 2]}


def test_page_edit_shows_chinese_field_errors_and_saves_nothing(world, client):
    project = world.project(name="页面编辑项目")
    client.force_login(world.officer_a)
    form = {
        "name": "页面编辑项目",
        "zone": world.zone_a.pk,
        "project_type": "new",
        "status": "paused",
        "total_investment_wan": "abc",
        "version": "1",
    }
    resp = client.post(f"/projects/{project.pk}/edit/", form)
    assert resp.status_code == 422
    html = resp.content.decode()
    assert '<p class="error" data-field="total_investment_wan">输入一个数字。</p>' in html
    project.refresh_from_db()
    assert (project.status, project.version) == ("normal", 1)


def test_api_edit_is_recorded(world, client, token_for):
    project = world.project(name="接口编辑项目")
    headers = token_for(world.officer_a)
    resp = client.patch(
        f"/api/v1/projects/{project.pk}",
        data=json.dumps({"version": 1, "leader_name": "李建国"}),
        content_type="application/json",
        **headers,
    )
    assert resp.status_code == 200
    history = client.get(f"/api/v1/projects/{project.pk}/history", **headers).json()
    assert next((h["action"], h["actor"], h["source"], h["changes"]) for h in history) == (
        "update",
        "officer_a",
        "api",
        {"leader_name": ["", "李建国"], "version": [1, 2]},
    )


@pytest.mark.django_db(transaction=True)
def test_command_line_edit_is_recorded(capsys):
    from zonedesk.cli import main
    from zonedesk.testing.world import build_world

    world = build_world()
    project = world.project(name="命令行编辑项目")
    code = main(
        [
            "project",
            "update",
            str(project.pk),
            "--user",
            "officer_a",
            "--set",
            "land_area_mu=80.5",
            "--set",
            "leader_name=王海涛",
            "--version",
            "1",
        ]
    )
    assert code == 0
    assert "已保存：命令行编辑项目" in capsys.readouterr().out
    change = object_history(project).filter(action="update").get()
    assert (change.actor_label, change.source) == ("officer_a", "cli")
    assert change.changes == {
        "land_area_mu": [None, "80.5"],
        "leader_name": ["", "王海涛"],
        "version": [1, 2],
    }


@pytest.mark.django_db(transaction=True)
def test_command_line_edit_out_of_scope_is_refused(capsys):
    from zonedesk.cli import main
    from zonedesk.testing.world import build_world

    world = build_world()
    project = world.project(world.zone_b, name="兴县项目")
    assert (
        main(
            [
                "project",
                "update",
                str(project.pk),
                "--user",
                "officer_a",
                "--set",
                "leader_name=x",
                "--version",
                "1",
            ]
        )
        == 2
    )
    assert f"项目 {project.pk} 不存在或无权访问" in capsys.readouterr().err


def test_no_change_writes_no_history_and_keeps_the_version(world):
    from zonedesk.projects.services import project_update

    project = world.project(name="不变项目")
    count = ObjectChange.objects.count()
    with acting_as(world.admin, source="test"):
        same = project_update(
            user=world.admin, project=project, data={"name": "不变项目"}, expected_version=1
        )
    assert (same.version, ObjectChange.objects.count()) == (1, count)


def test_production_settings_pass_check_deploy(tmp_path):
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zonedesk.config.settings.production",
        "ZONEDESK_SECRET_KEY": "k" * 20 + "Q9x!-" * 10,
        "ZONEDESK_DATA_DIR": str(tmp_path),
        "ZONEDESK_ALLOWED_HOSTS": "zonedesk.example.cn",
    }
    env.pop("DATABASE_URL", None)
    proc = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_history_of_a_model_since_removed_shows_the_stored_field_names(db):
    from django.contrib.contenttypes.models import ContentType

    gone = ContentType.objects.create(app_label="parcels", model="landparcel")  # no such model installed
    change = ObjectChange(content_type=gone, object_id=1, action="update", changes={"area_mu": ["12", "15"]})
    assert change.labelled_changes() == [("area_mu", "12", "15")]
