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
import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from zonedesk.access.scoping import can, restrict
from zonedesk.core.audit import acting_as, to_jsonable
from zonedesk.core.errors import DomainError, NotPermitted
from zonedesk.core.perf import gc_paused

from .bulkwrite import Pipeline, Table, indexes_built_after, insert, raw_json
from .config import ColumnConfig, get_config, in_ledger_language, squeeze
from .models import ImportBatch
from .reader import SheetTable, read_workbook
from .resolve import EnterpriseRef, NotFound, Resolver
from .validate import ERROR, WARNING, ParsedRow, RowError, parse_rows

import_log = logging.getLogger("zonedesk.ledgerio")

try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - pinned in requirements/base.txt; json gives the same text, slower
    _orjson = None

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
_PLAIN_JSON = frozenset({str, int, bool, type(None)})
WRITE_CHUNK = 2000  # new projects written (with their history and links) per round
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


def _jsonable_snapshot(obj: Any, names: list[tuple[str, str]], investors: list[int] | None) -> dict[str, Any]:
    data = {name: to_jsonable(getattr(obj, attname)) for name, attname in names}
    if investors is not None:
        data["investors"] = sorted(investors)
    return data


def _snapshot_fields() -> list[tuple[str, str]]:
    return [
        (f.name, f.attname)
        for f in _project_meta().concrete_fields
        if f.name not in {"created_at", "updated_at"}
    ]


def _facts_class(defaults: dict[str, Any]) -> type[dict[str, Any]]:
    """A new project's values (field name → value) that also read as attributes, falling back to
    the model's defaults, for the services' counting-facts rule; attributes set land in the dict."""

    class Facts(dict):
        __slots__ = ()

        def __getattr__(self, name: str) -> Any:
            return self[name] if name in self else defaults.get(name)

        __setattr__ = dict.__setitem__

    return Facts


def _new_project_defaults(snap_fields: list[tuple[str, str]]) -> dict[str, Any]:
    """name → JSON value of every snapshot field of a new project, from the model's defaults."""
    out: dict[str, Any] = {}
    for f in _project_meta().concrete_fields:
        value = f.get_default()
        out[f.name] = to_jsonable(str(value) if isinstance(value, str) else value)
    return out


def _attname(name: str) -> str:
    return _project_meta().get_field(name).attname


