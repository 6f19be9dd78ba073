"""Each stage gate accepting and refusing, with the exact missing fields the user is told."""

import datetime as dt
from decimal import Decimal

import pytest

from zonedesk.core.audit import acting_as
from zonedesk.core.errors import StageGateRefused, ValidationFailed
from zonedesk.projects.models import StageLog
from zonedesk.projects.rules import missing_for
from zonedesk.projects.services import project_advance, project_update
from zonedesk.testing.world import signed_fields

D = dt.date(2026, 5, 1)


def advance(world, project, to, **kw):
    with acting_as(world.admin, source="test"):
        return project_advance(
            user=world.admin, project=project, to_stage=to, occurred_on=kw.pop("on", D), **kw
        )


def refused(world, project, to, **kw) -> list[tuple[str, str]]:
    with pytest.raises(StageGateRefused) as info:
        advance(world, project, to, **kw)
    return [(m["field"], m["label"]) for m in info.value.missing]


@pytest.fixture
def negotiating(world):
    project = world.project(pursuing_unit=world.centre_a.pk, responsible_officer=world.officer_a.pk)
    return advance(world, project, "negotiating")


def test_negotiating_requires_pursuing_unit_and_officer(world):
    project = world.project()
    assert refused(world, project, "negotiating") == [
        ("pursuing_unit", "责任单位"),
        ("responsible_officer", "责任人"),
    ]


def test_negotiating_accepts_with_unit_and_officer_and_records_the_date(world, negotiating):
    assert negotiating.stage == "negotiating"
    assert negotiating.negotiation_started_on == D
    assert negotiating.version == 2


def test_signed_refuses_without_agreement(world, negotiating):
    assert refused(world, negotiating, "signed") == [
        ("investors", "投资方"),
        ("agreement_type", "协议类型"),
        ("agreement_amount_wan", "协议投资额（万元）"),
    ]  # the agreement date is the move's own date, so it is never missing


def test_signed_accepts_and_stores_counting_facts(world, negotiating):
    ent = world.enterprise()
    project = advance(world, negotiating, "signed", data=signed_fields(ent.pk), on=dt.date(2026, 3, 16))
    assert (project.stage, project.first_signed_date, project.counted_investment_wan) == (
        "signed",
        dt.date(2026, 3, 16),
        Decimal("30000.00"),
    )


def test_capital_increase_counts_only_the_increase(world, negotiating):
    ent = world.enterprise()
    with acting_as(world.admin, source="test"):
        project_update(
            user=world.admin,
            project=negotiating,
            data={"project_type": "capital_increase"},
            expected_version=None,
        )
    negotiating.refresh_from_db()
    assert refused(world, negotiating, "signed", data=signed_fields(ent.pk)) == [
        ("increase_amount_wan", "增资额（万元）")
    ]
    project = advance(
        world, negotiating, "signed", data={**signed_fields(ent.pk), "increase_amount_wan": "5000"}
    )
    assert project.counted_investment_wan == Decimal("5000.00")


def test_first_signed_date_survives_going_back_and_signing_again(world, negotiating):
    ent = world.enterprise()
    project = advance(world, negotiating, "signed", data=signed_fields(ent.pk), on=dt.date(2026, 3, 16))
    project = advance(world, project, "negotiating", evidence="协议解除，重新洽谈", on=dt.date(2026, 4, 1))
    project = advance(world, project, "signed", on=dt.date(2026, 4, 20))
    assert project.first_signed_date == dt.date(2026, 3, 16)
    assert [
        (s.from_stage, s.to_stage, s.direction)
        for s in StageLog.objects.filter(project=project).order_by("id")
    ] == [
        ("reserve", "negotiating", "forward"),
        ("negotiating", "signed", "forward"),
        ("signed", "negotiating", "back"),
        ("negotiating", "signed", "forward"),
    ]


def test_going_back_requires_a_reason(world, negotiating):
    with pytest.raises(ValidationFailed) as info:
        advance(world, negotiating, "reserve")
    assert info.value.fields == {"evidence": ["回退阶段须填写原因或依据"]}


def test_started_requires_land_or_premises_and_evidence(world, negotiating):
    ent = world.enterprise()
    data = {**signed_fields(ent.pk), "landed_date": D, "total_investment_wan": 30000, "land_supplied_date": D}
    assert refused(world, negotiating, "started", data=data, evidence="施工许可证") == [
        ("land_area_mu|leased_floor_area_m2", "用地面积或租赁厂房面积"),
    ]
    assert refused(world, negotiating, "started", data={**data, "land_area_mu": 80}) == [("evidence", "依据")]
    project = advance(
        world,
        negotiating,
        "started",
        data={**data, "land_area_mu": 80},
        evidence="施工许可证 140400202605010101",
    )
    assert (project.stage, project.start_date, project.land_area_mu) == ("started", D, Decimal("80.00"))
    assert StageLog.objects.filter(project=project).values_list("direction", flat=True).last() == "skip"


def test_refused_advance_changes_nothing(world, negotiating):
    refused(world, negotiating, "signed", data={"agreement_type": "formal"})
    negotiating.refresh_from_db()
    assert (negotiating.stage, negotiating.agreement_type, negotiating.version) == ("negotiating", "", 2)
    assert StageLog.objects.filter(project=negotiating).count() == 1


def test_at_capacity_missing_output_is_only_a_warning():
    values = {
        "name": "x",
        "zone": 1,
        "pursuing_unit": 1,
        "responsible_officer": 1,
        "investors": [1],
        "agreement_type": "formal",
        "agreement_date": D,
        "agreement_amount_wan": 1,
        "landed_date": D,
        "total_investment_wan": 1,
        "land_supplied_date": D,
        "land_area_mu": 1,
        "start_date": D,
        "production_date": D,
        "capacity_date": D,
    }
    assert [(m.field, m.severity) for m in missing_for(values, "at_capacity")] == [
        ("expected_output_wan", "warning")
    ]


def test_terminated_project_cannot_move(world, negotiating):
    with acting_as(world.admin, source="test"):
        project_update(
            user=world.admin,
            project=negotiating,
            expected_version=2,
            data={"status": "terminated", "status_reason": "企业转投他地", "status_date": D},
        )
    negotiating.refresh_from_db()
    with pytest.raises(ValidationFailed) as info:
        advance(world, negotiating, "signed")
    assert info.value.message == "项目已终止，须先恢复状态才能推进"


def test_non_normal_status_needs_reason_and_date(world):
    project = world.project()
    with pytest.raises(ValidationFailed) as info, acting_as(world.admin, source="test"):
        project_update(user=world.admin, project=project, data={"status": "paused"}, expected_version=1)
    assert info.value.fields == {
        "status_reason": ["状态为“暂停”时须填写原因"],
        "status_date": ["状态为“暂停”时须填写日期"],
    }


def test_future_move_date_is_refused(world, negotiating):
    with pytest.raises(ValidationFailed) as info:
        advance(world, negotiating, "signed", on=dt.date.today() + dt.timedelta(days=1))
    assert info.value.fields == {"occurred_on": ["发生日期不能晚于今天"]}
