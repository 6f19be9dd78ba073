"""How the project's fields are grouped on its page and in its edit form (the ledger's own grouping)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from zonedesk.core.templatetags.zonedesk import cndate, wan
from zonedesk.projects.models import Project

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        _("项目概况"),
        (
            "name",
            "national_code",
            "zone",
            "park",
            "project_type",
            "level",
            "industry",
            "chain_node",
            "construction_content",
        ),
    ),
    (
        _("投资与效益"),
        (
            "total_investment_wan",
            "fixed_asset_investment_wan",
            "foreign_investment_usd_wan",
            "increase_amount_wan",
            "expected_output_wan",
            "expected_tax_wan",
            "expected_jobs",
        ),
    ),
    (pgettext_lazy("field group", "签约"), ("agreement_type", "agreement_date", "agreement_amount_wan")),
    (_("用地与建设"), ("land_area_mu", "floor_area_m2", "leased_floor_area_m2", "construction_permit_no")),
    (
        _("进度节点"),
        (
            "negotiation_started_on",
            "landed_date",
            "land_supplied_date",
            "planned_start_date",
            "start_date",
            "production_date",
            "capacity_date",
            "progress_note",
        ),
    ),
    (_("责任体系"), ("referring_unit", "pursuing_unit", "responsible_officer", "leader_name")),
    (_("状态"), ("status", "status_reason", "status_date", "hesitation_note")),
)


@dataclass
class Shown:
    name: str
    label: str
    value: str
    empty: bool


def _format(project: Project, field: models.Field) -> tuple[str, bool]:
    value: Any = getattr(project, field.name)
    if value in (None, ""):
        return "—", True
    if field.choices:
        return getattr(project, f"get_{field.name}_display")(), False
    if isinstance(field, models.DateField):
        return cndate(value), False
    if isinstance(value, Decimal):
        return wan(value), False
    return str(value), False


def shown_groups(project: Project) -> list[tuple[str, list[Shown]]]:
    out = []
    for title, names in GROUPS:
        items = []
        for name in names:
            field = Project._meta.get_field(name)
            text, empty = _format(project, field)
            items.append(Shown(name, str(field.verbose_name), text, empty))
        out.append((str(title), items))
    return out


def form_groups(form) -> list[tuple[str, list[Any]]]:
    """The edit form's bound fields in the same groups; fields a group does not name go last."""
    placed: set[str] = set()
    out = []
    for title, names in GROUPS:
        fields = [form[name] for name in names if name in form.fields]
        placed.update(names)
        out.append((str(title), fields))
    rest = [form[name] for name in form.fields if name not in placed and name != "version"]
    if rest:
        out.append((gettext("其他"), rest))
    return out
