"""The import's short paths for large ledgers give exactly what the general paths give."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from zonedesk.core.bulkwrite import indexes_built_after
from zonedesk.ledgerio.config import get_config, squeeze
from zonedesk.ledgerio.importer import apply_import
from zonedesk.ledgerio.reader import _may_name_header, _read_xlsx, _read_xlsx_openpyxl, match_header
from zonedesk.ledgerio.validate import CONVERTERS, Cell, CellError, _typed_number_path
from zonedesk.projects.models import Project
from zonedesk.textnorm import normalize

from .workbooks import to_bytes
from .zone_ledgers import simple_rows, simple_workbook

UNITS = [None, "万元", "亿元", "元", "千元", "万美元", "亩", "平方米", "公顷"]
numbers = st.one_of(
    st.integers(min_value=-10, max_value=10**20),
    st.floats(min_value=-1, max_value=1e19, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=400, deadline=None)
@given(
    raw=numbers,
    unit=st.sampled_from(UNITS),
    field=st.sampled_from(
        [
            "total_investment_wan",
            "foreign_investment_usd_wan",
            "land_area_mu",
            "floor_area_m2",
            "expected_jobs",
            "agreement_date",
        ]
    ),
)
def test_typed_number_short_path_gives_what_the_converter_gives(raw, unit, field):
    from zonedesk.ledgerio.reader import Column

    spec = get_config().fields[field]
    column = Column("D", 3, "x", field, unit)
    path = _typed_number_path(column, spec)
    found = path(raw) if path is not None else None
    if found is None:
        return  # the cell goes to the converter itself
    cell = Cell(raw, column, spec, None)
    try:
        expected = CONVERTERS[spec.kind](cell)
    except CellError as exc:  # pragma: no cover - the short path only takes cells that convert
        pytest.fail(f"short path gave {found!r} where the converter says {exc}")
    assert (found, str(found)) == (expected, str(expected))
    assert (cell.approx, cell.warnings) == (False, [])


def test_typed_dates_take_the_short_path():
    spec = get_config().fields["agreement_date"]
    from zonedesk.ledgerio.reader import Column

    path = _typed_number_path(Column("H", 7, "签约日期", "agreement_date", None), spec)
    assert path(datetime(2024, 3, 15, 0, 0)) == datetime(2024, 3, 15).date()
    assert path("2024.3") is None


@settings(max_examples=500, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(
            list("億萬项目（）１２Ａａab 　\t\n,，。．%﹪∶名称全") + ["\u00a0", "\u2028"]
        ),
        max_size=14,
    )
)
def test_squeeze_skips_normalising_only_when_nothing_would_change(text):
    assert squeeze(text) == re.sub(r"\s+", "", normalize(text))


@settings(max_examples=500, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("招商项目名称全（）()[]【】万元亿亩㎡投资方序号 ")), max_size=12
    )
)
def test_name_header_prefilter_never_hides_a_header(text):
    if match_header(text, get_config())[0] == "name":
        assert _may_name_header(text, get_config())


def _layouts_workbook() -> bytes:
    """Many rows in a few layouts (the streaming reader learns them), and rows that break them."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(["序号", "项目名称", "投资方", "总投资（万元）", "签约日期", "项目阶段", "责任单位", "备注"])
    for n in range(1, 400):
        signed = n % 3 != 0
        row = [
            n,
            f"年产{n}吨电池项目",
            f"甲{n % 7}公司",
            n * 10 + 0.5 if n % 5 else n,
            datetime(2024, 1 + n % 12, 1) if signed else None,
            "已签约" if signed else "洽谈中",
            "生物医药招商中心" if n % 4 else None,
            "  " if n % 11 == 0 else None,
        ]
        if n == 200:
            row[3] = "=1+2"  # a formula: that row is read cell by cell
        if n == 250:
            row[1] = "氢能 & 配套 <一期>"
        ws.append(row)
    ws.append([None, "合计", None, 12345])
    return to_bytes(wb)


def test_rows_read_by_learned_layouts_equal_openpyxls():
    data = _layouts_workbook()
    config = get_config()
    assert _read_xlsx(data, None, config) == _read_xlsx_openpyxl(data, None, config)


def _schema(table: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE tbl_name = %s ORDER BY name", [table])
        return cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only: elsewhere the indexes stay")
def test_indexes_dropped_for_a_large_load_come_back_as_they_were(world, monkeypatch):
    monkeypatch.setattr("zonedesk.core.bulkwrite.INDEX_REBUILD_MIN", 1)
    table = Project._meta.db_table
    before = _schema(table)
    with transaction.atomic(), indexes_built_after(Project, 10_000):
        assert [n for n, sql in _schema(table) if sql and sql.startswith("CREATE INDEX")] == []
    assert _schema(table) == before
    with pytest.raises(RuntimeError), transaction.atomic(), indexes_built_after(Project, 10_000):
        raise RuntimeError("the load failed")
    assert _schema(table) == before


def test_large_import_path_writes_what_the_small_one_writes(world, monkeypatch):
    # The index rebuild is taken from 10 000 rows on; forced here for a small ledger.
    monkeypatch.setattr("zonedesk.core.bulkwrite.INDEX_REBUILD_MIN", 1)
    _plan, batch = apply_import(simple_workbook(simple_rows(5)), user=world.officer_a, zone=world.zone_a)
    assert batch.created_count == 5
    stored = sorted(
        Project.objects.filter(pk__in=batch.created_ids).values_list(
            "name",
            "total_investment_wan",
            "stage",
            "pursuing_unit",
            "responsible_officer",
            "zone",
            "created_by",
            "version",
        )
    )
    assert stored == [
        (
            f"测试导入项目{n}",
            Decimal(1000 * n),
            "negotiating",
            world.centre_a.pk,
            world.officer_a.pk,
            world.zone_a.pk,
            world.officer_a.pk,
            1,
        )
        for n in range(1, 6)
    ]
    assert Project.objects.filter(zone=world.zone_a, name__startswith="测试导入项目").order_by(
        "pk"
    ).first().pk == min(batch.created_ids)
