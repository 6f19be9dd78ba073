"""The versioned JSON API: /api/v1/. Views parse, pass the gate, call a service, render."""

from __future__ import annotations

from typing import get_type_hints

from django.db.models import Prefetch, QuerySet
from ninja import NinjaAPI, Query, Router, Schema, Status
from pydantic import create_model

from zonedesk.access.models import OrgUnit
from zonedesk.access.scoping import restrict
from zonedesk.core.api import ERRORS, PageParams, acting, get_or_404, install_error_handlers, paginate
from zonedesk.core.contributions import api_routers
from zonedesk.enterprises import services as enterprise_services
from zonedesk.enterprises.models import Enterprise
from zonedesk.geo.models import Region, Zone
from zonedesk.projects import selectors, services
from zonedesk.projects.models import ProjectInvestor
from zonedesk.projects.selectors import ProjectFilters

from .auth import AUTH
from .schemas import (
    AdvanceIn,
    ChangeOut,
    EnterpriseIn,
    EnterpriseOut,
    EnterprisePatch,
    FollowUpIn,
    FollowUpOut,
    MissingOut,
    ProjectCreate,
    ProjectDetailOut,
    ProjectOut,
    ProjectPatch,
    RegionOut,
    StageLogOut,
    UnitOut,
    ZoneOut,
)

