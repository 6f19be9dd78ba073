from decimal import Decimal

import pytest

from zonedesk.core.audit import acting_as
from zonedesk.core.errors import NotPermitted, StageGateRefused, ValidationFailed
from zonedesk.core.models import ObjectChange
from zonedesk.intake.models import Evidence, SourceDocument
from zonedesk.intake.services import candidate_confirm, candidate_discard, document_create
from zonedesk.projects.models import Project

from .conftest import TEXT


def confirm(user, document, index, **kw):
    with acting_as(user, source="web"):
        return candidate_confirm(user=user, document=document, index=index, **kw)


def test_a_document_keeps_its_text_and_the_extraction(document):
    assert document.text == TEXT
    assert document.title == "集中签约报道"
    projects = document.extraction["projects"]
    assert [(p["name"], p["investment_wan"], p["stage"]) for p in projects] == [
        ("年产5万吨铝材项目", 32000, "signed"),
        ("生物医药产业园二期项目", 8000, "started"),
    ]
    for p in projects:
        assert TEXT[p["start"] : p["end"]] == p["sentence"]
    assert len(document.sha256) == 64


def test_only_users_who_may_write_projects_can_feed_text(world):
    for user in (world.nogrant, world.city_officer):
        with acting_as(user, source="test"), pytest.raises(NotPermitted):
            document_create(user=user, zone=world.zone_a.pk, text=TEXT)
    assert SourceDocument.objects.count() == 0


def test_a_zone_outside_the_users_reach_is_refused(world):
    with acting_as(world.officer_a, source="test"), pytest.raises(ValidationFailed) as exc:
        document_create(user=world.officer_a, zone=world.zone_b.pk, text=TEXT)
    assert exc.value.fields == {"zone": ["开发区不存在或无权访问"]}


def test_empty_text_is_refused(world):
    with acting_as(world.officer_a, source="test"), pytest.raises(ValidationFailed) as exc:
        document_create(user=world.officer_a, zone=world.zone_a.pk, text=" \n ")
    assert exc.value.fields == {"text": ["没有可提取的文字：内容为空"]}


def test_confirm_creates_a_project_with_evidence_and_history(world, document):
    ent = world.enterprise("山西华兴新材料有限公司")
    evidence = confirm(world.officer_a, document, 0, action="create", values={})
    p = Project.objects.get(pk=evidence.project_id)
    assert (p.name, p.zone_id, p.total_investment_wan, p.land_area_mu, p.stage) == (
        "年产5万吨铝材项目",
        world.zone_a.pk,
        Decimal("32000.00"),
        Decimal("120.00"),
        "reserve",
    )
    assert list(p.investors.values_list("pk", flat=True)) == [ent.pk]
    assert (evidence.action, evidence.start, evidence.end) == ("created", 16, 55)
    assert (
        evidence.sentence
        == TEXT[16:55]
        == "其中，山西华兴新材料有限公司年产5万吨铝材项目总投资3.2亿元，占地120亩。"
    )
    assert evidence.document_id == document.pk and evidence.created_by_id == world.officer_a.pk
    (change,) = ObjectChange.objects.filter(object_id=p.pk, content_type__model="project")
    assert (change.action, change.source, change.user_id) == ("create", "web", world.officer_a.pk)
    assert change.state_after()["total_investment_wan"] == "32000"
    document.refresh_from_db()
    assert document.decisions == {"0": {"action": "created", "project": p.pk}}


def test_reviewer_corrections_win_over_the_extraction(world, document):
    evidence = confirm(
        world.officer_a,
        document,
        1,
        action="create",
        values={"name": "生物医药产业园（二期）项目", "investment_wan": "8500", "land_mu": "60"},
    )
    p = evidence.project
    assert (p.name, p.total_investment_wan, p.land_area_mu) == (
        "生物医药产业园（二期）项目",
        Decimal("8500.00"),
        Decimal("60.00"),
    )
    assert evidence.written == {
        "name": "生物医药产业园（二期）项目",
        "total_investment_wan": "8500",
        "land_area_mu": "60",
        "zone": world.zone_a.pk,
    }


def test_confirm_updates_the_chosen_project_and_records_the_change(world, document):
    existing = world.project(name="山西华兴铝材项目", total_investment_wan=Decimal("30000"))
    evidence = confirm(world.officer_a, document, 0, action="update", project_id=existing.pk, values={})
    existing.refresh_from_db()
    assert (existing.name, existing.total_investment_wan, existing.land_area_mu, existing.version) == (
        "山西华兴铝材项目",
        Decimal("32000.00"),
        Decimal("120.00"),
        2,
    )
    assert (evidence.action, evidence.written) == (
        "updated",
        {"total_investment_wan": "32000", "land_area_mu": "120"},
    )
    change = ObjectChange.objects.filter(object_id=existing.pk, content_type__model="project").latest("pk")
    assert (change.action, change.source) == ("update", "web")
    assert change.changes == {
        "land_area_mu": [None, "120"],
        "total_investment_wan": ["30000", "32000"],
        "version": [1, 2],
    }


