"""Many projects written at once — the Excel import's path — under the rules that apply to one.

The checks are the services' own: a row that creates a project passes the same stage gate
(``rules.missing_for``) as ``project_create``; a row that moves one passes ``services.check_move``
and the gate of the stage it enters, like ``project_advance``; counting facts come from
``services.record_counting_facts``; every project written must lie in the writer's reach, after the
write too (``check_reach``). What differs is only how rows reach the database: as lists in column
order, many per statement (``core.bulkwrite``), with their history rows built in the same pass and
in the shape ``core.audit.log_change`` writes (``core.audit.row_shape``).

The caller (ledgerio's importer) has checked every value against the model's limits and resolved
every reference through the scope gate; it hands over plain rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from zonedesk.access.scoping import restrict
from zonedesk.core import chain
from zonedesk.core.audit import ChangeBatch, dumps_sorted, to_jsonable
from zonedesk.core.bulkwrite import Pipeline, Table, indexes_built_after, insert
from zonedesk.core.errors import NotPermitted

from .models import Project, ProjectHesitation, ProjectInvestor, StageLog
from .rules import get_rules
from .services import move_note, record_counting_facts

WRITE_CHUNK = 2000  # new projects written (with their history and links) per round
BATCH_SIZE = 2000
_PLAIN_JSON = frozenset({str, int, bool, type(None)})


@dataclass(slots=True)
class NewProject:
    """A project to create: field name → value (foreign keys as ids; not the zone, the writer's own)."""

    values: dict[str, Any]
    stage: str | None
    investors: list[int]
    hesitations: list[str] | None
    note: str


@dataclass(slots=True)
class ProjectChange:
    """A stored project to change. ``project`` is the instance the caller compared the row with."""

    project: Any
    values: dict[str, Any]  # the fields that change, name → value
    stage: str | None  # the stage it moves to (forward), or None
    investors: list[int] | None  # the new investors, or None to keep them
    old_investors: list[int]
    hesitations: list[str] | None  # the new hesitation reasons, or None to keep them
    old_hesitations: list[str]
    note: str


def check_new(row: NewProject) -> None:
    """Refuse ``row`` as ``project_create`` would: the stage gate, the rules between fields."""
    from zonedesk.core.errors import ValidationFailed

    from .rules import missing_for, value_errors
    from .services import _refuse

    stage = row.stage or "reserve"
    values = {**row.values, "investors": row.investors}
    missing = [m for m in missing_for(values, stage) if m.severity == "error" and m.field != "zone"]
    if missing:
        raise _refuse(missing, stage)
    errors = value_errors(values)
    if errors:
        raise ValidationFailed(
            f"{row.note}：{'；'.join(m for ms in errors.values() for m in ms)}", fields=errors
        )


def snapshot_fields() -> list[tuple[str, str]]:
    """(name, attname) of the fields a project's history snapshot holds."""
    return [
        (f.name, f.attname)
        for f in Project._meta.concrete_fields
        if f.name not in {"created_at", "updated_at"}
    ]


def snapshot_json(obj: Any, names: list[tuple[str, str]], investors: list[int] | None) -> dict[str, Any]:
    """``core.audit.snapshot`` of a project, with the investors given instead of read."""
    data = {name: to_jsonable(getattr(obj, attname)) for name, attname in names}
    if investors is not None:
        data["investors"] = sorted(investors)
    return data


def jsonable(value: Any) -> Any:
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


def _facts_class(defaults: dict[str, Any]) -> type[dict[str, Any]]:
    """A new project's values (field name → value) that also read as attributes, falling back to
    the model's defaults, for the services' counting-facts rule; attributes set land in the dict."""

    class Facts(dict):
        __slots__ = ()

        def __getattr__(self, name: str) -> Any:
            return self[name] if name in self else defaults.get(name)

        __setattr__ = dict.__setitem__

    return Facts


def _new_project_defaults() -> dict[str, Any]:
    """name → JSON value of every field of a new project, from the model's defaults."""
    out: dict[str, Any] = {}
    for f in Project._meta.concrete_fields:
        value = f.get_default()
        out[f.name] = to_jsonable(str(value) if isinstance(value, str) else value)
    return out


def _runs(ids: list[int]) -> list[tuple[int, int]]:
    """Sorted distinct ids → (first, last) of each run of consecutive ids."""
    runs: list[tuple[int, int]] = []
    for pk in ids:
        if runs and runs[-1][1] == pk - 1:
            runs[-1] = (runs[-1][0], pk)
        else:
            runs.append((pk, pk))
    return runs


class BulkWriter:
    """Creates and changes projects of one zone for ``user``, inside the caller's transaction and actor."""

    def __init__(self, *, user: Any, zone_id: int, history: ChangeBatch) -> None:
        self.user = user
        self.zone_id = zone_id
        self.history = history
        self.now = timezone.now()
        self.snap_fields = snapshot_fields()
        self.attnames = dict(self.snap_fields)

    # ------------------------------------------------------------------ create
    def create(self, rows: Sequence[NewProject], *, checked: bool = False) -> list[int]:
        """Insert the new projects with their investor links, hesitation reasons and history; their ids.

        Each row is checked with the rules ``project_create`` applies (``check_new``) unless the caller
        says it has asked the same functions already (``checked``: the import's validator reports
        them per cell, before anything is written).
        """
        from zonedesk.core.models import ObjectChange

        if not checked:
            for row in rows:
                check_new(row)

        rules = get_rules()
        actor = self.history.actor
        today = timezone.localdate()
        defaults = _new_project_defaults()
        facts = _facts_class(defaults)
        created_ids: list[int] = []
        links: list[dict[str, Any]] = []
        reasons: list[dict[str, Any]] = []
        zone_id, user_id = self.zone_id, self.user.pk
        # A new project's history row is its values (core.audit.row_shape): every field that is not
        # empty, as [null, value], with who, when, and the batch and row in the note.
        base_changes = {
            name: (None, defaults[name]) for name, _att in self.snap_fields if defaults[name] is not None
        }
        base_changes["zone"], base_changes["created_by"] = (None, zone_id), (None, user_id)
        stages = {code: rule.date_field for code, rule in rules.stages.items()}
        projects = Table(Project, fixed={"zone_id": zone_id, "created_by_id": user_id})
        # field name → column position, for the fields a row can set (not the zone: the writer's own)
        position = {name: projects.index[att] for name, att in self.snap_fields if name not in {"zone", "id"}}
        shared = {
            "time": timezone.now(),
            "content_type_id": self.history.content_type_id(Project),
            "action": "create",
            **self.history.fixed(),
        }
        history = Table(ObjectChange, fixed={**shared, "hash_algorithm": chain.hash_algorithm()})
        at_object, at_repr, at_changes, at_note, at_prev, at_hash = (
            history.index[n] for n in ("object_id", "object_repr", "changes", "note", "prev_hash", "hash")
        )
        # The hash chain (core.chain), computed in the same pass: the row's canonical values are
        # these (in chain.OBJECTCHANGE_COLUMNS order), the shared ones written out once.
        algorithm, prev_hash = chain.hash_algorithm(), chain.chain_head(ObjectChange)
        head = [chain.time_text(shared["time"]), shared["content_type_id"]]
        who = ["create", *(shared[n] for n in ("user_id", "actor_label", "source", "request_id")), None, None]
        del actor
        iso: dict[dt.date, str] = {}  # dates repeat down a ledger: each is written out once
        new_ids = projects.allocate(len(rows))
        # A large load into a small table builds Project's indexes once at the end (see bulkwrite).
        # In chunks: the rows, their history and their links are built here while the writer
        # thread inserts the chunk before, and are dropped once written.
        with indexes_built_after(Project, len(rows)), Pipeline() as pipe:
            for start in range(0, len(rows), WRITE_CHUNK):
                chunk = rows[start : start + WRITE_CHUNK]
                chunk_ids = new_ids[start : start + WRITE_CHUNK]
                lines, logs = [], []
                for row, pk in zip(chunk, chunk_ids):
                    # field name → value (foreign keys as ids): the row's, then what the writer sets
                    values = facts(row.values)
                    values.pop("zone", None)
                    stage = values["stage"] = row.stage or "reserve"
                    rule_date = stages[stage]
                    values["stage_entered_on"] = (
                        values.get("stage_entered_on")
                        or (values.get(rule_date) if rule_date else None)
                        or today
                    )
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
                            shown = jsonable(value)
                        changes[name] = (None, shown)
                        line[at] = shown
                    lines.append(line)
                    investor_ids = row.investors
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
                    log[at_repr] = label = values["name"][:200]
                    log[at_changes] = text = dumps_sorted(changes)
                    log[at_note] = row.note
                    log[at_prev] = prev_hash
                    log[at_hash] = prev_hash = chain.row_hash(
                        algorithm, [*head, pk, label, *who, text, row.note], prev_hash
                    )
                    logs.append(log)
                projects.write(lines, chunk_ids, via=pipe)
                created_ids.extend(chunk_ids)
                insert(ProjectInvestor, links, with_ids=False, via=pipe)
                insert(ProjectHesitation, reasons, with_ids=False, via=pipe)
                history.write(logs, via=pipe)
                links, reasons = [], []
        return created_ids

    # ------------------------------------------------------------------ change
    def update(self, rows: Sequence[ProjectChange]) -> dict[str, Any]:
        """Write the changes (and forward moves) with their stage logs and history; the undo state."""
        rules = get_rules()
        actor = self.history.actor
        today = timezone.localdate()
        undo_state: dict[str, Any] = {}
        touched: list[Any] = []
        written_fields: set[str] = {"version", "updated_at"}
        stage_logs = []
        relinked: list[int] = []
        rehesitated: list[int] = []
        links: list[dict[str, Any]] = []
        reasons: list[dict[str, Any]] = []
        for row in rows:
            project = row.project
            before = snapshot_json(project, self.snap_fields, row.old_investors)
            if row.hesitations is not None:
                before["hesitations"] = row.old_hesitations
                rehesitated.append(project.pk)
                reasons.extend({"project_id": project.pk, "reason": code} for code in row.hesitations)
            for name, value in row.values.items():
                setattr(project, self.attnames[name], value)
                written_fields.add(name)
            move = None
            if row.stage:
                from_stage = project.stage
                project.stage = row.stage
                project.stage_entered_on = (
                    getattr(project, rules.stages[row.stage].date_field or "", None) or today
                )
                written_fields.update({"stage", "stage_entered_on"})
                direction = "skip" if rules.index(row.stage) > rules.index(from_stage) + 1 else "forward"
                move = StageLog(
                    project_id=project.pk,
                    from_stage=from_stage,
                    to_stage=row.stage,
                    direction=direction,
                    occurred_on=project.stage_entered_on,
                    recorded_by=self.user,
                    recorded_by_label=actor.display,
                    source=actor.source,
                    evidence=row.note,
                )
                stage_logs.append(move)
                had = project.first_signed_date
                record_counting_facts(project)
                if project.first_signed_date != had:
                    written_fields.update({"first_signed_date", "counted_investment_wan"})
            if row.investors is not None:
                relinked.append(project.pk)
                links.extend(
                    {"project_id": project.pk, "enterprise_id": e, "is_lead": i == 0}
                    for i, e in enumerate(row.investors)
                )
            project.version += 1
            project.updated_at = self.now
            touched.append(project)
            after = snapshot_json(
                project, self.snap_fields, row.investors if row.investors is not None else row.old_investors
            )
            if row.hesitations is not None:
                after["hesitations"] = sorted(row.hesitations)
            undo_state[str(project.pk)] = {
                "before": {
                    k: v
                    for k, v in before.items()
                    if k not in {"investors", "hesitations", "version"} and v != after.get(k)
                },
                "investors": row.old_investors if row.investors is not None else None,
                "version": project.version,
            }
            if row.hesitations is not None:
                undo_state[str(project.pk)]["hesitations"] = row.old_hesitations
            if move is not None:  # a move leaves the row an advance leaves, with the ledger row named
                note = f"{move_note(move.from_stage, move.to_stage, move.direction)}；{row.note}"
                self.history.add(Project, project.pk, project.name, "advance", before, after, note)
            else:
                self.history.add(Project, project.pk, project.name, "update", before, after, row.note)
        if touched:
            Project.objects.bulk_update(touched, sorted(written_fields), batch_size=500)
        for start in range(0, len(relinked), 500):
            ProjectInvestor.objects.filter(project_id__in=relinked[start : start + 500]).delete()
        insert(ProjectInvestor, links, with_ids=False)
        for start in range(0, len(rehesitated), 500):
            ProjectHesitation.objects.filter(project_id__in=rehesitated[start : start + 500]).delete()
        insert(ProjectHesitation, reasons, with_ids=False)
        StageLog.objects.bulk_create(stage_logs, batch_size=BATCH_SIZE)
        return undo_state

    # ------------------------------------------------------------------ reach
    def check_reach(self, created: list[int], updated: list[int]) -> None:
        """As the services do: every project written must lie within the user's reach, after the write too."""
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

    # ------------------------------------------------------------------ undo
    def delete(self, ids: list[int], note: str) -> None:
        """Delete projects (an import's own, being undone), each with its history row."""
        self._ensure(ids, "delete")
        links: dict[int, list[int]] = {}
        for start in range(0, len(ids), 5000):
            for project_id, enterprise_id in ProjectInvestor.objects.filter(
                project_id__in=ids[start : start + 5000]
            ).values_list("project_id", "enterprise_id"):
                links.setdefault(project_id, []).append(enterprise_id)
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            for project in Project.objects.filter(pk__in=chunk):
                before = snapshot_json(project, self.snap_fields, links.get(project.pk, []))
                self.history.add(Project, project.pk, project.name, "delete", before, None, note)
            Project.objects.filter(pk__in=chunk).delete()

    def restore(self, states: dict[str, Any], note: str) -> list[Any]:
        """Put back the values, investors and hesitation reasons an update changed (its undo state)."""
        self._ensure([int(pk) for pk in states], "change")
        restored = []
        written: set[str] = {"version", "updated_at"}
        for pk, state in states.items():
            project = Project.objects.get(pk=int(pk))
            old_links = list(
                ProjectInvestor.objects.filter(project=project)
                .order_by("-is_lead", "id")
                .values_list("enterprise_id", flat=True)
            )
            before = snapshot_json(project, self.snap_fields, old_links)
            for name, value in state["before"].items():
                f = Project._meta.get_field(name)
                assert isinstance(f, models.Field)  # a concrete field: the undo state holds only those
                setattr(project, f.attname, f.to_python(value) if value is not None else None)
                written.add(name)
            if state.get("hesitations") is not None:
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
            project.updated_at = self.now
            restored.append(project)
            investors = state["investors"] if state.get("investors") is not None else old_links
            after = snapshot_json(project, self.snap_fields, investors)
            self.history.add(Project, project.pk, project.name, "update", before, after, note)
        if restored:
            Project.objects.bulk_update(restored, sorted(written), batch_size=500)
        return restored

    def _ensure(self, ids: list[int], action: str) -> None:
        if not ids:
            return
        found = 0
        for start in range(0, len(ids), 5000):
            found += restrict(self.user, action, Project).filter(pk__in=ids[start : start + 5000]).count()
        if found != len(set(ids)):
            raise NotPermitted("您无权修改或删除其中的项目")
