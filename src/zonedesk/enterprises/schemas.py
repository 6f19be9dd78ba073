"""The API's schemas for enterprises."""

from __future__ import annotations

from ninja import Field, Schema

from zonedesk.core.api import PositiveId, Strict


class EnterpriseOut(Schema):
    id: int
    name: str
    former_names: list[str]
    uscc: str | None
    uscc_warning: str
    region_id: str | None
    industry_id: int | None
    tags: list[str]
    in_zone: bool
    zone_id: int | None
    version: int


class EnterpriseIn(Strict):
    name: str = Field(..., min_length=1, max_length=200)
    former_names: list[str] = []
    uscc: str | None = None
    region: str | None = None
    industry: PositiveId | None = None
    tags: list[str] = []
    in_zone: bool = False
    zone: PositiveId | None = None


class EnterprisePatch(Strict):
    version: int
    name: str | None = Field(None, min_length=1, max_length=200)
    former_names: list[str] | None = None
    uscc: str | None = None
    region: str | None = None
    industry: PositiveId | None = None
    tags: list[str] | None = None
    in_zone: bool | None = None
    zone: PositiveId | None = None
