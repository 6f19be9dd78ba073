"""Import a ledger into one zone: plan (read, validate, resolve, match, diff), then apply all or nothing.

``plan_import`` writes nothing: it says which rows create projects, which change which fields (before →
after), which are unchanged, and every error with the sheet, row and column letter of the user's own
file. ``apply_import`` re-plans inside one transaction and writes everything or nothing, in bulk,
leaving the history a service would (ObjectChange rows with source "import" and the acting user; a new
project's row holds its values as ``changes``, diff(None, after), without repeating them in ``after``),
and an ImportBatch that ``undo_import`` can reverse while nobody has touched those projects since.
``ImportPlan.timings`` says how long each phase took (read, validate, plan, write, commit).

Validation has one path: the reader, ``parse_rows`` (cells and stage gates, against the stored values
for a row that updates a project), the resolver (names → rows, through the scope gate) and the model's
own field limits, checked here without a save per row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models, transaction
from django.utils import timezone

from zonedesk.access.scoping import can, restrict
from zonedesk.core.audit import ChangeBatch, acting_as
from zonedesk.core.errors import DomainError, NotPermitted
from zonedesk.core.perf import gc_paused
from zonedesk.projects.services import check_move

from .config import ColumnConfig, get_config, in_ledger_language, squeeze
from .models import ImportBatch
from .reader import SheetTable, read_workbook
from .resolve import EnterpriseRef, NotFound, Resolver
from .validate import ERROR, WARNING, ParsedRow, RowError, parse_rows

import_log = logging.getLogger("zonedesk.ledgerio")

CREATE, UPDATE, UNCHANGED, INVALID = "create", "update", "unchanged", "error"
ACTION_LABELS = {CREATE: "新增", UPDATE: "更新", UNCHANGED: "未变", INVALID: "有错误"}
FK_RESOLVERS = {
    "park": "park",
    "pursuing_unit": "unit",
    "referring_unit": "unit",
    "responsible_officer": "officer",
    "industry": "industry",
}
# Written by the import itself, never compared field by field.
NOT_COMPARED = {"investors", "investor_uscc", "hesitations", "stage", "zone"}
BATCH_SIZE = 2000
_NATIONAL_CODE = re.compile(r"^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$")


class _Clock:
    """Wall and CPU seconds per phase of one import, kept on the plan (``ImportPlan.timings``)."""

    def __init__(self, into: dict[str, tuple[float, float]]) -> None:
        self.into = into
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self, phase: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.into[phase] = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu


class ImportRefused(DomainError):
    """The file has errors (or the batch cannot be undone); nothing was written."""

    status = 422


@dataclass
class FieldChange:
    field: str
    label: str
    before: str
    after: str


@dataclass(slots=True)
class PlannedRow:
    sheet: str
    row_number: int
    name: str
    action: str
    project_id: int | None = None
    values: dict[str, Any] = field(default_factory=dict)  # Project field (FKs as ids) → new value
    investors: list[EnterpriseRef] | None = None
    hesitations: tuple[str, ...] | None = (
        None  # coded 观望原因 to write (None: the row says nothing / no change)
    )
    stage: str | None = None  # the stage to set (new project, or a forward move)
    changes: list[FieldChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass
class ImportPlan:
    user: Any
    zone: Any
    file_name: str
    sha256: str
    rows: list[PlannedRow]
    errors: list[RowError]  # errors and warnings, in file order
    tables: list[SheetTable]  # layout of each sheet read; their raw rows are released after validation
    previous: ImportBatch | None = None
    planner: Any = field(default=None, repr=False, compare=False)  # its lookups serve the write
    # phase → (wall, CPU) seconds: read, validate, plan; apply_import adds write and commit
    timings: dict[str, tuple[float, float]] = field(default_factory=dict, repr=False, compare=False)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": self.count(CREATE),
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "invalid": self.count(INVALID),
            "errors": sum(1 for e in self.errors if e.severity == ERROR),
            "warnings": sum(1 for e in self.errors if e.severity == WARNING),
        }

    @property
    def has_errors(self) -> bool:
        return any(e.severity == ERROR for e in self.errors)

    @property
    def error_list(self) -> list[RowError]:
        return [e for e in self.errors if e.severity == ERROR]

    @property
    def warning_list(self) -> list[RowError]:
        return [e for e in self.errors if e.severity == WARNING]


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def may_import(user: Any, zone: Any) -> bool:
    """Only users who may add and change projects, and can see the zone, import into it."""
    from zonedesk.geo.models import Zone
    from zonedesk.projects.models import Project

    return (
        can(user, "add", Project)
        and can(user, "change", Project)
        and restrict(user, "view", Zone).filter(pk=zone.pk).exists()
    )


# --------------------------------------------------------------------------- display


def _project_meta() -> Any:
    from zonedesk.projects.models import Project

    return Project._meta


def field_label(name: str) -> str:
    if name == "investors":
        return "投资方"
    try:
        return str(getattr(_project_meta().get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return name


def _display(name: str, value: Any, resolver: Resolver) -> str:
    if value is None or value == "":
        return "（空）"
    if name == "park":
        return resolver.park_names.get(value, str(value))
    if name in {"pursuing_unit", "referring_unit"}:
        return resolver.unit_names.get(value, str(value))
    if name == "responsible_officer":
        return resolver.officer_names.get(value, str(value))
    if name == "industry":
        return resolver.industry_label(value)
    if name == "investors":
        return "、".join(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        f = _project_meta().get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if getattr(f, "choices", None):
        return str(dict(f.choices).get(value, value))
    return str(value)


# --------------------------------------------------------------------------- the model's own limits


def _field_checks() -> dict[str, Callable[[Any], str | None]]:
    """Per field, a check mirroring the model field's validation (length, digits, sign, pattern)."""
    checks: dict[str, Callable[[Any], str | None]] = {}
    for f in _project_meta().concrete_fields:
        if isinstance(f, models.ForeignKey):
            continue
        if isinstance(f, models.CharField) and f.max_length:
            limit = f.max_length

            def check_len(value: Any, limit: int = limit) -> str | None:
                return f"内容过长（{len(value)} 字，最多 {limit} 字）" if len(str(value)) > limit else None

            checks[f.name] = check_len
        elif isinstance(f, models.DecimalField):
            bound = Decimal(10) ** (f.max_digits - f.decimal_places)

            def check_dec(value: Any, bound: Decimal = bound) -> str | None:
                if value < 0:
                    return f"数值不能为负（{value}）"
                if value >= bound:
                    return f"数值过大（{value}）"
                return None

            checks[f.name] = check_dec
        elif isinstance(f, models.PositiveIntegerField):
            checks[f.name] = lambda value: (
                "不能为负数" if value < 0 else ("数值过大" if value > 2_147_483_647 else None)
            )
    base = checks.get("national_code")

    def check_code(value: Any) -> str | None:
        if not _NATIONAL_CODE.match(str(value)):
            return f"项目代码“{value}”格式不符，应为 24 位代码，如 2024-140400-39-01-123456"
        return base(value) if base else None

    checks["national_code"] = check_code
    return checks


