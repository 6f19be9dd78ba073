"""Log lines say which request, whose and where; security events name who tried and from where."""

from __future__ import annotations

import logging

from zonedesk.core.audit import acting_as
from zonedesk.core.logs import RequestContext, RequestContextFilter, TextFormatter, request_context
from zonedesk.core.models import ObjectChange
from zonedesk.testing.logs import json_log_lines
from zonedesk.testing.world import PASSWORD


def _security(caplog):
    return [r for r in caplog.records if r.name == "zonedesk.security"]


def test_login_failure_names_the_username_and_client_address(world, client, caplog):
    caplog.set_level(logging.INFO, logger="zonedesk")
    response = client.post("/login/", {"username": "officer_a", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    [event] = _security(caplog)
    assert (event.message, event.levelname, event.username, event.client) == (
        "login.failed",
        "WARNING",
        "officer_a",
        "10.1.2.3",
    )
    assert "wrong" not in repr(event.__dict__)


def test_login_and_logout_are_logged_with_the_user(world, client, caplog):
    caplog.set_level(logging.INFO, logger="zonedesk")
    assert client.post("/login/", {"username": "officer_a", "password": PASSWORD}).status_code == 302
    assert client.post("/logout/").status_code == 302
    events = [(r.message, r.levelname, r.username, r.client) for r in _security(caplog)]
    assert events == [
        ("login.succeeded", "INFO", "officer_a", "127.0.0.1"),
        ("logout", "INFO", "officer_a", "127.0.0.1"),
    ]


def test_a_page_write_and_its_log_line_carry_the_same_request_id(world, client):
    project = world.project(name="日志关联项目")
    client.force_login(world.officer_a)
    form = {
        "name": "日志关联项目",
        "zone": world.zone_a.pk,
        "project_type": "new",
        "status": "normal",
        "total_investment_wan": "8000",
        "version": "1",
    }
    with json_log_lines() as lines:
        response = client.post(f"/projects/{project.pk}/edit/", form)
    assert response.status_code == 302
    [line] = [x for x in lines if x["message"] == "request.finished"]
    change = ObjectChange.objects.get(action="update", object_id=project.pk, content_type__model="project")
    assert len(change.request_id) == 32
    assert line["request_id"] == change.request_id == response["X-Request-ID"]
    assert (line["level"], line["logger"], line["user"], line["route"]) == (
        "INFO",
        "zonedesk.request",
        "officer_a",
        "projects/<int:pk>/edit/",
    )
    assert (line["method"], line["path"], line["status"]) == ("POST", f"/projects/{project.pk}/edit/", 302)


def test_an_api_request_is_logged_with_its_token_user(world, client, token_for):
    project = world.project(name="接口日志项目")
    with json_log_lines() as lines:
        response = client.get(f"/api/v1/projects/{project.pk}", **token_for(world.officer_a))
    assert response.status_code == 200
    [line] = [x for x in lines if x["message"] == "request.finished"]
    assert (line["user"], line["status"], line["request_id"]) == ("officer_a", 200, response["X-Request-ID"])


def test_each_request_gets_its_own_id(world, client):
    client.force_login(world.officer_a)
    first, second = client.get("/projects/"), client.get("/projects/")
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_outside_a_request_records_get_no_request_fields_and_actors_their_own_id(world):
    record = logging.LogRecord("zonedesk.x", logging.INFO, __file__, 1, "job.done", (), None)
    assert RequestContextFilter().filter(record) is True
    assert not hasattr(record, "request_id") and not hasattr(record, "route")
    with (
        acting_as(None, source="job", label="夜间任务") as one,
        acting_as(None, source="job", label="夜间任务") as two,
    ):
        assert one.request_id != two.request_id


def test_fields_passed_by_the_caller_win_over_the_request_context():
    record = logging.LogRecord("zonedesk.x", logging.INFO, __file__, 1, "import.applied", (), None)
    record.request_id = "from-the-batch"
    with request_context(RequestContext(request_id="r1", user="gaoxin", route="ledger-io/")):
        RequestContextFilter().filter(record)
    assert [record.__dict__[k] for k in ("request_id", "user", "route")] == [
        "from-the-batch",
        "gaoxin",
        "ledger-io/",
    ]


def test_text_lines_show_the_event_fields_and_the_context():
    record = logging.LogRecord("zonedesk.ledgerio", logging.INFO, __file__, 1, "import.applied", (), None)
    record.batch = 7
    with request_context(RequestContext(request_id="r1", user="gaoxin", route="ledger-io/")):
        RequestContextFilter().filter(record)
    line = TextFormatter("%(levelname)s %(name)s %(message)s").format(record)
    assert line == "INFO zonedesk.ledgerio import.applied batch=7 request_id=r1 user=gaoxin route=ledger-io/"


def test_json_lines_keep_chinese_readable():
    with json_log_lines() as lines:
        logging.getLogger("zonedesk.test").warning("导入被拒绝", extra={"zone": "长治高新区"})
    [line] = lines
    assert (line["message"], line["zone"], line["level"], line["logger"]) == (
        "导入被拒绝",
        "长治高新区",
        "WARNING",
        "zonedesk.test",
    )
    assert set(line) == {"time", "level", "logger", "message", "zone"}
