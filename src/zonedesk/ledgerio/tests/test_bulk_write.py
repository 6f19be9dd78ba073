"""The import's bulk write leaves what a service would: rows, history with every value, fresh ids."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from hypothesis import given, settings
from hypothesis import strategies as st

from zonedesk.core.models import ObjectChange
from zonedesk.enterprises.models import Enterprise
from zonedesk.ledgerio.config import get_config
from zonedesk.ledgerio.importer import apply_import, undo_import
from zonedesk.ledgerio.reader import Column
from zonedesk.ledgerio.validate import Cell, CellError, _as_text, _to_area, _to_money
from zonedesk.projects.bulk import snapshot_fields, snapshot_json
from zonedesk.projects.models import Project, ProjectInvestor

from .zone_ledgers import messy_zone_workbook, simple_rows, simple_workbook


def _same(a, b) -> bool:
    if a == b:
        return True
    try:
        return Decimal(a) == Decimal(b)  # "22.5" in history, "22.50" read back from the column
    except (TypeError, ValueError, InvalidOperation):
        return False


def test_history_of_each_new_project_holds_every_field_as_stored(world):
    _plan, batch = apply_import(messy_zone_workbook(), user=world.officer_a, zone=world.zone_a)
    fields = snapshot_fields()
    for project in Project.objects.filter(pk__in=batch.created_ids):
        [change] = ObjectChange.objects.filter(content_type__model="project", object_id=project.pk)
        investors = list(
            ProjectInvestor.objects.filter(project=project).values_list("enterprise_id", flat=True)
        )
        stored = snapshot_json(project, fields, investors)
        # One compact row per new project: its values as diff(None, after), without ``after`` itself.
        assert (change.before, change.after) == (None, None)
        assert {old for old, _new in change.changes.values()} == {None}
        shown = {k: new for k, (_old, new) in change.changes.items()}
        assert set(shown) == {k for k, v in stored.items() if v is not None}
        assert [k for k in shown if not _same(shown[k], stored[k])] == []
        assert f"批次 #{batch.pk}" in change.note
        assert (change.action, change.source, change.user_id, change.actor_label) == (
            "create",
            "import",
            world.officer_a.pk,
            world.officer_a.full_name or world.officer_a.username,
        )
        assert change.time is not None and project.created_at is not None
    made = Enterprise.objects.filter(pk__in=batch.created_enterprise_ids)
    assert made.count() == len(batch.created_enterprise_ids) > 0
    for enterprise in made:
        [change] = ObjectChange.objects.filter(content_type__model="enterprise", object_id=enterprise.pk)
        # The one create shape (core.audit.row_shape): the values once, in ``changes``.
        assert (change.before, change.after) == (None, None)
        assert change.state_after() == {
            "id": enterprise.pk,
            "name": enterprise.name,
            **({"uscc": enterprise.uscc} if enterprise.uscc else {}),
            "uscc_warning": enterprise.uscc_warning,
            "zone": world.zone_a.pk,
            "normalized_name": enterprise.normalized_name,
            "created_by": world.officer_a.pk,
        }
        assert (enterprise.former_names, enterprise.tags, enterprise.version) == ([], [], 1)


def test_ids_of_undone_projects_are_never_handed_out_again(world):
    _plan, first = apply_import(simple_workbook(simple_rows(3)), user=world.officer_a, zone=world.zone_a)
    undo_import(first, user=world.officer_a)
    _plan, second = apply_import(simple_workbook(simple_rows(3)), user=world.officer_a, zone=world.zone_a)
    assert min(second.created_ids) > max(first.created_ids)
    assert Project.objects.filter(pk__in=second.created_ids).count() == 3


def _cell(raw, field, unit=None):
    config = get_config()
    return Cell(raw, Column("D", 3, "x", field, unit), config.fields[field], None)


numbers = st.one_of(
    st.integers(min_value=0, max_value=10**9),
    st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False),
)


def _convert(fn, raw, field, unit):
    cell = _cell(raw, field, unit)
    try:
        return fn(cell), cell.approx, cell.warnings
    except CellError as exc:
        return str(exc)


@settings(max_examples=300, deadline=None)
@given(
    raw=numbers, unit=st.sampled_from([None, "万元", "亿元", "元", "千元", "万美元", "亩", "平方米", "公顷"])
)
def test_typed_numbers_convert_exactly_as_their_text_would(raw, unit):
    # Numeric cells take a short path; it must agree with the text parser on the same number.
    text = _as_text(raw)
    for fn, field in (
        (_to_money, "total_investment_wan"),
        (_to_money, "foreign_investment_usd_wan"),
        (_to_area, "land_area_mu"),
        (_to_area, "floor_area_m2"),
    ):
        assert _convert(fn, raw, field, unit) == _convert(fn, text, field, unit)
