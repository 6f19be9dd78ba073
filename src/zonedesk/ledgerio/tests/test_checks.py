"""The field declarations, the gates, columns.toml and templates.toml agree, and drift is named."""

from __future__ import annotations

import dataclasses

from django.core import checks as django_checks

from zonedesk.ledgerio import checks
from zonedesk.ledgerio.config import get_config
from zonedesk.ledgerio.export import load_templates


def test_shipped_files_agree_with_the_declarations():
    assert checks.declaration_problems() == []
    assert [m for m in django_checks.run_checks() if m.id == "zonedesk.E001"] == []


def test_a_gate_field_the_import_cannot_read_is_named(monkeypatch):
    config = get_config()
    lacking = dataclasses.replace(
        config, fields={k: v for k, v in config.fields.items() if k != "increase_amount_wan"}
    )
    monkeypatch.setattr("zonedesk.ledgerio.config.get_config", lambda: lacking)
    assert checks.declaration_problems() == [
        "字段 increase_amount_wan 声明为可导入，但 columns.toml 中没有 [fields.increase_amount_wan]",
        "阶段规则要求字段 increase_amount_wan，但它不能导入",
    ]


def test_a_gate_field_the_ledger_template_leaves_out_is_named(monkeypatch):
    templates = dict(load_templates())
    ledger = templates[checks.LEDGER_TEMPLATE]
    templates[checks.LEDGER_TEMPLATE] = dataclasses.replace(
        ledger, columns=tuple(c for c in ledger.columns if c.field != "landed_date")
    )
    monkeypatch.setattr("zonedesk.ledgerio.export.load_templates", lambda: templates)
    assert checks.declaration_problems() == [
        "阶段规则要求字段 landed_date，但导出模板“招商项目台账”没有这一列"
    ]


def test_a_column_config_for_an_undeclared_field_is_named(monkeypatch):
    config = get_config()
    extra = dataclasses.replace(config.fields["progress_note"], name="stage_entered_on")
    wider = dataclasses.replace(config, fields={**config.fields, "stage_entered_on": extra})
    monkeypatch.setattr("zonedesk.ledgerio.config.get_config", lambda: wider)
    assert checks.declaration_problems() == [
        "columns.toml 的 [fields.stage_entered_on] 在 projects/fields.py 中未声明为可导入"
    ]


def test_the_system_check_reports_each_problem_as_an_error(monkeypatch):
    monkeypatch.setattr(checks, "declaration_problems", lambda: ["问题一", "问题二"])
    errors = checks.check_field_declarations()
    assert [(e.id, e.msg) for e in errors] == [("zonedesk.E001", "问题一"), ("zonedesk.E001", "问题二")]