def test_an_update_that_changes_nothing_links_the_evidence_only(world, document):
    existing = world.project(
        name="铝材项目", total_investment_wan=Decimal("32000"), land_area_mu=Decimal("120")
    )
    evidence = confirm(
        world.officer_a, document, 0, action="update", project_id=existing.pk, values={"enterprise": ""}
    )
    existing.refresh_from_db()
    assert (evidence.action, evidence.written, existing.version) == ("linked", {}, 1)
    assert list(existing.evidence.all()) == [evidence]


def test_a_sibling_zone_project_cannot_be_updated_and_nothing_changes(world, document):
    other = world.project(world.zone_b, name="年产5万吨铝材项目")
    with pytest.raises(ValidationFailed) as exc:
        confirm(world.admin, document, 0, action="update", project_id=other.pk, values={})
    assert exc.value.fields == {"project": ["请选择本开发区内您可修改的项目"]}
    other.refresh_from_db()
    assert (other.version, other.total_investment_wan) == (1, None)
    assert Evidence.objects.count() == 0


def test_a_stage_gate_refusal_writes_nothing(world, document):
    with pytest.raises(StageGateRefused):
        confirm(world.officer_a, document, 0, action="create", values={}, stage="signed")
    assert Project.objects.count() == 0 and Evidence.objects.count() == 0
    document.refresh_from_db()
    assert document.decisions == {}


def test_a_candidate_is_written_once_and_discarding_is_recorded(world, document):
    confirm(world.officer_a, document, 0, action="create", values={})
    with pytest.raises(ValidationFailed) as exc:
        confirm(world.officer_a, document, 0, action="create", values={})
    assert exc.value.message == "该候选项目已处理"
    with acting_as(world.officer_a, source="web"):
        candidate_discard(user=world.officer_a, document=document, index=1)
    document.refresh_from_db()
    assert document.decisions["1"] == {"action": "discarded"}
    assert Project.objects.count() == 1


def test_bad_numbers_and_unknown_candidates_give_field_errors(world, document):
    with pytest.raises(ValidationFailed) as exc:
        confirm(world.officer_a, document, 0, action="create", values={"investment_wan": "三亿"})
    assert exc.value.fields == {"investment_wan": ["投资额应为数字：三亿"]}
    with pytest.raises(ValidationFailed) as exc:
        confirm(world.officer_a, document, 9, action="create", values={})
    assert exc.value.fields == {"index": ["没有第 9 个候选项目"]}
    assert Project.objects.count() == 0


def test_a_foreign_currency_investment_must_be_converted_first(world):
    with acting_as(world.officer_a, source="test"):
        doc = document_create(
            user=world.officer_a,
            zone=world.zone_a.pk,
            text="长治高新区甲乙驱动系统项目签约，项目总投资1.2亿欧元。",
        )
    with pytest.raises(ValidationFailed) as exc:
        confirm(world.officer_a, doc, 0, action="create", values={})
    assert exc.value.fields == {
        "investment_wan": ["币种 EUR 不能直接写入台账，请换算为人民币后填写并选人民币"]
    }
    evidence = confirm(
        world.officer_a, doc, 0, action="create", values={"investment_wan": "9400", "currency": "CNY"}
    )
    assert evidence.project.total_investment_wan == Decimal("9400.00")


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("山西華興新材料有限公司", None),  # the text says 山西华兴新材料有限公司
        ("山西华兴新材料有限公司", "山西華興新材料有限公司"),
    ],
)
def test_the_investor_is_found_whichever_script_either_name_is_in(world, document, stored, written):
    ent = world.enterprise(stored)
    values = {} if written is None else {"enterprise": written}
    evidence = confirm(world.officer_a, document, 0, action="create", values=values)
    assert list(evidence.project.investors.values_list("pk", flat=True)) == [ent.pk]


def test_written_amounts_read_as_the_project_history_writes_them(world, document):
    evidence = confirm(
        world.officer_a,
        document,
        1,
        action="create",
        values={"investment_wan": "8500.00", "land_mu": "1E+2", "floor_area_m2": "2.50"},
    )
    assert evidence.written == {
        "name": "生物医药产业园二期项目",
        "total_investment_wan": "8500",
        "land_area_mu": "100",
        "floor_area_m2": "2.50",
        "zone": world.zone_a.pk,
    }
    (change,) = ObjectChange.objects.filter(object_id=evidence.project_id, content_type__model="project")
    assert {k: change.state_after()[k] for k in ("total_investment_wan", "land_area_mu")} == {
        "total_investment_wan": "8500",
        "land_area_mu": "100",
    }
