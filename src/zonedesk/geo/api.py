"""Regions and zones through the JSON API (/api/v1/regions, /api/v1/zones). Zones through the gate."""

from __future__ import annotations

from ninja import Query, Router, Schema

from zonedesk.access.scoping import restrict
from zonedesk.core.api import ERRORS, CleanText, PageParams, PositiveId, get_or_404, paginate

from .models import Region, Zone
from .schemas import RegionOut, ZoneOut

router = Router(tags=["区划与开发区"])


class ZoneQuery(Schema):
    region: CleanText | None = None
    q: CleanText | None = None


@router.get("/regions", response=list[RegionOut], summary="行政区划（GB/T 2260）")
def list_regions(request, parent: CleanText | None = None, level: CleanText | None = None):
    qs = Region.objects.all()
    if parent:
        qs = qs.filter(parent_id=parent)
    if level:
        qs = qs.filter(level=level)
    return list(qs)


@router.get("/zones", response={200: dict, **ERRORS}, summary="开发区列表")
def list_zones(request, filters: Query[ZoneQuery], page: Query[PageParams]):
    qs = restrict(request.user, "view", Zone)
    if filters.region:
        qs = qs.filter(region__code__startswith=filters.region.rstrip("0") or filters.region)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    result = paginate(qs, page)
    result["results"] = [ZoneOut.from_orm(z).dict() for z in result["results"]]
    return result


@router.get("/zones/{zone_id}", response={200: ZoneOut, **ERRORS}, summary="开发区详情")
def get_zone(request, zone_id: PositiveId):
    return get_or_404(restrict(request.user, "view", Zone), zone_id)
