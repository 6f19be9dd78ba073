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


def _full_project(world, **extra):
    """A project with every editable field the 招商项目台账 template carries filled in."""
    import datetime as dt
    from decimal import Decimal

    from zonedesk.core.audit import acting_as
    from zonedesk.enterprises.models import IndustryCode
    from zonedesk.projects.services import project_create

    investor = world.enterprise("山西增资示例有限公司", zone=world.zone_a, uscc="91110108551385082Q")
    data = {
        "name": "年产5万吨碳化硅增资扩产项目",
        "national_code": "2024-140400-39-01-123456",
        "zone": world.zone_a.pk,
        "park": world.park_a.pk,
        "investors": [investor.pk],
        "project_type": "capital_increase",
        "level": "provincial_key",
        "industry": IndustryCode.objects.filter(code="C39").values_list("pk", flat=True).first(),
        "chain_node": "碳化硅衬底",
        "construction_content": "新建衬底生产线2条",
        "total_investment_wan": Decimal("52000.5"),
        "fixed_asset_investment_wan": Decimal("41000"),
        "foreign_investment_usd_wan": Decimal("350"),
        "increase_amount_wan": Decimal("12000"),
        "agreement_type": "formal",
        "agreement_date": dt.date(2026, 3, 1),
        "agreement_amount_wan": Decimal("50000"),
        "land_area_mu": Decimal("120.5"),
        "floor_area_m2": Decimal("36000"),
        "leased_floor_area_m2": Decimal("5000"),
        "construction_permit_no": "140401202603010101",
        "negotiation_started_on": dt.date(2025, 11, 5),
        "planned_start_date": dt.date(2026, 6, 1),
        "expected_output_wan": Decimal("90000"),
        "expected_tax_wan": Decimal("4500"),
        "expected_jobs": 320,
        "pursuing_unit": world.centre_a.pk,
        "referring_unit": world.committee_a.pk,
        "responsible_officer": world.centre_user.pk,
        "leader_name": "李四",
        "progress_note": "设备招标中",
        "status": "behind",
        "status_reason": "设备到货延迟",
        "status_date": dt.date(2026, 4, 1),
        "hesitation_note": "等待能耗指标批复",
        **extra,
    }
    with acting_as(world.admin, source="test"):
        return project_create(user=world.admin, data=data, stage="signed")


def test_every_editable_field_of_the_ledger_template_imports_back_into_an_empty_installation(world):
    """Export a 增资 project at 签约 with every field the template carries, delete every project, import."""
    from zonedesk.core.audit import acting_as
    from zonedesk.ledgerio.export import get_template
    from zonedesk.projects import fields as declared
    from zonedesk.projects.models import Project

    original = _full_project(world)
    columns = {c.field for c in get_template(None).columns}
    carried = [n for n in declared.editable_names() if n in columns and n != "zone"]
    before = {
        n: getattr(original, declared.BY_NAME[n].model_field.attname, None)
        for n in carried
        if n != "investors"
    }
    qs = selectors.project_list(world.officer_a, ProjectFilters(zone=world.zone_a.pk))
    content, name, _type = export_projects(
        qs, template=None, fmt="xlsx", zone_label=world.zone_a.name, unit_label=""
    )
    with acting_as(world.admin, source="test"):
        for p in Project.objects.all():
            p.delete()

    plan, _batch = apply_import(content, user=world.officer_a, zone=world.zone_a, file_name=name)
    assert plan.error_list == [] and plan.counts["created"] == 1
    back = Project.objects.get(name="年产5万吨碳化硅增资扩产项目")
    after = {
        n: getattr(back, declared.BY_NAME[n].model_field.attname, None) for n in carried if n != "investors"
    }
    assert after == before
    assert back.stage == "signed" and back.counted_investment_wan == original.counted_investment_wan == 12000
    assert [e.name for e in back.investors.all()] == ["山西增资示例有限公司"]
    assert sorted(carried) == sorted(
        set(declared.editable_names()) - {"zone"}
    )  # the template carries them all
