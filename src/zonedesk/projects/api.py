"""Projects through the JSON API (/api/v1/projects/...): the ledger, a project, its stages, follow-ups and
history. Views parse, pass the gate, call a service, render."""

from __future__ import annotations

from typing import TYPE_CHECKING, get_type_hints

from django.db.models import Prefetch, QuerySet
from ninja import Query, Router, Schema, Status
from pydantic import create_model

from zonedesk.core.api import ERRORS, CleanText, PageParams, PositiveId, acting, paginate

from . import selectors, services
from .models import ProjectInvestor
from .schemas import (
    AdvanceIn,
    ChangeOut,
    FollowUpIn,
    FollowUpOut,
    MissingOut,
    ProjectCreate,
    ProjectDetailOut,
    ProjectOut,
    ProjectPatch,
    StageLogOut,
)
from .selectors import ProjectFilters

router = Router(tags=["项目"])


# The query parameters are the ledger's filters, defined once in ProjectFilters.
if TYPE_CHECKING:  # at run time built from ProjectFilters

    class ProjectQuery(Schema):
        ordering: str

else:
    ProjectQuery = create_model(
        "ProjectQuery",
        __base__=Schema,
        ordering=(CleanText, "-updated_at"),
        **{name: (hint, None) for name, hint in get_type_hints(ProjectFilters, include_extras=True).items()},
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


@router.get("", response={200: dict, **ERRORS}, summary="项目列表（台账）")
def list_projects(request, filters: Query[ProjectQuery], page: Query[PageParams]):
    data = filters.dict()
    ordering = data.pop("ordering")
    if ordering.lstrip("-") not in ORDERABLE:
        ordering = "-updated_at"
    qs = _with_investors(selectors.project_list(request.user, ProjectFilters(**data), ordering=ordering))
    result = paginate(qs, page)
    result["results"] = [ProjectOut.from_orm(p).dict() for p in result["results"]]
    return result


@router.post("", response={201: ProjectDetailOut, **ERRORS}, summary="新建项目")
def create_project(request, payload: ProjectCreate):
    with acting(request):
        project = services.project_create(user=request.user, data=payload.dict(exclude_unset=True))
    return Status(201, selectors.project_get(request.user, project.pk))


@router.get("/{project_id}", response={200: ProjectDetailOut, **ERRORS}, summary="项目详情")
def get_project(request, project_id: PositiveId):
    return selectors.project_get(request.user, project_id)


@router.patch("/{project_id}", response={200: ProjectDetailOut, **ERRORS}, summary="修改项目（须带版本号）")
def update_project(request, project_id: PositiveId, payload: ProjectPatch):
    project = selectors.project_get(request.user, project_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    with acting(request):
        services.project_update(user=request.user, project=project, data=data, expected_version=version)
    return selectors.project_get(request.user, project_id)


@router.delete("/{project_id}", response={204: None, **ERRORS}, summary="删除项目")
def delete_project(request, project_id: PositiveId):
    project = selectors.project_get(request.user, project_id)
    with acting(request):
        services.project_delete(user=request.user, project=project)
    return Status(204, None)


@router.post(
    "/{project_id}/advance",
    response={200: ProjectDetailOut, **ERRORS},
    summary="推进阶段（阶段准入规则校验）",
)
def advance_project(request, project_id: PositiveId, payload: AdvanceIn):
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


@router.get("/{project_id}/missing", response={200: list[MissingOut], **ERRORS}, summary="进入某阶段还缺什么")
def project_missing(request, project_id: PositiveId, to_stage: CleanText):
    from zonedesk.projects.rules import get_rules

    project = selectors.project_get(request.user, project_id)
    if to_stage not in get_rules().order:
        from zonedesk.core.errors import ValidationFailed

        raise ValidationFailed("目标阶段无效", fields={"to_stage": [f"未知阶段：{to_stage}"]})
    return [m.as_dict() for m in services.advance_missing(project, to_stage)]


@router.get("/{project_id}/history", response={200: list[ChangeOut], **ERRORS}, summary="变更历史")
def project_history(request, project_id: PositiveId):
    project = selectors.project_get(request.user, project_id)
    return list(selectors.object_history(project)[:500])


@router.get("/{project_id}/stages", response={200: list[StageLogOut], **ERRORS}, summary="阶段记录")
def project_stage_log(request, project_id: PositiveId):
    project = selectors.project_get(request.user, project_id)
    return list(project.stage_logs.all())


@router.get("/{project_id}/follow-ups", response={200: list[FollowUpOut], **ERRORS}, summary="跟进记录")
def list_follow_ups(request, project_id: PositiveId):
    return list(selectors.project_get(request.user, project_id).follow_ups.all())


@router.post("/{project_id}/follow-ups", response={201: FollowUpOut, **ERRORS}, summary="新增跟进记录")
def add_follow_up(request, project_id: PositiveId, payload: FollowUpIn):
    project = selectors.project_get(request.user, project_id)
    with acting(request):
        return Status(201, services.followup_add(user=request.user, project=project, data=payload.dict()))
