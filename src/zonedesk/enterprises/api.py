"""Enterprises through the JSON API (/api/v1/enterprises/...). Reads through the gate, writes through the
enterprise services inside ``acting_as(source="api")``."""

from __future__ import annotations

from ninja import Query, Router, Status

from zonedesk.access.scoping import restrict
from zonedesk.core.api import ERRORS, CleanText, PageParams, PositiveId, acting, get_or_404, paginate

from . import services
from .models import Enterprise
from .schemas import EnterpriseIn, EnterpriseOut, EnterprisePatch

router = Router(tags=["企业"])


@router.get("", response={200: dict, **ERRORS}, summary="企业列表")
def list_enterprises(
    request,
    page: Query[PageParams],
    q: CleanText | None = None,
    zone: PositiveId | None = None,
    uscc: CleanText | None = None,
):
    qs = restrict(request.user, "view", Enterprise)
    if q:
        qs = qs.filter(name__icontains=q)
    if zone:
        qs = qs.filter(zone_id=zone)
    if uscc:
        qs = qs.filter(uscc=uscc.strip().upper())
    result = paginate(qs, page)
    result["results"] = [EnterpriseOut.from_orm(e).dict() for e in result["results"]]
    return result


@router.post("", response={201: EnterpriseOut, **ERRORS}, summary="新建企业")
def create_enterprise(request, payload: EnterpriseIn):
    with acting(request):
        return Status(201, services.enterprise_create(user=request.user, data=payload.dict()))


@router.get("/{enterprise_id}", response={200: EnterpriseOut, **ERRORS}, summary="企业详情")
def get_enterprise(request, enterprise_id: PositiveId):
    return get_or_404(restrict(request.user, "view", Enterprise), enterprise_id)


@router.patch("/{enterprise_id}", response={200: EnterpriseOut, **ERRORS}, summary="修改企业")
def update_enterprise(request, enterprise_id: PositiveId, payload: EnterprisePatch):
    enterprise = get_or_404(restrict(request.user, "view", Enterprise), enterprise_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    with acting(request):
        return services.enterprise_update(
            user=request.user, enterprise=enterprise, data=data, expected_version=version
        )


@router.delete("/{enterprise_id}", response={204: None, **ERRORS}, summary="删除企业")
def delete_enterprise(request, enterprise_id: PositiveId):
    enterprise = get_or_404(restrict(request.user, "view", Enterprise), enterprise_id)
    with acting(request):
        services.enterprise_delete(user=request.user, enterprise=enterprise)
    return Status(204, None)
