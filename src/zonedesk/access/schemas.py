"""The API's schemas for units and the current user."""

from __future__ import annotations

from ninja import Schema


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    parent_id: int | None
    zone_id: int | None
    region_id: str | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    unit_id: int | None