class _Writer:
    """The bulk write of one plan; every history row it leaves names the batch and the row."""

    def __init__(self, plan: ImportPlan, batch: ImportBatch, actor: Any) -> None:
        from django.contrib.contenttypes.models import ContentType

        from zonedesk.enterprises.models import Enterprise
        from zonedesk.projects.models import Project

        self.plan, self.batch, self.actor = plan, batch, actor
        self.user = plan.user
        self.now = timezone.now()
        self.changes: list[Any] = []
        self.ct_project = ContentType.objects.get_for_model(Project)
        self.ct_enterprise = ContentType.objects.get_for_model(Enterprise)
        self.snap_fields = _snapshot_fields()
        self.actor_id = actor.user.pk if actor.user is not None else None
        self.actor_label = actor.display
        self.note_prefix = f"台账导入（批次 #{batch.pk}，{plan.file_name}，"

    def log(
        self,
        ct: Any,
        pk: int,
        label: str,
        action: str,
        before: dict | None,
        after: dict | None,
        note: str,
        changes: dict[str, Any] | None = None,
    ) -> None:
        """One history row, as ``core.audit.log_change`` writes it, kept as plain values for the bulk insert.

        ``changes`` is ``core.audit.diff(before, after)``, given by a caller that computes it faster.
        """
        from zonedesk.core.audit import diff

        if changes is None:
            changes = _create_changes(after) if before is None and after is not None else diff(before, after)
        self.changes.append(
            {
                "content_type_id": ct.pk,
                "object_id": pk,
                "object_repr": label[:200],
                "action": action,
                "before": raw_json(_dumps(before)) if before is not None else None,
                "after": raw_json(_dumps(after)) if after is not None else None,
                "changes": raw_json(_dumps(changes)),
                "note": note,
            }
        )

    def flush(self) -> None:
        """Write the history rows collected so far (they are built and written chunk by chunk)."""
        from zonedesk.core.models import ObjectChange

        fixed = {
            "user_id": self.actor_id,
            "actor_label": self.actor_label,
            "source": self.actor.source,
            "request_id": self.actor.request_id,
        }
        insert(ObjectChange, self.changes, with_ids=False, fixed=fixed)
        self.changes = []

    def note(self, row: PlannedRow) -> str:
        return f"{self.note_prefix}{row.sheet} 第{row.row_number}行）"

    def enterprises(self) -> dict[str, int]:
        """Create the investors no row could match; returns key → new id."""
        from zonedesk.enterprises.models import Enterprise
        from zonedesk.enterprises.services import normalize_enterprise_name
        from zonedesk.enterprises.uscc import check_uscc

        wanted: dict[str, tuple[EnterpriseRef, PlannedRow]] = {}
        for row in self.plan.rows:
            for ref in row.investors or []:
                if ref.pk is None:
                    wanted.setdefault(ref.key, (ref, row))
        rows = []
        for ref, _row in wanted.values():
            warning = ""
            if ref.uscc:
                result = check_uscc(ref.uscc)
                warning = "" if result.checksum_ok else result.message
            rows.append(
                {
                    "name": ref.name[:200],
                    "uscc": ref.uscc,
                    "uscc_warning": warning[:200],
                    "zone_id": self.plan.zone.pk,
                    # the resolver's key is the normalised name when no USCC was given
                    "normalized_name": (normalize_enterprise_name(ref.name) if ref.uscc else ref.key)[:200],
                    "created_by_id": self.user.pk,
                }
            )
        ids = insert(Enterprise, rows)
        made: dict[str, int] = {}
        for (key, (_ref, row)), obj, pk in zip(wanted.items(), rows, ids):
            made[key] = pk
            after = {
                "name": obj["name"],
                "uscc": obj["uscc"],
                "zone": obj["zone_id"],
                "normalized_name": obj["normalized_name"],
                "created_by": obj["created_by_id"],
            }
            self.log(self.ct_enterprise, pk, obj["name"], "create", None, after, self.note(row))
        return made

    def run(self) -> None:
        from zonedesk.core.models import ObjectChange
        from zonedesk.projects.models import Project, ProjectHesitation, ProjectInvestor, StageLog
        from zonedesk.projects.rules import get_rules
        from zonedesk.projects.services import record_counting_facts

        plan, rules = self.plan, get_rules()
        made = self.enterprises()
        self.flush()

        def ids(refs: list[EnterpriseRef]) -> list[int]:
            if len(refs) == 1:
                ref = refs[0]
                return [ref.pk if ref.pk is not None else made[ref.key]]
            return list(dict.fromkeys(r.pk if r.pk is not None else made[r.key] for r in refs))

        today = timezone.localdate()
        creates = [r for r in plan.rows if r.action == CREATE]
        defaults = _new_project_defaults(self.snap_fields)
        facts = _facts_class(defaults)
        created_ids: list[int] = []
        links: list[dict[str, Any]] = []
        reasons: list[dict[str, Any]] = []
        zone_id, user_id = plan.zone.pk, self.user.pk
        # A new project's history row is its values: diff(None, after) — every field that is not
        # empty, as [null, value] — with who, when, and the batch and row in the note. ``after``
        # would repeat the same values (and the model's nulls) and double the history's size.
        base_changes = {
            name: (None, defaults[name]) for name, _att in self.snap_fields if defaults[name] is not None
        }
        base_changes["zone"], base_changes["created_by"] = (None, zone_id), (None, user_id)
        stages = {code: rule.date_field for code, rule in rules.stages.items()}
        projects = Table(Project, fixed={"zone_id": zone_id, "created_by_id": user_id})
        # field name → column position, for the fields a row can set (not the zone: the import's own)
        position = {name: projects.index[att] for name, att in self.snap_fields if name not in {"zone", "id"}}
        history = Table(
            ObjectChange,
            fixed={
                "content_type_id": self.ct_project.pk,
                "action": "create",
                "user_id": self.actor_id,
                "actor_label": self.actor_label,
                "source": self.actor.source,
                "request_id": self.actor.request_id,
            },
        )
        at_object, at_repr, at_changes, at_note = (
            history.index[n] for n in ("object_id", "object_repr", "changes", "note")
        )
        iso: dict[dt.date, str] = {}  # dates repeat down a ledger: each is written out once
        new_ids = projects.allocate(len(creates))
        # A large load into a small table builds Project's indexes once at the end (see bulkwrite).
        # In chunks: the rows, their history and their links are built here while the writer
        # thread inserts the chunk before, and are dropped once written.
        with indexes_built_after(Project, len(creates)), Pipeline() as pipe:
            for start in range(0, len(creates), WRITE_CHUNK):
                chunk = creates[start : start + WRITE_CHUNK]
                chunk_ids = new_ids[start : start + WRITE_CHUNK]
                rows, logs = [], []
                for row, pk in zip(chunk, chunk_ids):
                    # field name → value (foreign keys as ids): the row's, then what the import sets
                    values = facts(row.values)
                    values.pop("zone", None)
                    stage = values["stage"] = row.stage or "reserve"
                    rule_date = stages[stage]
                    values["stage_entered_on"] = (values.get(rule_date) if rule_date else None) or today
                    record_counting_facts(values)
                    # One pass makes the table row and the history: both take the JSON form of a
                    # value (ISO dates, Decimals as exact text), which is also what the databases
                    # store for it.
                    line = projects.new()
                    changes = base_changes.copy()
                    for name, value in values.items():
                        at = position[name]
                        if value is None:
                            changes.pop(name, None)
                            line[at] = None
                            continue
                        cls = value.__class__
                        if cls in _PLAIN_JSON:
                            shown = value
                        elif cls is dt.date:
                            shown = iso.get(value)
                            if shown is None:
                                shown = iso[value] = value.isoformat()
                        else:
                            shown = _jsonable(value)
                        changes[name] = (None, shown)
                        line[at] = shown
                    rows.append(line)
                    row.project_id = pk
                    investor_ids = ids(row.investors) if row.investors else []
                    links.extend(
                        {"project_id": pk, "enterprise_id": e, "is_lead": i == 0}
                        for i, e in enumerate(investor_ids)
                    )
                    changes["id"] = (None, pk)
                    changes["investors"] = (None, sorted(investor_ids))
                    if row.hesitations:
                        changes["hesitations"] = (None, sorted(row.hesitations))
                        reasons.extend({"project_id": pk, "reason": code} for code in row.hesitations)
                    log = history.new()
                    log[at_object] = pk
                    log[at_repr] = values["name"][:200]
                    log[at_changes] = _dumps_sorted(changes)
                    log[at_note] = self.note(row)
                    logs.append(log)
                projects.write(rows, chunk_ids, via=pipe)
                created_ids.extend(chunk_ids)
                insert(ProjectInvestor, links, with_ids=False, via=pipe)
                insert(ProjectHesitation, reasons, with_ids=False, via=pipe)
                history.write(logs, via=pipe)
                links, reasons = [], []

        updates = [r for r in plan.rows if r.action == UPDATE]
        undo_state: dict[str, Any] = {}
        touched: list[Any] = []
        written_fields: set[str] = {"version", "updated_at"}
        stage_logs = []
        relinked: list[int] = []
        rehesitated: list[int] = []
        for row in updates:
            project = plan_project = self._planner_project(row)
            old_investors = self._old_investors(row)
            before = _jsonable_snapshot(project, self.snap_fields, old_investors)
            old_reasons = sorted(self.plan.planner.hesitations.get(project.pk, []))
            if row.hesitations is not None:
                before["hesitations"] = old_reasons
                rehesitated.append(project.pk)
                reasons.extend({"project_id": project.pk, "reason": code} for code in row.hesitations)
            for change in row.changes:
                if change.field in {"investors", "stage", "hesitations"}:
                    continue
                setattr(project, _attname(change.field), row.values[change.field])
                written_fields.add(change.field)
            if row.stage:
                from_stage = project.stage
                project.stage = row.stage
                project.stage_entered_on = (
                    getattr(project, rules.stages[row.stage].date_field or "", None) or today
                )
                written_fields.update({"stage", "stage_entered_on"})
                stage_logs.append(
                    StageLog(
                        project_id=project.pk,
                        from_stage=from_stage,
                        to_stage=row.stage,
                        direction="skip"
                        if rules.index(row.stage) > rules.index(from_stage) + 1
                        else "forward",
                        occurred_on=project.stage_entered_on,
                        recorded_by=self.user,
                        recorded_by_label=self.actor.display,
                        source="import",
                        evidence=self.note(row),
                    )
                )
                had = project.first_signed_date
                record_counting_facts(project)
                if project.first_signed_date != had:
                    written_fields.update({"first_signed_date", "counted_investment_wan"})
            new_investors = None
            if row.investors is not None:
                new_investors = ids(row.investors)
                relinked.append(project.pk)
                links.extend(
                    {"project_id": project.pk, "enterprise_id": e, "is_lead": i == 0}
                    for i, e in enumerate(new_investors)
                )
            project.version += 1
            project.updated_at = self.now
            touched.append(plan_project)
            after = _jsonable_snapshot(
                project, self.snap_fields, new_investors if new_investors is not None else old_investors
            )
            if row.hesitations is not None:
                after["hesitations"] = sorted(row.hesitations)
            undo_state[str(project.pk)] = {
                "before": {
                    k: v
                    for k, v in before.items()
                    if k not in {"investors", "hesitations", "version"} and v != after.get(k)
                },
                "investors": old_investors if new_investors is not None else None,
                "version": project.version,
            }
            if row.hesitations is not None:
                undo_state[str(project.pk)]["hesitations"] = old_reasons
            self.log(self.ct_project, project.pk, project.name, "update", before, after, self.note(row))
        if touched:
            Project.objects.bulk_update(touched, sorted(written_fields), batch_size=500)
        for start in range(0, len(relinked), 500):
            ProjectInvestor.objects.filter(project_id__in=relinked[start : start + 500]).delete()
        insert(ProjectInvestor, links, with_ids=False)
        for start in range(0, len(rehesitated), 500):
            ProjectHesitation.objects.filter(project_id__in=rehesitated[start : start + 500]).delete()
        insert(ProjectHesitation, reasons, with_ids=False)
        StageLog.objects.bulk_create(stage_logs, batch_size=BATCH_SIZE)
        self._check_reach(created_ids, [r.project_id for r in updates])
        self.flush()
        self.written = created_ids + [r.project_id for r in updates]
        batch = self.batch
        batch.created_ids = created_ids
        batch.updated_ids = [r.project_id for r in updates]
        batch.created_enterprise_ids = sorted(made.values())
        batch.undo_state = undo_state
        batch.created_count, batch.updated_count = len(created_ids), len(updates)

    def _planner_project(self, row: PlannedRow) -> Any:
        # The planner's own object: the diff was computed on it, the write continues on it.
        return self.plan.planner.existing[row.project_id]

    def _old_investors(self, row: PlannedRow) -> list[int]:
        return self.plan.planner.investors.get(row.project_id, [])

    def _check_reach(self, created: list[int], updated: list[int]) -> None:
        """As the services do: every project written must lie within the user's reach, after the write too."""
        from zonedesk.projects.models import Project

        for action, ids in (("add", created), ("change", updated)):
            # The ids as runs of consecutive numbers (a bulk insert's are one run): a few ranges to
            # count over instead of 100 000 parameters, covering exactly the same rows.
            runs = _runs(sorted(set(ids)))
            for start in range(0, len(runs), 200):
                chunk = runs[start : start + 200]
                where = Q()
                for low, high in chunk:
                    where |= Q(pk__gte=low, pk__lte=high) if high > low else Q(pk=low)
                expected = sum(high - low + 1 for low, high in chunk)
                if restrict(self.user, action, Project).filter(where).count() != expected:
                    raise NotPermitted(
                        "您无权在该范围内新建或修改其中的项目（请检查责任单位/推荐单位是否在您的范围内）"
                    )


