"""Every project field, declared once.

A field's label and type come from the model (its ``verbose_name`` and class); what the rest of the
code needs to know about it is said here, once: which group it sits in on the project page and in the
edit form, whether a person may set it directly, whether a ledger may import it and under which
column kind, and whether the history shows it. The services (what may be written), the API's input
schema, the edit form and the field groups are generated from this list; the importer's column
configuration (``ledgerio/columns.toml``), the export templates (``ledgerio/templates.toml``) and the
stage gates (``rules/stage_gates.toml``) are checked against it at start-up (``checks.py``), so a
field the gates require cannot be left out of the import or the export.

Adding a field: the model field, a line here, the rules file if a gate asks for it, a migration, a
translation of its label. ``zonedesk fields`` lists the declarations and what reads each one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The groups of the project page and the edit form, in order (the ledger's own grouping).
GROUPS: tuple[tuple[str, Any], ...] = (
    ("overview", _("项目概况")),
    ("investment", _("投资与效益")),
    ("agreement", pgettext_lazy("field group", "签约")),
    ("land", _("用地与建设")),
    ("milestones", _("进度节点")),
    ("responsibility", _("责任体系")),
    ("status", _("状态")),
)

# Import column kinds (ledgerio/validate.py reads each kind; references are read as names, "text").
IMPORT_KINDS = frozenset(
    {"text", "names", "money", "area", "date", "stage", "choice", "uscc", "integer", "reasons"}
)


@dataclass(frozen=True)
class FieldSpec:
    """What the code needs to know about one project field besides the model's own definition."""

    name: str
    group: str | None = None  # a key of GROUPS; None: not shown in the page's groups
    editable: bool = True  # a person (page, API, CLI, import) may set it directly
    imported: str | None = None  # the import column kind; None: no ledger column sets it
    history: bool = True  # False: bookkeeping the history leaves out (id, version, timestamps)
    reference: str | None = None  # "app.Model" a foreign key points to
    scoped: bool = False  # the reference must lie within the user's reach (else: reference data or people)
    in_api: bool = True  # the API's project object carries it (foreign keys as ``<name>_id``)

    @property
    def model_field(self) -> models.Field:
        from .models import Project

        return Project._meta.get_field(self.name)  # type: ignore[return-value]

    @property
    def label(self) -> str:
        if self.name == "investors":
            return str(_("投资方"))
        return str(self.model_field.verbose_name)


def _f(name: str, group: str | None, imported: str | None = None, **kw: Any) -> FieldSpec:
    return FieldSpec(name=name, group=group, imported=imported, **kw)


FIELDS: tuple[FieldSpec, ...] = (
    # --- identity
    _f("name", "overview", "text"),
    _f("national_code", "overview", "text"),
    _f("zone", "overview", reference="geo.Zone", scoped=True),  # an import is always into one zone
    _f("park", "overview", "text", reference="geo.Park", scoped=True),
    _f("investors", None, "names", reference="enterprises.Enterprise", scoped=True),
    _f("project_type", "overview", "choice"),
    _f("level", "overview", "choice"),
    _f("industry", "overview", "text", reference="enterprises.IndustryCode"),
    _f("chain_node", "overview", "text"),
    _f("construction_content", "overview", "text"),
    # --- figures
    _f("total_investment_wan", "investment", "money"),
    _f("fixed_asset_investment_wan", "investment", "money"),
    _f("foreign_investment_usd_wan", "investment", "money"),
    _f("increase_amount_wan", "investment", "money"),
    _f("expected_output_wan", "investment", "money"),
    _f("expected_tax_wan", "investment", "money"),
    _f("expected_jobs", "investment", "integer"),
    # --- agreement
    _f("agreement_type", "agreement", "choice"),
    _f("agreement_date", "agreement", "date"),
    _f("agreement_amount_wan", "agreement", "money"),
    # --- land and building
    _f("land_area_mu", "land", "area"),
    _f("floor_area_m2", "land", "area"),
    _f("leased_floor_area_m2", "land", "area"),
    _f("construction_permit_no", "land", "text"),
    # --- milestones
    _f("negotiation_started_on", "milestones", "date"),
    _f("landed_date", "milestones", "date"),
    _f("land_supplied_date", "milestones", "date"),
    _f("planned_start_date", "milestones", "date"),
    _f("start_date", "milestones", "date"),
    _f("production_date", "milestones", "date"),
    _f("capacity_date", "milestones", "date"),
    _f("progress_note", "milestones", "text"),
    # --- who answers for it
    _f("referring_unit", "responsibility", "text", reference="access.OrgUnit", scoped=True),
    _f("pursuing_unit", "responsibility", "text", reference="access.OrgUnit", scoped=True),
    _f("responsible_officer", "responsibility", "text", reference="access.User"),
    _f("leader_name", "responsibility", "text"),
    # --- status beside the stage
    _f("status", "status", "choice"),
    _f("status_reason", "status", "text"),
    _f("status_date", "status", "date"),
    _f("hesitation_note", "status", "text"),
    # --- set only through services: the stage by advancing, the counting facts when they happen
    _f("stage", None, "stage", editable=False),
    _f("stage_entered_on", None, editable=False),
    _f("first_signed_date", None, editable=False),
    _f("counted_investment_wan", None, editable=False),
    _f("last_follow_up_on", None, editable=False),
    # --- bookkeeping
    _f("id", None, editable=False, history=False),
    _f("version", None, editable=False, history=False),
    _f("created_by", None, editable=False, history=False, reference="access.User", in_api=False),
    _f("created_at", None, editable=False, history=False, in_api=False),
    _f("updated_at", None, editable=False, history=False, in_api=False),
)

