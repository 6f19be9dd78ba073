"""Units and the current user through the JSON API (/api/v1/units, /api/v1/me). Units through the gate."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from zonedesk.core.api import ERRORS, PageParams, PositiveId, get_or_404, paginate

from .models import OrgUnit
from .schemas import MeOut, UnitOut
from .scoping import restrict

# Units were listed with the regions and zones ("reference data"); they keep that tag in the API docs.
router = Router(tags=["区划与开发区"])


@router.get("/units", response={200: dict, **ERRORS}, summary="组织单位列表")
def list_units(
    request: HttpRequest, page: Query[PageParams], zone: PositiveId | None = None
) -> dict[str, Any]:
    qs = restrict(request.user, "view", OrgUnit)
    if zone:
        qs = qs.filter(zone_id=zone)
    result = paginate(qs, page)
    result["results"] = [UnitOut.from_orm(u).dict() for u in result["results"]]
    return result


@router.get("/units/{unit_id}", response={200: UnitOut, **ERRORS}, summary="组织单位详情")
def get_unit(request: HttpRequest, unit_id: PositiveId) -> OrgUnit:
    return get_or_404(restrict(request.user, "view", OrgUnit), unit_id)


@router.get("/me", response={200: MeOut, **ERRORS}, summary="当前用户", tags=["用户"])
def me(request: HttpRequest) -> Any:
    return request.user
