"""The API's schemas for regions and zones."""

from __future__ import annotations

from ninja import Field, Schema


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_id: str | None


class ZoneOut(Schema):
    id: int
    name: str
    aliases: list[str]
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    level: str
    level_label: str = Field(..., alias="get_level_display")
    region_id: str
    committee_id: int | None
