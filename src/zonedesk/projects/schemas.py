"""The project API's input and output schemas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from zonedesk.core.api import Strict

Money = Decimal | None


class ProjectFields(Strict):
    """Every field a client may set on a project; all optional in a patch."""

    name: str | None = Field(None, min_length=1, max_length=200)
    national_code: str | None = None
    zone: int | None = None
    park: int | None = None
    investors: list[int] | None = None
    referring_unit: int | None = None
    pursuing_unit: int | None = None
    responsible_officer: int | None = None
    leader_name: str | None = None
    industry: int | None = None
    chain_node: str | None = None
    project_type: str | None = None
    level: str | None = None
    construction_content: str | None = None
    progress_note: str | None = None
    total_investment_wan: Money = Field(None, ge=0)
    fixed_asset_investment_wan: Money = Field(None, ge=0)
    foreign_investment_usd_wan: Money = Field(None, ge=0)
    increase_amount_wan: Money = Field(None, ge=0)
    land_area_mu: Money = Field(None, ge=0)
    floor_area_m2: Money = Field(None, ge=0)
    leased_floor_area_m2: Money = Field(None, ge=0)
    expected_output_wan: Money = Field(None, ge=0)
    expected_tax_wan: Money = Field(None, ge=0)
    expected_jobs: int | None = Field(None, ge=0)
    agreement_type: str | None = None
    agreement_date: dt.date | None = None
    agreement_amount_wan: Money = Field(None, ge=0)
    negotiation_started_on: dt.date | None = None
    landed_date: dt.date | None = None
    land_supplied_date: dt.date | None = None
    planned_start_date: dt.date | None = None
    start_date: dt.date | None = None
    production_date: dt.date | None = None
    capacity_date: dt.date | None = None
    construction_permit_no: str | None = None
    status: str | None = None
    status_reason: str | None = None
    status_date: dt.date | None = None
    hesitation_note: str | None = None


class ProjectCreate(ProjectFields):
    name: str = Field(..., min_length=1, max_length=200)
    zone: int


class ProjectPatch(ProjectFields):
    version: int = Field(..., description="客户端读取到的版本号；版本过期时返回 409，不做任何修改")


class AdvanceIn(Strict):
    to_stage: str
    occurred_on: dt.date
    evidence: str = ""
    version: int | None = None
    fields: ProjectFields | None = Field(None, description="同时补填的字段")


class HesitationOut(Schema):
    reason: str
    label: str = Field(..., alias="get_reason_display")
    note: str


class ProjectOut(Schema):
    id: int
    name: str
    national_code: str
    zone_id: int
    zone_name: str = Field(..., alias="zone.name")
    park_id: int | None
    investors: list[int]
    referring_unit_id: int | None
    pursuing_unit_id: int | None
    responsible_officer_id: int | None
    leader_name: str
    industry_id: int | None
    chain_node: str
    project_type: str
    level: str
    construction_content: str
    progress_note: str
    total_investment_wan: Money
    fixed_asset_investment_wan: Money
    foreign_investment_usd_wan: Money
    increase_amount_wan: Money
    land_area_mu: Money
    floor_area_m2: Money
    leased_floor_area_m2: Money
    expected_output_wan: Money
    expected_tax_wan: Money
    expected_jobs: int | None
    agreement_type: str
    agreement_date: dt.date | None
    agreement_amount_wan: Money
    stage: str
    stage_label: str = Field(..., alias="get_stage_display")
    stage_entered_on: dt.date | None
    negotiation_started_on: dt.date | None
    landed_date: dt.date | None
    land_supplied_date: dt.date | None
    planned_start_date: dt.date | None
    start_date: dt.date | None
    production_date: dt.date | None
    capacity_date: dt.date | None
    construction_permit_no: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    status_reason: str
    status_date: dt.date | None
    hesitation_note: str
    first_signed_date: dt.date | None
    counted_investment_wan: Money
    last_follow_up_on: dt.date | None
    version: int

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
    date: dt.date
    kind: str
    summary: str = Field(..., min_length=1)
    next_step: str = ""
    next_date: dt.date | None = None


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
