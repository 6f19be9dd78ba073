"""The history as people read it: labels and names, not codes and ids; no bookkeeping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zonedesk.core.audit import acting_as
from zonedesk.core.models import ObjectChange
from zonedesk.projects.services import project_advance, project_set_hesitations, project_update


def _rows(project):
    rows = ObjectChange.objects.filter(content_type__model="project", object_id=project.pk).order_by("id")
    return [c.labelled_changes() for c in rows]


def test_history_shows_stages_units_and_people_by_name_and_leaves_out_bookkeeping(world):
    project = world.project(name="显示测试项目")
    with acting_as(world.admin, source="test"):
        project = project_update(
            user=world.admin,
            project=project,
            data={"pursuing_unit": world.centre_a.pk, "responsible_officer": world.centre_user.pk},
            expected_version=None,
        )
        project = project_advance(
            user=world.admin, project=project, to_stage="negotiating", occurred_on=dt.date(2026, 3, 2)
        )
        project_set_hesitations(
            user=world.admin, project=project, reasons=[{"reason": "land"}, {"reason": "financing"}]
        )
    create, update, advance, hesitations = _rows(project)
    entered = {label: after for label, _before, after in create}["进入当前阶段日期"]
    assert ("阶段", None, "储备") in create and ("开发区", None, "长治高新技术产业开发区") in create
    assert [label for label, _b, _a in create if label in {"ID", "版本", "创建人", "协议类型"}] == []
    assert update == [("责任单位", None, "生物医药招商中心"), ("责任人", None, "centre")]
    assert advance == [
        ("阶段", "储备", "在谈"),
        ("进入当前阶段日期", entered, "2026-03-02"),
        ("首次洽谈日期", None, "2026-03-02"),
    ]
    assert hesitations == [("观望原因", None, "融资、土地")]


def test_history_money_stays_exact(world):
    project = world.project(name="金额项目")
    with acting_as(world.admin, source="test"):
        project_update(
            user=world.admin,
            project=project,
            data={"total_investment_wan": Decimal("12345.67")},
            expected_version=None,
        )
    assert _rows(project)[-1] == [("总投资（万元）", None, "12345.67")]
