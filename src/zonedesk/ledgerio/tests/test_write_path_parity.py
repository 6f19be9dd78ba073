"""A ledger row and a person on the project's page go through the same rules and leave the same history.

Each scenario is run twice on a fresh project: once through the services (``project_advance`` with
the row's values, as the page's advance form does) and once as a one-row ledger imported over it.
Both must accept or refuse alike; where both accept, the project's values and the history's field
changes must be the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from zonedesk.core.audit import acting_as
from zonedesk.core.errors import DomainError
from zonedesk.core.models import ObjectChange
from zonedesk.ledgerio.importer import apply_import, plan_import
from zonedesk.projects.models import Project, StageLog
from zonedesk.projects.services import project_advance

from .workbooks import rows_xlsx

# Headers of the one-row ledgers (the importer's own synonyms).
HEADERS = {
    "name": "项目名称",
    "stage": "项目阶段",
    "status": "推进状态",
    "agreement_type": "协议类型",
    "agreement_date": "签约日期",
    "agreement_amount_wan": "协议投资额（万元）",
    "increase_amount_wan": "增资额（万元）",
    "landed_date": "入区时间",
    "total_investment_wan": "总投资（万元）",
    "start_date": "开工时间",
    "land_area_mu": "用地面积（亩）",
    "land_supplied_date": "供地时间",
}
STAGE_WORDS = {"signed": "签约", "landed": "落地", "started": "开工"}
STATUS_WORDS = {"terminated": "终止", "normal": "正常"}
AGREED = {
    "agreement_type": "formal",
    "agreement_date": dt.date(2026, 3, 1),
    "agreement_amount_wan": Decimal("5000"),
}


@dataclass
class Scenario:
    name: str
    start: dict[str, Any]  # the project as stored before (stage, status…)
    to_stage: str
    values: dict[str, Any] = field(default_factory=dict)  # what the row / the advance form fills
    accepted: bool = True


SCENARIOS = [
    Scenario("next_stage_with_its_fields", {"stage": "negotiating"}, "signed", AGREED),
    Scenario(
        "missing_gate_field_refused", {"stage": "negotiating"}, "signed", {"agreement_type": "formal"}, False
    ),
    Scenario(
        "terminated_project_does_not_move",
        {
            "stage": "negotiating",
            "status": "terminated",
            "status_reason": "企业放弃",
            "status_date": dt.date(2026, 2, 1),
        },
        "signed",
        AGREED,
        False,
    ),
    Scenario(
        "skip_two_stages_when_every_gate_passes",
        {"stage": "negotiating"},
        "landed",
        {**AGREED, "landed_date": dt.date(2026, 3, 20), "total_investment_wan": Decimal("8000")},
    ),
    Scenario(
        "capital_increase_needs_the_increase",
        {"stage": "negotiating", "project_type": "capital_increase"},
        "signed",
        AGREED,
        False,
    ),
    Scenario(
        "capital_increase_with_the_increase",
        {"stage": "negotiating", "project_type": "capital_increase"},
        "signed",
        {**AGREED, "increase_amount_wan": Decimal("1200")},
    ),
    Scenario(
        "future_date_refused",
        {"stage": "negotiating"},
        "signed",
        {**AGREED, "agreement_date": dt.date(2099, 1, 1)},
        False,
    ),
]


def _start(world, scenario: Scenario) -> Project:
    investor = world.enterprise("山西示例投资有限公司", zone=world.zone_a)
    start = dict(scenario.start)
    stage = start.pop("stage")
    data = {
        "name": "示例项目",
        "zone": world.zone_a.pk,
        "pursuing_unit": world.centre_a.pk,
        "responsible_officer": world.centre_user.pk,
        "investors": [investor.pk],
        "negotiation_started_on": dt.date(2026, 1, 10),
        **start,
    }
    with acting_as(world.admin, source="test"):
        from zonedesk.projects.services import project_create

        return project_create(user=world.admin, data=data, stage=stage)


def _cell(name: str, value: Any) -> Any:
    if name == "stage":
        return STAGE_WORDS[value]
    if isinstance(value, Decimal):
        return float(value)
    if name == "agreement_type":
        return {"formal": "正式合同", "framework": "框架协议"}[value]
    return value


def _through_service(world, project: Project, scenario: Scenario) -> bool:
    with acting_as(world.officer_a, source="web"):
        try:
            project_advance(
                user=world.officer_a,
                project=project,
                to_stage=scenario.to_stage,
                occurred_on=scenario.values.get("agreement_date", dt.date(2026, 3, 1))
                if scenario.to_stage == "signed"
                else dt.date(2026, 3, 20),
                evidence="台账导入",
                data=dict(scenario.values),
            )
        except DomainError:
            return False
    return True


def _through_import(world, scenario: Scenario) -> bool:
    names = ["name", "stage", *scenario.values]
    row = ["示例项目", scenario.to_stage, *scenario.values.values()]
    data = rows_xlsx([[HEADERS[n] for n in names], [_cell(n, v) for n, v in zip(names, row)]])
    plan = plan_import(data, user=world.officer_a, zone=world.zone_a)
    if plan.has_errors:
        return False
    apply_import(data, user=world.officer_a, zone=world.zone_a, file_name="台账.xlsx")
    return True


_BOOKKEEPING = {"version", "updated_at"}


def _last_change(project: Project) -> tuple[str, str, dict[str, Any]]:
    """(action, the note's first part, field changes) of the project's newest history row."""
    change = ObjectChange.objects.filter(object_id=project.pk).order_by("-id").first()
    changes = {k: v for k, v in change.changes.items() if k not in _BOOKKEEPING}
    return change.action, change.note.split("；")[0], changes


def _values(project: Project) -> dict[str, Any]:
    project.refresh_from_db()
    keep = (
        "stage",
        "status",
        "agreement_type",
        "agreement_date",
        "agreement_amount_wan",
        "increase_amount_wan",
    )
    keep += ("landed_date", "total_investment_wan", "first_signed_date", "counted_investment_wan")
    return {k: getattr(project, k) for k in keep}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_service_and_import_accept_refuse_and_record_alike(world, scenario):
    by_service = _start(world, scenario)
    service_ok = _through_service(world, by_service, scenario)
    service_values, service_change = _values(by_service), _last_change(by_service)
    service_moves = list(
        StageLog.objects.filter(project=by_service).values_list("from_stage", "to_stage", "direction")
    )
    with acting_as(world.admin, source="test"):
        by_service.delete()

    by_import = _start(world, scenario)
    import_ok = _through_import(world, scenario)

    assert (service_ok, import_ok) == (scenario.accepted, scenario.accepted)
    assert _values(by_import) == service_values
    import_moves = list(
        StageLog.objects.filter(project=by_import).values_list("from_stage", "to_stage", "direction")
    )
    assert import_moves == service_moves
    if scenario.accepted:
        assert _last_change(by_import) == service_change


def test_terminated_project_is_not_advanced_by_a_ledger_row(world):
    project = _start(
        world,
        Scenario(
            "t",
            {
                "stage": "negotiating",
                "status": "terminated",
                "status_reason": "企业放弃",
                "status_date": dt.date(2026, 2, 1),
            },
            "signed",
        ),
    )
    names = ["name", "stage", *AGREED]
    data = rows_xlsx(
        [[HEADERS[n] for n in names], ["示例项目", "签约", "正式合同", dt.date(2026, 3, 1), 5000]]
    )
    plan = plan_import(data, user=world.officer_a, zone=world.zone_a)
    assert [e.message for e in plan.error_list] == ["第2行 B列（项目阶段）：项目已终止，须先恢复状态才能推进"]
    project.refresh_from_db()
    assert project.stage == "negotiating"


@dataclass
class NewScenario:
    name: str
    stage: str
    values: dict[str, Any]
    accepted: bool = True


NEW_SCENARIOS = [
    NewScenario("new_at_signed_with_its_fields", "signed", {"project_type": "new", **AGREED}),
    NewScenario(
        "new_at_signed_without_agreement_type",
        "signed",
        {"agreement_date": dt.date(2026, 3, 1), "agreement_amount_wan": Decimal("5000")},
        False,
    ),
    NewScenario(
        "new_increase_at_signed_with_the_increase",
        "signed",
        {"project_type": "capital_increase", **AGREED, "increase_amount_wan": Decimal("900")},
    ),
    NewScenario(
        "new_increase_at_signed_without_it", "signed", {"project_type": "capital_increase", **AGREED}, False
    ),
    NewScenario(
        "increase_amount_only_on_increase_projects",
        "reserve",
        {"project_type": "new", "increase_amount_wan": Decimal("900")},
        False,
    ),
]
TYPE_WORDS = {"new": "新建", "capital_increase": "增资"}


def _new_through_service(world, scenario: NewScenario) -> Project | None:
    from zonedesk.projects.services import project_create

    investor = world.enterprise("山西示例投资有限公司", zone=world.zone_a)
    data = {
        "name": "新示例项目",
        "zone": world.zone_a.pk,
        "pursuing_unit": world.centre_a.pk,
        "responsible_officer": world.centre_user.pk,
        "investors": [investor.pk],
        **scenario.values,
    }
    with acting_as(world.officer_a, source="web"):
        try:
            return project_create(user=world.officer_a, data=data, stage=scenario.stage)
        except DomainError:
            return None


def _new_through_import(world, scenario: NewScenario) -> Project | None:
    names = ["name", "stage", "investors", "pursuing_unit", "responsible_officer", *scenario.values]
    headers = {
        **HEADERS,
        "investors": "投资方",
        "pursuing_unit": "责任单位",
        "responsible_officer": "责任人",
        "project_type": "项目类型",
    }
    cells = [
        "新示例项目",
        STAGE_WORDS.get(scenario.stage, "储备"),
        "山西示例投资有限公司",
        "生物医药招商中心",
        "centre",
    ]
    cells += [TYPE_WORDS[v] if n == "project_type" else _cell(n, v) for n, v in scenario.values.items()]
    data = rows_xlsx([[headers[n] for n in names], cells])
    plan = plan_import(data, user=world.officer_a, zone=world.zone_a)
    if plan.has_errors:
        return None
    apply_import(data, user=world.officer_a, zone=world.zone_a, file_name="台账.xlsx")
    return Project.objects.get(name="新示例项目")


def _create_row(project: Project) -> dict[str, Any]:
    change = ObjectChange.objects.get(content_type__model="project", object_id=project.pk, action="create")
    return {k: v for k, v in change.changes.items() if k not in {"id", "version"}}


@pytest.mark.parametrize("scenario", NEW_SCENARIOS, ids=[s.name for s in NEW_SCENARIOS])
def test_new_project_service_and_import_accept_refuse_and_record_alike(world, scenario):
    by_service = _new_through_service(world, scenario)
    service_row = _create_row(by_service) if by_service else None
    if by_service is not None:
        with acting_as(world.admin, source="test"):
            by_service.delete()
    by_import = _new_through_import(world, scenario)
    assert (by_service is not None, by_import is not None) == (scenario.accepted, scenario.accepted)
    if scenario.accepted:
        assert _create_row(by_import) == service_row
