"""观望原因 (hesitation reasons): read from a ledger column, written as ProjectHesitation rows, exported with a drop-down."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from zonedesk.core.models import ObjectChange
from zonedesk.ledgerio.export import export_projects
from zonedesk.ledgerio.importer import ImportRefused, apply_import, plan_import, undo_import
from zonedesk.projects import selectors
from zonedesk.projects.models import Project, ProjectHesitation
from zonedesk.projects.selectors import ProjectFilters

from .workbooks import rows_xlsx
from .zone_ledgers import SIMPLE_HEADER, simple_rows


def _ledger(reasons: list[str | None]) -> bytes:
    rows = [row + [reason] for row, reason in zip(simple_rows(len(reasons)), reasons)]
    return rows_xlsx([["台账"], [*SIMPLE_HEADER, "观望原因"], *rows])


def _reasons(zone) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, reason in (
        ProjectHesitation.objects.filter(project__zone=zone)
        .order_by("reason")
        .values_list("project__name", "reason")
    ):
        out.setdefault(name, []).append(reason)
    return out


def test_hesitation_words_become_coded_reasons(world):
    data = _ledger(["土地、能耗", "融资", None])
    plan, _batch = apply_import(data, user=world.officer_a, zone=world.zone_a)
    assert plan.counts["created"] == 3 and plan.error_list == []
    assert _reasons(world.zone_a) == {
        "测试导入项目1": ["energy_quota", "land"],
        "测试导入项目2": ["financing"],
    }
    project = Project.objects.get(zone=world.zone_a, name="测试导入项目1")
    [change] = ObjectChange.objects.filter(content_type__model="project", object_id=project.pk)
    assert change.changes["hesitations"] == [None, ["energy_quota", "land"]]


def test_unknown_hesitation_word_is_an_error_at_its_cell(world):
    data = _ledger(["土地", "天气不好"])
    try:
        apply_import(data, user=world.officer_a, zone=world.zone_a)
    except ImportRefused as exc:
        assert "第4行 I列（观望原因）：无法识别的观望原因“天气不好”，可填：土地、能耗指标" in str(exc)
    else:
        raise AssertionError("the import should have been refused")
    assert not Project.objects.filter(zone=world.zone_a, name__startswith="测试导入项目").exists()


def test_changed_reasons_are_shown_written_and_undone(world):
    apply_import(_ledger(["土地", "融资"]), user=world.officer_a, zone=world.zone_a)
    plan = plan_import(_ledger(["土地", "政策、市场"]), user=world.officer_a, zone=world.zone_a)
    [update] = [r for r in plan.rows if r.action == "update"]
    assert [(c.label, c.before, c.after) for c in update.changes] == [("观望原因", "融资", "政策、市场")]
    _plan, batch = apply_import(_ledger(["土地", "政策、市场"]), user=world.officer_a, zone=world.zone_a)
    assert _reasons(world.zone_a)["测试导入项目2"] == ["market", "policy"]
    undo_import(batch, user=world.officer_a)
    assert _reasons(world.zone_a)["测试导入项目2"] == ["financing"]


def test_export_carries_reasons_with_a_drop_down_and_imports_back_unchanged(world):
    apply_import(_ledger(["土地、能耗指标", None]), user=world.officer_a, zone=world.zone_a)
    qs = selectors.project_list(world.officer_a, ProjectFilters(zone=world.zone_a.pk))
    content, name, _type = export_projects(qs, zone_label=world.zone_a.name, unit_label="长治高新区管委会")
    ws = load_workbook(io.BytesIO(content)).active
    headers = [c.value for c in ws[2]]
    col = headers.index("观望原因") + 1
    shown = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=col).value for r in range(3, 5)}
    assert shown == {"测试导入项目1": "土地、能耗指标", "测试导入项目2": None}
    [dv] = [dv for dv in ws.data_validations.dataValidation if "土地" in (dv.formula1 or "")]
    assert dv.formula1 == '"土地,能耗指标,环评,融资,配套,政策,竞争地区,市场,水电气热网,审批,其他"'
    assert dv.errorStyle == "warning"
    plan = plan_import(content, user=world.officer_a, zone=world.zone_a, file_name=name)
    assert plan.error_list == [] and plan.counts["unchanged"] == 2