api = NinjaAPI(
    title="zonedesk API",
    version="1.0.0",
    description="开发区招商项目台账 API。金额单位万元（字符串形式的精确小数），面积单位亩/平方米。",
    auth=AUTH,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_error_handlers(api)


# --------------------------------------------------------------------------- reference data
ref = Router(tags=["区划与开发区"])


class ZoneQuery(Schema):
    region: str | None = None
    q: str | None = None


@ref.get("/regions", response=list[RegionOut], summary="行政区划（GB/T 2260）")
def list_regions(request, parent: str | None = None, level: str | None = None):
    qs = Region.objects.all()
    if parent:
        qs = qs.filter(parent_id=parent)
    if level:
        qs = qs.filter(level=level)
    return list(qs)


@ref.get("/zones", response={200: dict, **ERRORS}, summary="开发区列表")
def list_zones(request, filters: Query[ZoneQuery], page: Query[PageParams]):
    qs = restrict(request.user, "view", Zone)
    if filters.region:
        qs = qs.filter(region_id__startswith=filters.region.rstrip("0") or filters.region)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    result = paginate(qs, page)
    result["results"] = [ZoneOut.from_orm(z).dict() for z in result["results"]]
    return result


@ref.get("/zones/{zone_id}", response={200: ZoneOut, **ERRORS}, summary="开发区详情")
def get_zone(request, zone_id: int):
    return get_or_404(restrict(request.user, "view", Zone), zone_id)


@ref.get("/units", response={200: dict, **ERRORS}, summary="组织单位列表")
def list_units(request, page: Query[PageParams], zone: int | None = None):
    qs = restrict(request.user, "view", OrgUnit)
    if zone:
        qs = qs.filter(zone_id=zone)
    result = paginate(qs, page)
    result["results"] = [UnitOut.from_orm(u).dict() for u in result["results"]]
    return result


@ref.get("/units/{unit_id}", response={200: UnitOut, **ERRORS}, summary="组织单位详情")
def get_unit(request, unit_id: int):
    return get_or_404(restrict(request.user, "view", OrgUnit), unit_id)


# --------------------------------------------------------------------------- enterprises
ent = Router(tags=["企业"])


@ent.get("", response={200: dict, **ERRORS}, summary="企业列表")
def list_enterprises(
    request, page: Query[PageParams], q: str | None = None, zone: int | None = None, uscc: str | None = None
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


@ent.post("", response={201: EnterpriseOut, **ERRORS}, summary="新建企业")
def create_enterprise(request, payload: EnterpriseIn):
    with acting(request):
        return Status(201, enterprise_services.enterprise_create(user=request.user, data=payload.dict()))


@ent.get("/{enterprise_id}", response={200: EnterpriseOut, **ERRORS}, summary="企业详情")
def get_enterprise(request, enterprise_id: int):
    return get_or_404(restrict(request.user, "view", Enterprise), enterprise_id)


@ent.patch("/{enterprise_id}", response={200: EnterpriseOut, **ERRORS}, summary="修改企业")
def update_enterprise(request, enterprise_id: int, payload: EnterprisePatch):
    enterprise = get_or_404(restrict(request.user, "view", Enterprise), enterprise_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    with acting(request):
        return enterprise_services.enterprise_update(
            user=request.user, enterprise=enterprise, data=data, expected_version=version
        )


@ent.delete("/{enterprise_id}", response={204: None, **ERRORS}, summary="删除企业")
def delete_enterprise(request, enterprise_id: int):
    enterprise = get_or_404(restrict(request.user, "view", Enterprise), enterprise_id)
    with acting(request):
        enterprise_services.enterprise_delete(user=request.user, enterprise=enterprise)
    return Status(204, None)


# --------------------------------------------------------------------------- projects
proj = Router(tags=["项目"])


# The query parameters are the ledger's filters, defined once in ProjectFilters.
ProjectQuery = create_model(
    "ProjectQuery",
    __base__=Schema,
    ordering=(str, "-updated_at"),
    **{name: (hint, None) for name, hint in get_type_hints(ProjectFilters).items()},
)


ORDERABLE = {
    "name",
    "total_investment_wan",
    "stage",
    "status",
    "agreement_date",
    "updated_at",
    "first_signed_date",
    "id",
}


def _with_investors(qs: QuerySet) -> QuerySet:
    return qs.prefetch_related(
        Prefetch("investor_links", queryset=ProjectInvestor.objects.only("project_id", "enterprise_id"))
    )


@proj.get("", response={200: dict, **ERRORS}, summary="项目列表（台账）")
def list_projects(request, filters: Query[ProjectQuery], page: Query[PageParams]):
    data = filters.dict()
    ordering = data.pop("ordering")
    if ordering.lstrip("-") not in ORDERABLE:
        ordering = "-updated_at"
    qs = _with_investors(selectors.project_list(request.user, ProjectFilters(**data), ordering=ordering))
    result = paginate(qs, page)
    result["results"] = [ProjectOut.from_orm(p).dict() for p in result["results"]]
    return result


@proj.post("", response={201: ProjectDetailOut, **ERRORS}, summary="新建项目")
def create_project(request, payload: ProjectCreate):
    with acting(request):
        project = services.project_create(user=request.user, data=payload.dict(exclude_unset=True))
    return Status(201, selectors.project_get(request.user, project.pk))


@proj.get("/{project_id}", response={200: ProjectDetailOut, **ERRORS}, summary="项目详情")
def get_project(request, project_id: int):
    return selectors.project_get(request.user, project_id)


@proj.patch("/{project_id}", response={200: ProjectDetailOut, **ERRORS}, summary="修改项目（须带版本号）")
def update_project(request, project_id: int, payload: ProjectPatch):
    project = selectors.project_get(request.user, project_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    with acting(request):
        services.project_update(user=request.user, project=project, data=data, expected_version=version)
    return selectors.project_get(request.user, project_id)


@proj.delete("/{project_id}", response={204: None, **ERRORS}, summary="删除项目")
def delete_project(request, project_id: int):
    project = selectors.project_get(request.user, project_id)
    with acting(request):
        services.project_delete(user=request.user, project=project)
    return Status(204, None)


@proj.post(
    "/{project_id}/advance",
    response={200: ProjectDetailOut, **ERRORS},
    summary="推进阶段（阶段准入规则校验）",
)
def advance_project(request, project_id: int, payload: AdvanceIn):
    project = selectors.project_get(request.user, project_id)
    extra = payload.fields.dict(exclude_unset=True) if payload.fields else None
    with acting(request):
        services.project_advance(
            user=request.user,
            project=project,
            to_stage=payload.to_stage,
            occurred_on=payload.occurred_on,
            evidence=payload.evidence,
            data=extra,
            expected_version=payload.version,
        )
    return selectors.project_get(request.user, project_id)


@proj.get("/{project_id}/missing", response={200: list[MissingOut], **ERRORS}, summary="进入某阶段还缺什么")
def project_missing(request, project_id: int, to_stage: str):
    from zonedesk.projects.rules import get_rules

    project = selectors.project_get(request.user, project_id)
    if to_stage not in get_rules().order:
        from zonedesk.core.errors import ValidationFailed

        raise ValidationFailed("目标阶段无效", fields={"to_stage": [f"未知阶段：{to_stage}"]})
    return [m.as_dict() for m in services.advance_missing(project, to_stage)]


@proj.get("/{project_id}/history", response={200: list[ChangeOut], **ERRORS}, summary="变更历史")
def project_history(request, project_id: int):
    project = selectors.project_get(request.user, project_id)
    return list(selectors.object_history(project)[:500])


@proj.get("/{project_id}/stages", response={200: list[StageLogOut], **ERRORS}, summary="阶段记录")
def project_stage_log(request, project_id: int):
    project = selectors.project_get(request.user, project_id)
    return list(project.stage_logs.all())


@proj.get("/{project_id}/follow-ups", response={200: list[FollowUpOut], **ERRORS}, summary="跟进记录")
def list_follow_ups(request, project_id: int):
    return list(selectors.project_get(request.user, project_id).follow_ups.all())


@proj.post("/{project_id}/follow-ups", response={201: FollowUpOut, **ERRORS}, summary="新增跟进记录")
def add_follow_up(request, project_id: int, payload: FollowUpIn):
    project = selectors.project_get(request.user, project_id)
    with acting(request):
        return Status(201, services.followup_add(user=request.user, project=project, data=payload.dict()))


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    unit_id: int | None


@api.get("/me", response={200: MeOut, **ERRORS}, summary="当前用户", tags=["用户"])
def me(request):
    return request.user


api.add_router("/", ref)
api.add_router("/enterprises", ent)
api.add_router("/projects", proj)
# Every app's routers, at the prefixes their AppConfigs declare (``api_routers``).
for _prefix, _router in api_routers():
    api.add_router(_prefix, _router)