# --------------------------------------------------------------------------- planning


class _Planner:
    def __init__(self, user: Any, zone: Any, config: ColumnConfig) -> None:
        from zonedesk.projects.models import Project, ProjectInvestor

        self.user, self.zone, self.config = user, zone, config
        self.resolver = Resolver(user, zone)
        self.checks = _field_checks()
        # field → (what _resolve_row does with it, the limit it tests in line, the check or lookup)
        self.handlers: dict[str, tuple[int, Any, Any]] = {}
        for f in Project._meta.concrete_fields:
            check = self.checks.get(f.name)
            if check is None:
                continue
            if f.name == "national_code":
                self.handlers[f.name] = (_CHECK, None, check)
            elif isinstance(f, models.CharField) and f.max_length:
                self.handlers[f.name] = (_LENGTH, f.max_length, check)
            elif isinstance(f, models.DecimalField):
                self.handlers[f.name] = (_RANGE, Decimal(10) ** (f.max_digits - f.decimal_places), check)
            else:
                self.handlers[f.name] = (_CHECK, None, check)
        self.handlers.update(
            {name: (_FK, None, getattr(self.resolver, kind)) for name, kind in FK_RESOLVERS.items()}
        )
        self.handlers.update(
            {
                "investors": (_DROP, None, None),
                "investor_uscc": (_DROP, None, None),
                "hesitations": (_REASONS, None, None),
            }
        )
        self.resolved: dict[tuple[Any, Any], Any] = {}
        visible = restrict(user, "view", Project).filter(zone=zone)
        self.existing: dict[int, Any] = {p.pk: p for p in visible}
        self.changeable: set[int] = set(
            restrict(user, "change", Project).filter(zone=zone).values_list("pk", flat=True)
        )
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        for pk in sorted(self.existing):
            p = self.existing[pk]
            if p.national_code:
                self.by_code.setdefault(p.national_code, pk)
            self.by_name.setdefault(squeeze(p.name), pk)
        self.investors: dict[int, list[int]] = {}
        self.hesitations: dict[int, list[str]] = {}
        if self.existing:
            from zonedesk.projects.models import ProjectHesitation

            for project_id, reason in ProjectHesitation.objects.filter(project__zone=zone).values_list(
                "project_id", "reason"
            ):
                self.hesitations.setdefault(project_id, []).append(reason)
            for project_id, enterprise_id in (
                ProjectInvestor.objects.filter(project__zone=zone)
                .order_by("-is_lead", "id")
                .values_list("project_id", "enterprise_id")
            ):
                self.investors.setdefault(project_id, []).append(enterprise_id)
            from zonedesk.enterprises.models import Enterprise

            ids = sorted({e for v in self.investors.values() for e in v})
            for start in range(0, len(ids), 500):
                for pk, name in Enterprise.objects.filter(pk__in=ids[start : start + 500]).values_list(
                    "pk", "name"
                ):
                    self.resolver.enterprise_names[pk] = name

    def match(self, values: Mapping[str, Any]) -> int | None:
        if not self.existing:
            return None  # a zone's first import: nothing to match
        code = values.get("national_code")
        if code and code in self.by_code:
            return self.by_code[code]
        name = values.get("name")
        return self.by_name.get(squeeze(name)) if name else None

    def stored_values(self, values: Mapping[str, Any]) -> dict[str, Any] | None:
        pk = self.match(values)
        if pk is None:
            return None
        project = self.existing[pk]
        stored = {f.name: getattr(project, f.attname) for f in project._meta.concrete_fields}
        stored["investors"] = self.investors.get(pk, [])
        return stored


