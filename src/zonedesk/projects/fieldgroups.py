"""How the project's fields are grouped on its page and in its edit form (the ledger's own grouping)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext

from zonedesk.core.templatetags.zonedesk import cndate, wan
from zonedesk.projects import fields
from zonedesk.projects.models import Project

# The groups and their fields come from the one declaration of project fields.
GROUPS = fields.group_names()


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
            assert isinstance(field, models.Field)  # the groups name concrete fields only
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
