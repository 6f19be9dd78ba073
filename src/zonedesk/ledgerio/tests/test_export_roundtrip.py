"""Export: the ledger view in a template, read back by the importer with no changes."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from zonedesk.ledgerio.export import export_projects
from zonedesk.ledgerio.importer import apply_import, plan_import
from zonedesk.projects import selectors
from zonedesk.projects.selectors import ProjectFilters

from .zone_ledgers import messy_zone_workbook


def _exported(world, fmt="xlsx", template=None):
    apply_import(messy_zone_workbook(), user=world.officer_a, zone=world.zone_a)
    qs = selectors.project_list(world.officer_a, ProjectFilters(zone=world.zone_a.pk))
    return export_projects(
        qs, template=template, fmt=fmt, zone_label=world.zone_a.name, unit_label="长治高新区管委会"
    )


def test_exported_workbook_imports_back_with_no_changes(world):
    content, name, _type = _exported(world)
    assert name.endswith(".xlsx") and name.startswith("长治高新技术产业开发区招商项目台账")
    plan = plan_import(content, user=world.officer_a, zone=world.zone_a, file_name=name)
    assert plan.error_list == []
    assert plan.counts["unchanged"] == 3 and plan.counts["created"] == 0 and plan.counts["updated"] == 0
    assert [(r.action, r.changes) for r in plan.rows if r.action != "unchanged"] == []


def test_exported_csv_imports_back_with_no_changes(world):
    content, name, ctype = _exported(world, fmt="csv")
    assert content.startswith("\ufeff".encode()) and ctype.startswith("text/csv")
    plan = plan_import(content, user=world.officer_a, zone=world.zone_a, file_name=name)
    assert plan.error_list == []
    assert plan.counts["unchanged"] == 3


def test_dispatch_template_imports_back_too(world):
    content, name, _type = _exported(world, template="重点项目调度表")
    plan = plan_import(content, user=world.officer_a, zone=world.zone_a, file_name=name)
    assert plan.error_list == [] and plan.counts["unchanged"] == 3


def test_workbook_layout_title_units_frozen_header_formats_dropdowns_footer(world):
    content, _name, _type = _exported(world)
    ws = load_workbook(io.BytesIO(content)).active
    assert ws["A1"].value == "长治高新技术产业开发区招商引资项目台账"
    headers = [c.value for c in ws[2]]
    assert headers[:4] == ["序号", "项目名称", "项目代码", "投资方"]
    assert "总投资（万元）" in headers and "用地面积（亩）" in headers
    assert ws.freeze_panes == "C3"
    assert ws.column_dimensions["B"].width == 32
    total_col = headers.index("总投资（万元）") + 1
    values = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=total_col) for r in range(3, 6)}
    cell = values["年产10万吨铝基新材料项目"]
    assert (cell.value, cell.number_format) == (222200, "#,##0.00")
    stage_col = headers.index("项目阶段") + 1
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"储备,在谈,签约,落地（入区）,供地,开工,投产,达产"' in formulas
    assert '"正常,滞后,暂停,终止"' in formulas
    assert ws.cell(row=3, column=stage_col).value in {"储备", "在谈", "落地（入区）"}
    footer = [ws.cell(row=r, column=1).value for r in range(6, ws.max_row + 1)]
    assert "填报单位：长治高新区管委会" in footer and "合计：共 3 个项目" in footer