def _error(
    parsed: ParsedRow, tables: dict[str, SheetTable], name: str, message: str, severity: str = ERROR
) -> RowError:
    letter = parsed.columns.get(name)
    table = tables.get(parsed.sheet)
    column = table.columns.get(name) if table else None
    where = (
        f"第{parsed.row_number}行 {letter}列（{column.header}）：" if column else f"第{parsed.row_number}行："
    )
    return RowError(parsed.sheet, parsed.row_number, letter, name, where + message, severity)


_DROP, _REASONS, _FK, _CHECK, _LENGTH, _RANGE = range(6)


def _resolve_row(
    planner: _Planner, parsed: ParsedRow, tables: dict[str, SheetTable], planned: PlannedRow
) -> None:
    """Names → ids and the model's limits, turning the row's values into the values to write.

    The parsed values dict becomes the planned one (changed in place: one dict per row, not two,
    for ledgers of 100 000 rows); a value that fails is dropped from it with its error recorded.
    The common limits (a text's length, a number's range) are tested in line; the field's check
    runs when one fails, and gives the message.
    """
    values = parsed.values
    handlers = planner.handlers
    memo = planner.resolved
    dropped: list[str] = []  # deleted after the loop: the dict is being walked
    for name, value in values.items():
        handler = handlers.get(name)
        if handler is None:
            continue
        what, limit, fn = handler
        if what == _LENGTH:
            if value is None or (len(value) if value.__class__ is str else len(str(value))) <= limit:
                continue
        elif what == _RANGE:
            if value is None or (value.__class__ is Decimal and 0 <= value < limit):
                continue
        elif what == _CHECK:
            if value is None:
                continue
        elif what == _FK:
            # Names repeat down a ledger (责任单位, 园区…): each is looked up once per import.
            key = (fn, value)
            found = memo.get(key)
            if found is None:
                try:
                    found = fn(str(value))
                except NotFound as exc:
                    found = exc
                memo[key] = found
            if isinstance(found, NotFound):
                dropped.append(name)
                planned.errors.append(_error(parsed, tables, name, str(found)))
            else:
                values[name] = found
            continue
        elif what == _REASONS:
            planned.hesitations = tuple(value)
            dropped.append(name)
            continue
        elif what == _DROP:
            dropped.append(name)
            continue
        problem = fn(value)
        if problem:
            dropped.append(name)
            planned.errors.append(_error(parsed, tables, name, problem))
    for name in dropped:
        del values[name]
    planned.values = values