def _runs(ids: list[int]) -> list[tuple[int, int]]:
    """Sorted distinct ids → (first, last) of each run of consecutive ids."""
    runs: list[tuple[int, int]] = []
    for pk in ids:
        if runs and runs[-1][1] == pk - 1:
            runs[-1] = (runs[-1][0], pk)
        else:
            runs.append((pk, pk))
    return runs


def _dumps(value: Any) -> str:
    # orjson is ~8× faster than json for the history of 100 000 rows; the text is the same JSON.
    if _orjson is not None:
        return _orjson.dumps(value).decode()
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _dumps_sorted(value: dict[str, Any]) -> str:
    """``_dumps`` with the keys in sorted order, as ``core.audit.diff`` lists them."""
    if _orjson is not None:
        return _orjson.dumps(value, option=_orjson.OPT_SORT_KEYS).decode()
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _jsonable(value: Any) -> Any:
    """``core.audit.to_jsonable`` for one field value; Decimals and dates without its type chain."""
    cls = value.__class__
    if cls is Decimal:
        text = str(value)
        if text.isdigit() and len(text) <= 28:
            return (
                text  # a whole number without exponent, within the context's precision: as normalize+format
            )
        whole, dot, frac = text.partition(".")
        if dot and whole.isdigit() and frac.isdigit() and frac[-1] != "0":
            return text  # not whole: to_jsonable gives str(value), and these digits are exactly that
        return format(value.normalize(), "f") if value == value.to_integral() else text
    if cls is dt.date:
        return value.isoformat()
    return to_jsonable(value)


