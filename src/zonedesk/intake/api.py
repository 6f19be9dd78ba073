"""/api/v1/intake: paste or upload a text → extraction with candidate matches; confirm → ledger.

POST /api/v1/intake/documents                         multipart: zone, file | text, title?, published?
POST /api/v1/intake/documents/text                    JSON: {zone, text, title?, published?}
GET  /api/v1/intake/documents/{id}
POST /api/v1/intake/documents/{id}/candidates/{index}/confirm   JSON: ConfirmIn
POST /api/v1/intake/documents/{id}/candidates/{index}/discard
"""

from __future__ import annotations

from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from zonedesk.core.api import ERRORS, CleanText, Count, PositiveId, SaneDate
from zonedesk.core.audit import acting_as
from zonedesk.core.errors import ValidationFailed

from . import readers, selectors, services
from .models import DocumentKind
from .review import document_json
from .services import CORRECTABLE

router = Router(tags=["文本提取"])


class TextIn(Schema):
    zone: PositiveId
    text: str
    title: str = ""
    published: SaneDate | None = None


class ConfirmIn(Schema):
    action: Literal["create", "update"]
    project: PositiveId | None = None  # the existing project to update
    name: str | None = None
    enterprise: str | None = None
    investment_wan: str | None = None
    currency: str | None = None  # of investment_wan; CNY after converting a foreign amount
    land_mu: str | None = None
    floor_area_m2: str | None = None
    stage: str | None = None  # for create; defaults to 储备
    rename: bool = False


class ConfirmOut(Schema):
    project: int
    action: str
    evidence: int
    sentence: str
    start: int
    end: int


class DiscardOut(Schema):
    index: int
    action: str


def _create(request, **kwargs: Any) -> dict[str, Any]:
    with acting_as(request.user, source="api"):
        document = services.document_create(user=request.user, **kwargs)
    return document_json(request.user, document)


@router.post("/documents", response={201: dict, **ERRORS}, summary="上传文件或提交文本并提取")
def upload(
    request,
    zone: Form[PositiveId],
    title: CleanText = Form(""),  # noqa: B008  (ninja's way: Form[CleanText] loses the default)
    published: SaneDate | None = Form(None),  # noqa: B008
    text: CleanText = Form(""),  # noqa: B008
    file: File[UploadedFile] = None,
):
    if file is not None:
        data = file.read(readers.max_upload_bytes() + 1)
        kind, body = readers.read_upload(file.name, data, size=file.size)
        return Status(
            201,
            _create(
                request, zone=zone, text=body, title=title, kind=kind, filename=file.name, published=published
            ),
        )
    if not text.strip():
        raise ValidationFailed(_("请提交 text 或 file"), fields={"text": [_("请提交文本或上传文件")]})
    return Status(
        201, _create(request, zone=zone, text=text, title=title, kind=DocumentKind.PASTE, published=published)
    )


@router.post("/documents/text", response={201: dict, **ERRORS}, summary="提交文本（JSON）并提取")
def paste(request, payload: TextIn):
    return Status(
        201,
        _create(
            request,
            zone=payload.zone,
            text=payload.text,
            title=payload.title,
            kind=DocumentKind.PASTE,
            published=payload.published,
        ),
    )


@router.get("/documents/{document_id}", response={200: dict, **ERRORS}, summary="提取结果与候选匹配")
def get_document(request, document_id: PositiveId):
    return document_json(request.user, selectors.document_get(request.user, document_id))


@router.post(
    "/documents/{document_id}/candidates/{index}/confirm",
    response={200: ConfirmOut, **ERRORS},
    summary="确认候选项目：新建或更新已有项目，并保存依据原句",
)
def confirm(request, document_id: PositiveId, index: Count, payload: ConfirmIn):
    document = selectors.document_get(request.user, document_id)
    values = payload.dict(include=set(CORRECTABLE), exclude_none=True)
    with acting_as(request.user, source="api"):
        evidence = services.candidate_confirm(
            user=request.user,
            document=document,
            index=index,
            action=payload.action,
            project_id=payload.project,
            values=values,
            stage=payload.stage,
            rename=payload.rename,
        )
    return {
        "project": evidence.project_id,
        "action": evidence.action,
        "evidence": evidence.pk,
        "sentence": evidence.sentence,
        "start": evidence.start,
        "end": evidence.end,
    }


@router.post(
    "/documents/{document_id}/candidates/{index}/discard",
    response={200: DiscardOut, **ERRORS},
    summary="舍弃候选项目",
)
def discard(request, document_id: PositiveId, index: Count):
    document = selectors.document_get(request.user, document_id)
    with acting_as(request.user, source="api"):
        services.candidate_discard(user=request.user, document=document, index=index)
    return {"index": index, "action": "discarded"}