def _fill_status(
    parsed: ParsedRow, tables: dict[str, SheetTable], planned: PlannedRow, today: dt.date
) -> None:
    """A ledger marks a project 滞后/暂停 without the reason and date the model asks for: supply both."""
    values = planned.values
    status = values.get("status")
    if not status or status == "normal":
        return
    label = _display("status", status, None)  # type: ignore[arg-type]
    if not values.get("status_reason"):
        values["status_reason"] = f"台账导入时标注为“{label}”"
    if not values.get("status_date"):
        values["status_date"] = today
        planned.errors.append(
            _error(
                parsed,
                tables,
                "stage",
                f"状态为“{label}”，未填状态日期，按导入日 {today.isoformat()} 记录",
                WARNING,
            )
        )


def _reason_labels(codes: Any) -> str:
    from zonedesk.projects.choices import HesitationReason

    labels = dict(HesitationReason.choices)
    return "、".join(str(labels.get(c, c)) for c in codes) or "（空）"


def _diff_existing(
    planner: _Planner, planned: PlannedRow, parsed: ParsedRow, tables: dict[str, SheetTable]
) -> None:
    from zonedesk.projects.rules import get_rules

    project = planner.existing[planned.project_id]  # type: ignore[index]
    resolver = planner.resolver
    for name, new in planned.values.items():
        if name in NOT_COMPARED:
            continue
        f = project._meta.get_field(name)
        old = getattr(project, f.attname)
        if isinstance(old, Decimal) and isinstance(new, Decimal) and old == new:
            continue
        if old == new or (old in (None, "") and new in (None, "")):
            continue
        planned.changes.append(
            FieldChange(name, field_label(name), _display(name, old, resolver), _display(name, new, resolver))
        )
    if planned.investors is not None:
        old_ids = planner.investors.get(project.pk, [])
        new_ids = [r.pk for r in planned.investors]
        if None in new_ids or set(new_ids) != set(old_ids):
            planned.changes.append(
                FieldChange(
                    "investors",
                    "投资方",
                    _display(
                        "investors", [resolver.enterprise_names.get(i, str(i)) for i in old_ids], resolver
                    )
                    if old_ids
                    else "（空）",
                    _display(
                        "investors",
                        [r.name + ("（新建）" if r.pk is None else "") for r in planned.investors],
                        resolver,
                    ),
                )
            )
        else:
            planned.investors = None  # same investors: nothing to write
    if planned.hesitations is not None:
        old = sorted(planner.hesitations.get(project.pk, []))
        if sorted(planned.hesitations) != old:
            planned.changes.append(
                FieldChange(
                    "hesitations", "观望原因", _reason_labels(old), _reason_labels(planned.hesitations)
                )
            )
        else:
            planned.hesitations = None  # same reasons: nothing to write
    rules = get_rules()
    wanted = parsed.values.get("stage")
    planned.stage = None
    if wanted and wanted != project.stage:
        if rules.index(wanted) > rules.index(project.stage):
            # The same move rules as an advance on the project's page (a terminated project does
            # not move, a stage that asks for evidence gets the ledger row, no future date), with
            # the status and dates the row leaves the project in.
            date_field = rules.stages[wanted].date_field
            stored_date = getattr(project, date_field) if date_field else None
            occurred_on = (planned.values.get(date_field) if date_field else None) or stored_date
            try:
                check_move(
                    from_stage=project.stage,
                    to_stage=wanted,
                    status=planned.values.get("status") or project.status,
                    evidence=f"台账导入（{parsed.sheet} 第{parsed.row_number}行）",
                    occurred_on=occurred_on or timezone.localdate(),
                )
            except DomainError as exc:
                field = next(iter(exc.fields), "stage") if exc.fields else "stage"
                field = field if field in parsed.columns else "stage"
                planned.errors.append(_error(parsed, tables, field, exc.message))
                planned.action = INVALID
                return
            planned.stage = wanted
            planned.changes.append(
                FieldChange("stage", "阶段", rules.label(project.stage), rules.label(wanted))
            )
        else:
            planned.errors.append(
                _error(
                    parsed,
                    tables,
                    "stage",
                    f"表中阶段“{rules.label(wanted)}”早于系统中的“{rules.label(project.stage)}”，导入不回退阶段（如需回退请在项目页面操作）",
                    WARNING,
                )
            )
    planned.action = UPDATE if planned.changes else UNCHANGED