def _create_changes(after: dict[str, Any]) -> dict[str, list[Any]]:
    """``core.audit.diff(None, after)`` for a new object, without its general bookkeeping."""
    return {k: [None, after[k]] for k in sorted(after) if after[k] is not None}


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

    The search documents of the projects written are derived data: they are rebuilt after the
    transaction, unless ``reindex`` is False (then the caller runs ``projects.search.reindex`` on
    ``batch.created_ids + batch.updated_ids``).
    """
    with gc_paused(), transaction.atomic(), acting_as(user, source="import", label=source) as actor:
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
    from django.contrib.contenttypes.models import ContentType

    from zonedesk.core.models import ObjectChange
    from zonedesk.enterprises.models import Enterprise
    from zonedesk.projects.models import Project, ProjectInvestor

    with transaction.atomic(), acting_as(user, source=source) as actor:
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not may_import(user, batch.zone):
            raise NotPermitted("您无权撤销该开发区的导入")
        reasons = undo_blockers(batch)
        if reasons:
            shown = "；".join(reasons[:5]) + (f"；等共 {len(reasons)} 处" if len(reasons) > 5 else "")
            raise ImportRefused(f"不能撤销批次 #{batch.pk}：{shown}。请在项目页面逐一处理。")
        snap_fields = _snapshot_fields()
        ct = ContentType.objects.get_for_model(Project)
        note = f"撤销台账导入（批次 #{batch.pk}，{batch.file_name}）"
        changes = []

        def log(
            obj_ct: Any, pk: int, label: str, action: str, before: dict | None, after: dict | None
        ) -> None:
            from zonedesk.core.audit import diff

            changes.append(
                ObjectChange(
                    content_type=obj_ct,
                    object_id=pk,
                    object_repr=label[:200],
                    action=action,
                    user=actor.user,
                    actor_label=actor.display,
                    source=actor.source,
                    request_id=actor.request_id,
                    before=before,
                    after=after,
                    changes=diff(before, after),
                    note=note,
                )
            )

        ids = list(batch.created_ids)
        links: dict[int, list[int]] = {}
        for start in range(0, len(ids), 5000):
            for project_id, enterprise_id in ProjectInvestor.objects.filter(
                project_id__in=ids[start : start + 5000]
            ).values_list("project_id", "enterprise_id"):
                links.setdefault(project_id, []).append(enterprise_id)
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            for project in Project.objects.filter(pk__in=chunk):
                log(
                    ct,
                    project.pk,
                    project.name,
                    "delete",
                    _jsonable_snapshot(project, snap_fields, links.get(project.pk, [])),
                    None,
                )
            Project.objects.filter(pk__in=chunk).delete()
        restored = []
        now = timezone.now()
        written: set[str] = {"version", "updated_at"}
        for pk, state in batch.undo_state.items():
            project = Project.objects.get(pk=int(pk))
            old_links = list(
                ProjectInvestor.objects.filter(project=project)
                .order_by("-is_lead", "id")
                .values_list("enterprise_id", flat=True)
            )
            before = _jsonable_snapshot(project, snap_fields, old_links)
            for name, value in state["before"].items():
                f = project._meta.get_field(name)
                setattr(project, f.attname, f.to_python(value) if value is not None else None)
                written.add(name)
            if state.get("hesitations") is not None:
                from zonedesk.projects.models import ProjectHesitation

                ProjectHesitation.objects.filter(project=project).delete()
                ProjectHesitation.objects.bulk_create(
                    [ProjectHesitation(project=project, reason=code) for code in state["hesitations"]]
                )
            if state.get("investors") is not None:
                ProjectInvestor.objects.filter(project=project).delete()
                ProjectInvestor.objects.bulk_create(
                    [
                        ProjectInvestor(project=project, enterprise_id=e, is_lead=(i == 0))
                        for i, e in enumerate(state["investors"])
                    ]
                )
            project.version += 1
            project.updated_at = now
            restored.append(project)
            log(
                ct,
                project.pk,
                project.name,
                "update",
                before,
                _jsonable_snapshot(
                    project,
                    snap_fields,
                    state["investors"] if state.get("investors") is not None else old_links,
                ),
            )
        if restored:
            Project.objects.bulk_update(restored, sorted(written), batch_size=500)
        ect = ContentType.objects.get_for_model(Enterprise)
        for enterprise in Enterprise.objects.filter(pk__in=batch.created_enterprise_ids):
            if not enterprise.project_links.exists():
                log(
                    ect,
                    enterprise.pk,
                    enterprise.name,
                    "delete",
                    {"name": enterprise.name, "uscc": enterprise.uscc},
                    None,
                )
                Enterprise.objects.filter(pk=enterprise.pk).delete()
        ObjectChange.objects.bulk_create(changes, batch_size=BATCH_SIZE)
        _reindex([p.pk for p in restored])
        batch.status = ImportBatch.UNDONE
        batch.undone_at = now
        batch.undone_by = user
        batch.save()
    fields = {"batch": batch.pk, "zone": batch.zone_id, "user": user.get_username(), "source": source}
    fields |= {"projects_deleted": len(batch.created_ids), "projects_restored": len(batch.undo_state)}
    import_log.info("import.undone", extra=fields | {"request_id": actor.request_id})
    return batch
