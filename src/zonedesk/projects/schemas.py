"""The project API's input and output schemas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ninja import Field, Schema
from pydantic import create_model

from zonedesk.core.api import FiniteDecimal, PositiveId, SaneDate, Strict

MAX_INT32 = 2**31 - 1

Money = Decimal | None


def _project_field_type(spec: Any, *, output: bool) -> tuple[Any, Any]:
    """(annotation, default or Field) of one declared project field, from its model field."""
    from django.db import models

    if spec.name == "investors":
        return (list[int], ...) if output else (list[PositiveId] | None, None)
    field = spec.model_field
    if isinstance(field, models.DecimalField):
        return (Money, ...) if output else (FiniteDecimal | None, Field(None, ge=0))
    if isinstance(field, models.DateTimeField):
        return (dt.datetime | None, ...) if output else (dt.datetime | None, None)
    if isinstance(field, models.DateField):
        return (dt.date | None, ...) if output else (SaneDate | None, None)
    if isinstance(field, models.ForeignKey):
        if output:
            return (int, ...) if not field.null else (int | None, ...)
        return PositiveId | None, None
    if isinstance(field, (models.PositiveIntegerField, models.AutoField, models.BigAutoField)):
        if output:
            return (int, ...) if not field.null else (int | None, ...)
        return int | None, Field(None, ge=0, le=MAX_INT32)  # PositiveIntegerField: 32 bits on PostgreSQL
    if output:
        return str, ...
    if spec.name == "name":
        return str | None, Field(None, min_length=1, max_length=200)
    return str | None, None


def _project_input_fields() -> dict[str, Any]:
    from zonedesk.projects import fields as declared

    return {n: _project_field_type(declared.BY_NAME[n], output=False) for n in declared.editable_names()}


def _project_output_fields() -> dict[str, Any]:
    from zonedesk.projects import fields as declared

    out: dict[str, Any] = {}
    for spec in declared.FIELDS:
        if spec.in_api:
            name = f"{spec.name}_id" if spec.reference and spec.name != "investors" else spec.name
            out[name] = _project_field_type(spec, output=True)
    return out


# Every field a client may set on a project (all optional in a patch), from the one declaration
# of project fields (projects/fields.py).
if TYPE_CHECKING:  # the checker sees plain classes; at run time they are built from the declarations

    class ProjectFields(Strict):
        """Every field a client may set on a project; all optional in a patch."""

else:
    ProjectFields = create_model(
        "ProjectFields",
        __base__=Strict,
        __doc__="Every field a client may set on a project; all optional in a patch.",
        **_project_input_fields(),
    )


class ProjectCreate(ProjectFields):
    name: str = Field(..., min_length=1, max_length=200)
    zone: PositiveId


class ProjectPatch(ProjectFields):
    version: int = Field(..., description="客户端读取到的版本号；版本过期时返回 409，不做任何修改")


class AdvanceIn(Strict):
    to_stage: str
    occurred_on: SaneDate
    evidence: str = ""
    version: int = Field(..., description="客户端读取到的版本号；版本过期时返回 409，不做任何修改")
    fields: ProjectFields | None = Field(None, description="同时补填的字段")


class HesitationOut(Schema):
    reason: str
    label: str = Field(..., alias="get_reason_display")
    note: str


if TYPE_CHECKING:

    class _ProjectOutFields(Schema):
        pass

else:
    _ProjectOutFields = create_model("_ProjectOutFields", __base__=Schema, **_project_output_fields())


class ProjectOut(_ProjectOutFields):
    """A project as the API shows it: every declared field (foreign keys as ids) and the labels."""

    zone_name: str = Field(..., alias="zone.name")
    stage_label: str = Field(..., alias="get_stage_display")
    status_label: str = Field(..., alias="get_status_display")

    @staticmethod
    def resolve_investors(obj: Any) -> list[int]:
        return [link.enterprise_id for link in obj.investor_links.all()]


class ProjectDetailOut(ProjectOut):
    hesitations: list[HesitationOut]

    @staticmethod
    def resolve_hesitations(obj: Any) -> list[Any]:
        return list(obj.hesitations.all())


class MissingOut(Schema):
    field: str
    label: str
    stage: str
    severity: str


class ChangeOut(Schema):
    id: int
    time: dt.datetime
    action: str
    actor: str = Field(..., alias="actor_label")
    source: str
    changes: dict[str, list[Any]]
    note: str


class StageLogOut(Schema):
    from_stage: str
    to_stage: str
    direction: str
    occurred_on: dt.date
    recorded_at: dt.datetime
    recorded_by: str = Field(..., alias="recorded_by_label")
    source: str
    evidence: str


class FollowUpIn(Strict):
    date: SaneDate
    kind: str
    summary: str = Field(..., min_length=1)
    next_step: str = ""
    next_date: SaneDate | None = None


class FollowUpOut(Schema):
    id: int
    date: dt.date
    kind: str
    officer_id: int | None
    summary: str
    next_step: str
    next_date: dt.date | None


class Page(Schema):
    count: int
    page: int
    page_size: int
    results: list[Any]
