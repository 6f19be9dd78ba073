"""Importing into a zone: names resolved through the gate, values written exactly, all or nothing, undo."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zonedesk.core.audit import acting_as
from zonedesk.core.errors import NotPermitted
from zonedesk.core.models import ObjectChange
from zonedesk.enterprises.models import Enterprise
from zonedesk.ledgerio.importer import ImportRefused, apply_import, plan_import, undo_import
from zonedesk.ledgerio.models import ImportBatch
from zonedesk.projects.models import Project, StageLog

from .zone_ledgers import (
    messy_rows,
    messy_zone_workbook,
    simple_csv,
    simple_rows,
    simple_workbook,
    simple_xls,
)


def _by_name(zone):
    return {p.name: p for p in Project.objects.filter(zone=zone)}


def test_messy_ledger_is_written_value_by_value(world):
    plan, batch = apply_import(
        messy_zone_workbook(), user=world.officer_a, zone=world.zone_a, file_name="台账.xlsx"
    )
    assert plan.counts == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "invalid": 0,
        "errors": 0,
        "warnings": 0,
    }
    projects = _by_name(world.zone_a)
    assert sorted(projects) == sorted(
        ["數字經濟產業園", "年产10万吨铝基新材料项目", "新能源電池項目（一期）"]
    )
    alu = projects["年产10万吨铝基新材料项目"]
    assert alu.stage == "landed"
    assert alu.total_investment_wan == Decimal("222200.00")  # 22.22 under 总投资（亿元）
    assert alu.agreement_amount_wan == Decimal("15000.00")  # text "15000" under 万元
    assert alu.agreement_type == "formal"
    assert alu.land_area_mu == Decimal("1500.00")  # 1500余亩
    assert alu.agreement_date == date(2024, 3, 15)
    assert alu.landed_date == date(2024, 4, 15)  # Excel serial 45397
    assert alu.stage_entered_on == date(2024, 4, 15)
    assert alu.pursuing_unit == world.centre_a
    assert alu.responsible_officer == world.centre_user
    assert alu.park == world.park_a
    assert alu.leader_name == "张三"
    assert alu.progress_note == "厂房主体施工"
    assert alu.first_signed_date == date(2024, 3, 15)
    assert alu.counted_investment_wan == Decimal("15000.00")
    assert alu.created_by == world.officer_a
    [investor] = alu.investors.all()
    assert (investor.name, investor.uscc, investor.zone_id) == (
        "山西铝基材料有限公司",
        "91110108551385082Q",
        world.zone_a.pk,
    )

    battery = projects["新能源電池項目（一期）"]
    assert battery.stage == "negotiating"
    assert battery.total_investment_wan == Decimal("30000.00")  # 约3亿
    assert battery.land_area_mu == Decimal("85.00")  # full-width ８５
    assert battery.agreement_date == date(2024, 3, 1)  # "2024.3"
    assert battery.responsible_officer == world.officer_a
    assert sorted(battery.investors.values_list("name", flat=True)) == ["乙公司", "甲公司"]
    assert battery.park is None

    digital = projects["數字經濟產業園"]
    assert digital.stage == "reserve"
    assert digital.total_investment_wan == Decimal("30000.00")  # 三亿元
    assert digital.progress_note == "待对接"  # full-width spaces trimmed

    assert batch.status == ImportBatch.APPLIED
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (3, 0, 0)
    assert sorted(batch.created_ids) == sorted(p.pk for p in projects.values())
    history = ObjectChange.objects.filter(object_id=alu.pk, content_type__model="project")
    assert [(h.action, h.source, h.user_id) for h in history] == [("create", "import", world.officer_a.pk)]
    assert history[0].changes["total_investment_wan"] == [None, "222200"]
    assert "第5行" in history[0].note


def test_same_file_again_changes_nothing(world):
    data = messy_zone_workbook()
    apply_import(data, user=world.officer_a, zone=world.zone_a)
    versions = dict(Project.objects.values_list("pk", "version"))
    changes = ObjectChange.objects.count()
    plan, batch = apply_import(data, user=world.officer_a, zone=world.zone_a)
    assert plan.counts["unchanged"] == 3 and plan.counts["created"] == 0 and plan.counts["updated"] == 0
    assert plan.previous is not None
    assert dict(Project.objects.values_list("pk", "version")) == versions
    assert ObjectChange.objects.count() == changes
    assert Enterprise.objects.filter(name="甲公司").count() == 1
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 3)


def test_edited_ledger_updates_matched_projects_and_reports_each_change(world):
    apply_import(messy_zone_workbook(), user=world.officer_a, zone=world.zone_a)
    rows = messy_rows()
    rows[1][4] = "4亿"  # 总投资 of the battery project
    rows[1][10] = "已签约"  # moves forward: needs the signing fields
    rows[1][6] = "框架协议"
    rows[1][5] = 20000
    plan = plan_import(messy_zone_workbook(rows), user=world.officer_a, zone=world.zone_a)
    [row] = [r for r in plan.rows if r.action == "update"]
    assert row.row_number == 6
    assert [(c.label, c.before, c.after) for c in row.changes] == [
        ("总投资（万元）", "30000", "40000"),
        ("协议投资额（万元）", "（空）", "20000"),
        ("协议类型", "（空）", "框架协议"),
        ("阶段", "在谈", "签约"),
    ]
    assert plan.counts["unchanged"] == 2
    plan, batch = apply_import(messy_zone_workbook(rows), user=world.officer_a, zone=world.zone_a)
    battery = Project.objects.get(name="新能源電池項目（一期）")
    assert (
        battery.stage == "signed"
        and battery.total_investment_wan == Decimal("40000.00")
        and battery.version == 2
    )
    log = StageLog.objects.get(project=battery)
    assert (log.from_stage, log.to_stage, log.source) == ("negotiating", "signed", "import")
    assert battery.first_signed_date == date(2024, 3, 1)

    undone = undo_import(batch, user=world.officer_a)
    battery.refresh_from_db()
    assert undone.status == ImportBatch.UNDONE
    assert battery.stage == "negotiating" and battery.total_investment_wan == Decimal("30000.00")
    assert (
        battery.agreement_type == ""
        and battery.agreement_amount_wan is None
        and battery.first_signed_date is None
    )


def test_any_error_writes_nothing_and_names_row_and_column(world):
    rows = messy_rows()
    rows[3][11] = "不存在的招商局"  # 责任单位 of row 8
    with pytest.raises(ImportRefused) as exc:
        apply_import(messy_zone_workbook(rows), user=world.officer_a, zone=world.zone_a)
    assert "第8行 L列（责任单位）" in str(exc.value)
    assert (
        Project.objects.count() == 0 and Enterprise.objects.count() == 0 and ImportBatch.objects.count() == 0
    )
    plan = plan_import(messy_zone_workbook(rows), user=world.officer_a, zone=world.zone_a)
    assert [(e.sheet, e.row, e.column_letter, e.message) for e in plan.error_list] == [
        (
            "项目台账",
            8,
            "L",
            "第8行 L列（责任单位）：未找到单位“不存在的招商局”（须为系统中已有且您有权查看的单位，按全称或简称匹配）",
        )
    ]


def test_undo_deletes_created_projects_and_enterprises(world):
    _plan, batch = apply_import(messy_zone_workbook(), user=world.officer_a, zone=world.zone_a)
    undo_import(batch, user=world.officer_a)
    assert Project.objects.count() == 0
    assert Enterprise.objects.count() == 0
    assert ObjectChange.objects.filter(action="delete", content_type__model="project").count() == 3


def test_undo_is_refused_once_a_project_was_changed_since(world):
    from zonedesk.projects.services import project_update

    _plan, batch = apply_import(messy_zone_workbook(), user=world.officer_a, zone=world.zone_a)
    project = Project.objects.get(name="數字經濟產業園")
    with acting_as(world.officer_a, source="test"):
        project_update(
            user=world.officer_a, project=project, data={"leader_name": "王五"}, expected_version=None
        )
    with pytest.raises(ImportRefused, match=r"不能撤销批次 #.*项目“數字經濟產業園”在导入后已被修改"):
        undo_import(batch, user=world.officer_a)
    assert Project.objects.count() == 3


def test_sibling_zone_user_cannot_import_into_zone_a(world):
    with pytest.raises(NotPermitted):
        plan_import(simple_workbook(), user=world.officer_b, zone=world.zone_a)
    with pytest.raises(NotPermitted):
        apply_import(simple_workbook(), user=world.officer_b, zone=world.zone_a)
    assert Project.objects.count() == 0


def test_csv_in_utf8_bom_and_gb18030_and_xls_read_the_same(world):
    expected = [
        ("测试导入项目1", Decimal("1000.00")),
        ("测试导入项目2", Decimal("2000.00")),
        ("测试导入项目3", Decimal("3000.00")),
    ]
    for data, name in (
        (simple_csv(), "a.csv"),
        (simple_csv(encoding="gb18030"), "b.csv"),
        (simple_csv(encoding="utf-8"), "c.csv"),
        (simple_xls(), "d.xls"),
    ):
        plan = plan_import(data, user=world.officer_a, zone=world.zone_a, file_name=name)
        assert plan.counts["created"] == 3, (name, plan.error_list)
        assert [(r.values["name"], r.values["total_investment_wan"]) for r in plan.rows] == expected
        assert all(r.values["pursuing_unit"] == world.centre_a.pk for r in plan.rows)


def test_xls_dates_and_numbers(world):
    from datetime import datetime

    rows = simple_rows(1)
    rows[0][4] = datetime(2024, 5, 8)
    rows[0][5] = "已签約"  # traditional 約
    plan = plan_import(simple_xls(rows), user=world.officer_a, zone=world.zone_a, file_name="x.xls")
    [row] = plan.rows
    assert row.values["agreement_date"] == date(2024, 5, 8)
    assert row.values["stage"] == "signed"
    # 签约 needs 协议类型 and 协议投资额, which this sheet has no column for:
    assert [e.message for e in plan.error_list] == [
        "第3行：项目阶段为“签约”，须填写“协议类型”（表中无此列）",
        "第3行：项目阶段为“签约”，须填写“协议投资额（万元）”（表中无此列）",
    ]


def test_enterprise_is_matched_by_uscc_then_normalised_name(world):
    by_uscc = world.enterprise("长治某某科技有限公司", uscc="91110108551385082Q")
    by_name = world.enterprise("山西 甲（集团）有限公司")
    rows = simple_rows(2)
    rows[0][2] = "随便写的名字"
    rows[1][2] = "山西甲（集团）有限责任公司"
    header_rows = list(rows)
    from openpyxl import Workbook

    from .workbooks import to_bytes

    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "项目名称", "投资主体", "统一社会信用代码", "项目阶段", "责任单位", "责任人"])
    ws.append(
        [
            1,
            header_rows[0][1],
            header_rows[0][2],
            "91110108551385082Q",
            "在谈",
            "生物医药招商中心",
            "officer_a",
        ]
    )
    ws.append([2, header_rows[1][1], header_rows[1][2], None, "在谈", "生物医药招商中心", "officer_a"])
    _plan, _batch = apply_import(to_bytes(wb), user=world.officer_a, zone=world.zone_a)
    first, second = (Project.objects.get(name=r[1]) for r in rows)
    assert list(first.investors.all()) == [by_uscc]
    assert list(second.investors.all()) == [by_name]
    assert Enterprise.objects.count() == 2