BY_NAME: dict[str, FieldSpec] = {f.name: f for f in FIELDS}


@cache
def editable_names() -> tuple[str, ...]:
    """Fields a person may set directly (investors included), in declaration order."""
    return tuple(f.name for f in FIELDS if f.editable)


@cache
def references() -> dict[str, FieldSpec]:
    """Editable foreign keys (investors aside): name → spec."""
    return {f.name: f for f in FIELDS if f.editable and f.reference and f.name != "investors"}


@cache
def group_names() -> tuple[tuple[Any, tuple[str, ...]], ...]:
    """(title, field names) of each group, in order."""
    return tuple((title, tuple(f.name for f in FIELDS if f.group == key)) for key, title in GROUPS)


@cache
def imported_fields() -> dict[str, str]:
    """Project fields a ledger column may set: name → import kind."""
    return {f.name: f.imported for f in FIELDS if f.imported}


@cache
def hidden_from_history() -> frozenset[str]:
    return frozenset(f.name for f in FIELDS if not f.history)


def declaration_problems() -> list[str]:
    """Where the declarations and the model disagree (each line names the field); [] when they agree."""
    from .models import Project

    problems: list[str] = []
    declared = set(BY_NAME)
    model_fields = {
        f.name for f in Project._meta.get_fields() if getattr(f, "concrete", False) or f.many_to_many
    }
    model_fields -= {"search_doc"}
    for name in sorted(model_fields - declared):
        problems.append(f"项目字段 {name} 没有声明（projects/fields.py）")
    for name in sorted(declared - model_fields):
        problems.append(f"projects/fields.py 声明了不存在的项目字段 {name}")
    group_keys = {key for key, _title in GROUPS}
    for spec in FIELDS:
        if spec.name not in model_fields:
            continue
        field = Project._meta.get_field(spec.name)
        if spec.group is not None and spec.group not in group_keys:
            problems.append(f"字段 {spec.name} 的分组 {spec.group} 不存在")
        if spec.imported is not None and spec.imported not in IMPORT_KINDS:
            problems.append(f"字段 {spec.name} 的导入类型 {spec.imported} 无效")
        if spec.editable and not getattr(field, "editable", True):
            problems.append(f"字段 {spec.name} 在模型中不可编辑，却声明为可编辑")
        is_fk = field.many_to_one or field.many_to_many
        if bool(is_fk) != bool(spec.reference):
            problems.append(f"字段 {spec.name} 的 reference 与模型不符")
        elif is_fk and field.related_model is not None and field.related_model._meta.label != spec.reference:
            target = field.related_model._meta.label
            problems.append(f"字段 {spec.name} 指向 {target}，声明为 {spec.reference}")
    return problems