@in_ledger_language
def plan_import(
    data: bytes,
    *,
    user: Any,
    zone: Any,
    file_name: str = "ledger.xlsx",
    sheet: str | None = None,
    config: ColumnConfig | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """What importing ``data`` into ``zone`` as ``user`` would do. Writes nothing."""
    if not may_import(user, zone):
        raise NotPermitted("您无权向该开发区导入项目")
    with gc_paused():
        return _plan_import(
            data, user=user, zone=zone, file_name=file_name, sheet=sheet, config=config, progress=progress
        )


def _plan_import(
    data: bytes,
    *,
    user: Any,
    zone: Any,
    file_name: str,
    sheet: str | None,
    config: ColumnConfig | None,
    progress: Callable[[int, int], None] | None,
) -> ImportPlan:
    config = config or get_config()
    timings: dict[str, tuple[float, float]] = {}
    clock = _Clock(timings)
    stem = re.sub(r"\.[^.]+$", "", file_name) or "CSV"
    tables = read_workbook(data, sheet=sheet, config=config, name=stem)
    clock.lap("read")
    by_sheet = {t.sheet: t for t in tables}
    planner = _Planner(user, zone, config)
    # The parsed rows carry the values: the plan keeps each sheet's layout (header rows, columns,
    # notices) for the annotated download, and the raw rows are released as they are converted.
    result = parse_rows(
        tables, defaults={"zone": zone.pk}, config=config, known=planner.stored_values, consume=True
    )
    clock.lap("validate")
    today = timezone.localdate()
    rows: list[PlannedRow] = []
    # Investors of every row in one pass: a few queries, not one per row.
    investor_rows = [(p.investor_names, p.values.get("investor_uscc")) for p in result.rows]
    matches: list[int | None] = []
    for parsed in result.rows:
        matches.append(planner.match(parsed.values))
        planned = PlannedRow(parsed.sheet, parsed.row_number, str(parsed.values.get("name") or ""), CREATE)
        _resolve_row(planner, parsed, by_sheet, planned)
        _fill_status(parsed, by_sheet, planned, today)
        rows.append(planned)
    for parsed, planned, refs in zip(result.rows, rows, planner.resolver.enterprises(investor_rows)):
        if isinstance(refs, NotFound):
            planned.errors.append(_error(parsed, by_sheet, "investors", str(refs)))
        elif parsed.investor_names:
            planned.investors = refs
    del investor_rows
    claimed: dict[int, PlannedRow] = {}
    new_names: dict[str, PlannedRow] = {}
    total = len(rows)
    for n, (parsed, planned, pk) in enumerate(zip(result.rows, rows, matches), start=1):
        if pk is not None:
            planned.project_id = pk
            if pk in claimed:
                first = claimed[pk]
                planned.errors.append(
                    _error(
                        parsed,
                        by_sheet,
                        "name",
                        f"与工作表“{first.sheet}”第{first.row_number}行对应同一个项目（{planner.existing[pk].name}）",
                    )
                )
            claimed.setdefault(pk, planned)
            if pk not in planner.changeable:
                planned.errors.append(
                    _error(parsed, by_sheet, "name", f"您无权修改项目“{planner.existing[pk].name}”")
                )
            _diff_existing(planner, planned, parsed, by_sheet)
        else:
            planned.stage = parsed.stage
            key = squeeze(planned.name)
            if key and key in new_names:
                first = new_names[key]
                planned.errors.append(
                    _error(
                        parsed,
                        by_sheet,
                        "name",
                        f"项目名称与工作表“{first.sheet}”第{first.row_number}行重复，同一项目不能新增两次",
                    )
                )
            new_names.setdefault(key, planned)
        planned.errors[:0] = parsed.errors
        if any(e.severity == ERROR for e in planned.errors):
            planned.action = INVALID
        if progress and (n % 1000 == 0 or n == total):
            progress(n, total)
    errors = _merge_errors(result.errors, rows)
    sha256 = file_sha256(data)
    previous = (
        ImportBatch.objects.filter(zone=zone, file_sha256=sha256, status=ImportBatch.APPLIED)
        .order_by("-applied_at")
        .first()
    )
    clock.lap("plan")
    return ImportPlan(user, zone, file_name, sha256, rows, errors, tables, previous, planner, timings)


def _merge_errors(parse_errors: list[RowError], rows: list[PlannedRow]) -> list[RowError]:
    """Sheet notices, then each row's errors (parse, resolution, matching) in file order, once each."""
    seen: set[int] = set()
    out: list[RowError] = []
    for e in parse_errors:
        if e.column_letter is None and e.field is None and id(e) not in seen:  # sheet-level notices
            seen.add(id(e))
            out.append(e)
    for row in rows:
        for e in row.errors:
            if id(e) not in seen:
                seen.add(id(e))
                out.append(e)
    return out


# --------------------------------------------------------------------------- applying


class _Writer:
    """The write of one plan through the owning apps' bulk paths; every history row names the batch and row."""

    def __init__(self, plan: ImportPlan, batch: ImportBatch, actor: Any) -> None:
        self.plan, self.batch, self.actor = plan, batch, actor
        self.user = plan.user
        self.note_prefix = f"台账导入（批次 #{batch.pk}，{plan.file_name}，"

    def note(self, row: PlannedRow) -> str:
        return f"{self.note_prefix}{row.sheet} 第{row.row_number}行）"

    def enterprises(self, history: ChangeBatch) -> dict[str, int]:
        """Create the investors no row could match; returns key → new id."""
        from zonedesk.enterprises.bulk import NewEnterprise, create_many

        wanted: dict[str, NewEnterprise] = {}
        for row in self.plan.rows:
            for ref in row.investors or []:
                if ref.pk is None and ref.key not in wanted:
                    wanted[ref.key] = NewEnterprise(ref.name, ref.uscc, ref.key, self.note(row))
        rows = list(wanted.values())
        ids = create_many(rows, user=self.user, zone_id=self.plan.zone.pk, history=history)
        return {row.key: pk for row, pk in zip(rows, ids)}

    def run(self) -> None:
        from zonedesk.projects.bulk import BulkWriter, NewProject, ProjectChange

        plan = self.plan
        history = ChangeBatch()
        made = self.enterprises(history)
        history.flush()

        def ids(refs: list[EnterpriseRef]) -> list[int]:
            if len(refs) == 1:
                ref = refs[0]
                return [ref.pk if ref.pk is not None else made[ref.key]]
            return list(dict.fromkeys(r.pk if r.pk is not None else made[r.key] for r in refs))

        writer = BulkWriter(user=self.user, zone_id=plan.zone.pk, history=history)
        creates = [r for r in plan.rows if r.action == CREATE]
        created_ids = writer.create(
            [
                NewProject(
                    values=row.values,
                    stage=row.stage,
                    investors=ids(row.investors) if row.investors else [],
                    hesitations=row.hesitations,
                    note=self.note(row),
                )
                for row in creates
            ],
            checked=True,  # the validator asked the same rules of every row (validate.check_gates)
        )
        for row, pk in zip(creates, created_ids):
            row.project_id = pk
        updates = [r for r in plan.rows if r.action == UPDATE]
        planner = plan.planner
        undo_state = writer.update(
            [
                ProjectChange(
                    project=planner.existing[row.project_id],  # the diff was computed on it
                    values={
                        c.field: row.values[c.field]
                        for c in row.changes
                        if c.field not in {"investors", "stage", "hesitations"}
                    },
                    stage=row.stage,
                    investors=ids(row.investors) if row.investors is not None else None,
                    old_investors=planner.investors.get(row.project_id, []),
                    hesitations=row.hesitations,
                    old_hesitations=sorted(planner.hesitations.get(row.project_id, [])),
                    note=self.note(row),
                )
                for row in updates
            ]
        )
        writer.check_reach(created_ids, [r.project_id for r in updates])
        history.flush()
        self.written = created_ids + [r.project_id for r in updates]
        batch = self.batch
        batch.created_ids = created_ids
        batch.updated_ids = [r.project_id for r in updates]
        batch.created_enterprise_ids = sorted(made.values())
        batch.undo_state = undo_state
        batch.created_count, batch.updated_count = len(created_ids), len(updates)


# The first key of the advisory lock that serialises the writes of one zone's imports ("ledg").
_ZONE_LOCK_CLASS = 0x6C656467


def _lock_zone(zone_id: int) -> None:
    """Hold the zone's import lock until the transaction ends: imports into one zone run one at a time.

    PostgreSQL: a transaction-scoped advisory lock keyed by the zone (a second import waits here,
    then plans on what the first one committed: read committed sees it). SQLite: the outermost
    ``atomic()`` began IMMEDIATE (settings), so the database's one writer lock is already held.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s::int4, %s::int4)", [_ZONE_LOCK_CLASS, zone_id])


def _claim_batch(batch: ImportBatch) -> ImportBatch:
    """The stored batch, locked; refuses one that is no longer pending (a second click on 导入)."""
    locked = ImportBatch.objects.select_for_update().filter(pk=batch.pk).first()
    if locked is None:
        raise ImportRefused(f"导入批次 #{batch.pk} 不存在")
    if locked.status != ImportBatch.PENDING:
        raise ImportRefused(
            f"批次 #{locked.pk} 已处理过（{locked.get_status_display()}），不能重复导入；未写入任何数据"
        )
    return locked


def _reindex(ids: list[int]) -> None:
    try:
        from zonedesk.projects.search import reindex
    except ImportError:  # search not installed in this build
        return
    reindex(ids)


@in_ledger_language
def apply_import(
    data: bytes,
    *,
    user: Any,
    zone: Any,
    file_name: str = "ledger.xlsx",
    sheet: str | None = None,
    source: str = "import",
    batch: ImportBatch | None = None,
    config: ColumnConfig | None = None,
    progress: Callable[[int, int], None] | None = None,
    reindex: bool = True,
) -> tuple[ImportPlan, ImportBatch]:
    """Plan and write in one transaction; any error writes nothing and raises ImportRefused.

    The zone's import lock is taken first and the plan (which rows create, which update) is made
    after it, so a second import of the same file waits and then updates what the first created.
    A stored ``batch`` is applied at most once: its status is checked under a row lock.

    The search documents of the projects written are derived data: they are rebuilt after the
    transaction, unless ``reindex`` is False (then the caller runs ``projects.search.reindex`` on
    ``batch.created_ids + batch.updated_ids``).
    """
    with gc_paused(), transaction.atomic(), acting_as(user, source="import", label=source) as actor:
        _lock_zone(zone.pk)
        if batch is not None and batch.pk is not None:
            batch = _claim_batch(batch)
        plan = plan_import(
            data, user=user, zone=zone, file_name=file_name, sheet=sheet, config=config, progress=progress
        )
        if plan.has_errors:
            first = plan.error_list[0]
            raise ImportRefused(
                f"文件中有 {len(plan.error_list)} 处错误，未导入任何数据。第一处：工作表“{first.sheet}”{first.message}"
            )
        counts = plan.counts
        if batch is None:
            batch = ImportBatch(
                user=user, zone=zone, file_name=file_name[:255], file_sha256=plan.sha256, sheet=sheet or ""
            )
        batch.source = source
        batch.status = ImportBatch.APPLIED
        batch.applied_at = timezone.now()
        batch.request_id = actor.request_id
        batch.unchanged_count = counts["unchanged"]
        batch.warning_count = counts["warnings"]
        batch.error_count = 0
        batch.save()
        clock = _Clock(plan.timings)
        writer = _Writer(plan, batch, actor)
        writer.run()
        batch.save()
        clock.lap("write")
    clock.lap("commit")
    fields = {"batch": batch.pk, "zone": batch.zone_id, "user": user.get_username(), "source": source}
    fields |= {f"rows_{key}": n for key, n in counts.items()}  # LogRecord has a "created" of its own
    import_log.info("import.applied", extra=fields | {"request_id": batch.request_id})
    if reindex:
        _reindex(writer.written)
        clock.lap("search index")
    return plan, batch


# --------------------------------------------------------------------------- undoing


def undo_blockers(batch: ImportBatch) -> list[str]:
    """Why ``batch`` cannot be undone, in Chinese; empty when it can."""
    from zonedesk.core.models import ObjectChange
    from zonedesk.projects.models import Project

    if batch.status != ImportBatch.APPLIED:
        return [f"该批次状态为“{batch.get_status_display()}”，不能撤销"]
    expected = {int(pk): state["version"] for pk, state in batch.undo_state.items()}
    expected.update(dict.fromkeys(batch.created_ids, 1))
    ids = sorted(expected)
    current: dict[int, tuple[int, str]] = {}
    for start in range(0, len(ids), 5000):
        for pk, version, name in Project.objects.filter(pk__in=ids[start : start + 5000]).values_list(
            "pk", "version", "name"
        ):
            current[pk] = (version, name)
    reasons = []
    for pk in ids:
        if pk not in current:
            reasons.append(f"项目（编号 {pk}）已被删除")
        elif current[pk][0] != expected[pk]:
            reasons.append(f"项目“{current[pk][1]}”在导入后已被修改")
    if not reasons and ids:
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_model(Project)
        later = set()
        for start in range(0, len(ids), 5000):
            later.update(
                ObjectChange.objects.filter(
                    content_type=ct, object_id__in=ids[start : start + 5000], time__gt=batch.applied_at
                )
                .exclude(request_id=batch.request_id)
                .values_list("object_id", flat=True)
            )
        reasons.extend(f"项目“{current[pk][1]}”在导入后已有其他操作记录" for pk in sorted(later))
    return reasons


@in_ledger_language
def undo_import(batch: ImportBatch, *, user: Any, source: str = "web") -> ImportBatch:
    """Reverse an applied batch: delete what it created, restore what it changed. All or nothing."""
    from zonedesk.enterprises.models import Enterprise

    with transaction.atomic(), acting_as(user, source=source) as actor:
        _lock_zone(batch.zone_id)  # the same order as apply_import: zone, then batch
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not may_import(user, batch.zone):
            raise NotPermitted("您无权撤销该开发区的导入")
        reasons = undo_blockers(batch)
        if reasons:
            shown = "；".join(reasons[:5]) + (f"；等共 {len(reasons)} 处" if len(reasons) > 5 else "")
            raise ImportRefused(f"不能撤销批次 #{batch.pk}：{shown}。请在项目页面逐一处理。")
        from zonedesk.projects.bulk import BulkWriter

        note = f"撤销台账导入（批次 #{batch.pk}，{batch.file_name}）"
        history = ChangeBatch()
        writer = BulkWriter(user=user, zone_id=batch.zone_id, history=history)
        writer.delete(list(batch.created_ids), note)
        restored = writer.restore(batch.undo_state, note)
        now = writer.now
        for enterprise in Enterprise.objects.filter(pk__in=batch.created_enterprise_ids):
            if not enterprise.project_links.exists():
                before = {"name": enterprise.name, "uscc": enterprise.uscc}
                history.add(Enterprise, enterprise.pk, enterprise.name, "delete", before, None, note)
                Enterprise.objects.filter(pk=enterprise.pk).delete()
        history.flush()
        _reindex([p.pk for p in restored])
        batch.status = ImportBatch.UNDONE
        batch.undone_at = now
        batch.undone_by = user
        batch.save()
    fields = {"batch": batch.pk, "zone": batch.zone_id, "user": user.get_username(), "source": source}
    fields |= {"projects_deleted": len(batch.created_ids), "projects_restored": len(batch.undo_state)}
    import_log.info("import.undone", extra=fields | {"request_id": actor.request_id})
    return batch
