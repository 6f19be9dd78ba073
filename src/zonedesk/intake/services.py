"""Writes: store a text with what was extracted from it; confirm or discard each candidate.

A confirmed candidate becomes a ledger change through ``zonedesk.projects.services`` (so the
gate, the stage rules and the history apply), plus an ``Evidence`` row pointing at the
sentence it came from. Call these inside ``acting_as(user, source=...)``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zonedesk.access.scoping import can, restrict
from zonedesk.core.audit import log_change, require_actor, snapshot, to_jsonable
from zonedesk.core.errors import NotPermitted, ValidationFailed, full_clean_or_fail
from zonedesk.enterprises.models import Enterprise
from zonedesk.enterprises.services import normalize_enterprise_name
from zonedesk.extract import extract
from zonedesk.geo.models import Zone
from zonedesk.projects import services as project_services
from zonedesk.projects.choices import Stage
from zonedesk.projects.models import Project, ProjectInvestor

from .models import Evidence, SourceDocument
from .readers import check_text

# What a reviewer may correct before confirming.
CORRECTABLE = ("name", "enterprise", "investment_wan", "currency", "land_mu", "floor_area_m2")
# … and the ledger field the areas land in.
AMOUNT_FIELDS = {"land_mu": "land_area_mu", "floor_area_m2": "floor_area_m2"}
_DOC_AUDIT_FIELDS = ["title", "kind", "filename", "sha256", "zone", "published", "decisions"]


def may_intake(user: Any) -> bool:
    return can(user, "add", Project) or can(user, "change", Project)


@transaction.atomic
def document_create(
    *,
    user: Any,
    zone: Any,
    text: str,
    title: str = "",
    kind: str = "paste",
    filename: str = "",
    published: dt.date | None = None,
) -> SourceDocument:
    """Store the text and run the extractor on it. The zone is where candidates will be matched."""
    require_actor()
    if not may_intake(user):
        raise NotPermitted(_("您没有新建或修改项目的权限，不能从文本提取项目"))
    zone_id = getattr(zone, "pk", zone)
    zone_obj = restrict(user, "view", Zone).filter(pk=zone_id).first() if zone_id not in (None, "") else None
    if zone_obj is None:
        raise ValidationFailed(
            _("请选择开发区"),
            fields={"zone": [_("开发区不存在或无权访问") if zone_id else _("请选择开发区")]},
        )
    text = check_text(text, "file" if kind != "paste" else "text")
    title = (title or "").strip() or (filename or "").strip() or _first_line(text)
    result = extract(text, published=published)
    document = SourceDocument(
        title=title[:200],
        kind=kind,
        filename=(filename or "")[:255],
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        zone=zone_obj,
        published=published,
        extraction=result.to_json_dict(title[:200]),
        decisions={},
    )
    full_clean_or_fail(document, exclude=("created_by", "extraction", "decisions"))
    document.save()
    log_change(document, "create", None, snapshot(document, _DOC_AUDIT_FIELDS))
    return document


def _first_line(text: str) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line[:60] or "粘贴的文本"


def candidate(document: SourceDocument, index: int) -> dict[str, Any]:
    projects = document.extraction.get("projects", [])
    if not isinstance(index, int) or not 0 <= index < len(projects):
        raise ValidationFailed(
            _("候选项目不存在"), fields={"index": [_("没有第 %(index)s 个候选项目") % {"index": index}]}
        )
    return projects[index]


def _decimal(name: str, label: str, value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(
            _("%(field)s应为数字") % {"field": label},
            fields={name: [_("%(field)s应为数字：%(value)s") % {"field": label, "value": value}]},
        ) from None
    if not number.is_finite() or number < 0:
        raise ValidationFailed(
            _("%(field)s不能为负数") % {"field": label},
            fields={name: [_("%(field)s不能为负数：%(value)s") % {"field": label, "value": value}]},
        )
    return number


def _investor_id(user: Any, enterprise_name: str | None) -> int | None:
    """An enterprise already in the ledger with this name (normalised), visible to the user."""
    if not enterprise_name:
        return None
    key = normalize_enterprise_name(enterprise_name)
    found = restrict(user, "view", Enterprise).filter(normalized_name=key).order_by("pk").first()
    return found.pk if found else None


def confirmed_values(user: Any, cand: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The reviewer's values (falling back to the extracted ones) as ledger fields."""

    def pick(key: str) -> Any:
        return values[key] if key in values else cand.get(key)

    name = (pick("name") or "").strip()
    if not name:
        raise ValidationFailed(_("项目名称不能为空"), fields={"name": [_("项目名称不能为空")]})
    data: dict[str, Any] = {"name": name}
    # the reviewer may convert a foreign amount and say so ("currency": "CNY")
    currency = (values.get("currency") or cand.get("currency") or "CNY").upper()
    investment = _decimal("investment_wan", _("投资额"), pick("investment_wan"))
    if investment is not None:
        if currency == "CNY":
            data["total_investment_wan"] = investment
        elif currency == "USD":
            data["foreign_investment_usd_wan"] = investment
        else:
            raise ValidationFailed(
                _("投资额币种为 %(currency)s，台账只记人民币和美元，请换算后填写或清空投资额")
                % {"currency": currency},
                fields={
                    "investment_wan": [
                        _("币种 %(currency)s 不能直接写入台账，请换算为人民币后填写并选人民币")
                        % {"currency": currency}
                    ]
                },
            )
    for key, ledger_field in AMOUNT_FIELDS.items():
        number = _decimal(key, {"land_mu": _("用地面积"), "floor_area_m2": _("建筑面积")}[key], pick(key))
        if number is not None:
            data[ledger_field] = number
    investor = _investor_id(user, (pick("enterprise") or "").strip() or None)
    if investor is not None:
        data["investors"] = [investor]
    return data


@transaction.atomic
def candidate_confirm(
    *,
    user: Any,
    document: SourceDocument,
    index: int,
    action: str,
    project_id: Any = None,
    values: dict[str, Any] | None = None,
    stage: str | None = None,
    rename: bool = False,
) -> Evidence:
    """Create a project from candidate ``index``, or update the chosen existing one, and keep
    the sentence as evidence. ``values`` are the reviewer's corrections."""
    require_actor()
    cand = candidate(document, index)
    decided = document.decisions.get(str(index), {})
    if decided.get("action") in ("created", "updated", "linked"):
        raise ValidationFailed(
            _("该候选项目已处理"), fields={"index": [_("该候选项目已确认过，不能重复写入")]}
        )
    data = confirmed_values(user, cand, values or {})
    if action == "create":
        data["zone"] = document.zone_id
        project = project_services.project_create(user=user, data=data, stage=stage or Stage.RESERVE)
        written, outcome = data, "created"
    elif action == "update":
        project = (
            restrict(user, "change", Project).filter(pk=_int(project_id), zone_id=document.zone_id).first()
            if _int(project_id) is not None
            else None
        )
        if project is None:
            raise ValidationFailed(
                _("所选项目不存在、不在本开发区或无权修改"),
                fields={"project": [_("请选择本开发区内您可修改的项目")]},
            )
        written = _changes(project, data, rename)
        before_version = project.version
        if written:
            project = project_services.project_update(
                user=user, project=project, data=written, expected_version=None
            )
        outcome = "updated" if project.version != before_version else "linked"
    else:
        raise ValidationFailed(
            _("请选择新建项目或更新已有项目"), fields={"action": [_("应为 create 或 update")]}
        )
    evidence = Evidence(
        document=document,
        project=project,
        candidate_index=index,
        sentence=cand.get("sentence", ""),
        start=int(cand.get("start", 0)),
        end=int(cand.get("end", 0)),
        action=outcome,
        extracted=cand,
        written=to_jsonable(written),
    )
    evidence.save()
    audit = ["document", "project", "start", "end", "action"]
    log_change(evidence, "create", None, snapshot(evidence, audit))
    _decide(document, index, {"action": outcome, "project": project.pk})
    return evidence


def _changes(project: Project, data: dict[str, Any], rename: bool) -> dict[str, Any]:
    """Only what differs; the name changes only when asked, investors are added, not replaced."""
    out: dict[str, Any] = {}
    for name, value in data.items():
        if name == "name":
            if rename and value != project.name:
                out[name] = value
        elif name == "investors":
            have = list(
                ProjectInvestor.objects.filter(project=project)
                .order_by("-is_lead", "pk")
                .values_list("enterprise_id", flat=True)
            )
            if value[0] not in have:
                out[name] = have + value
        elif getattr(project, name) != value:
            out[name] = value
    return out


@transaction.atomic
def candidate_discard(*, user: Any, document: SourceDocument, index: int) -> None:
    require_actor()
    if not may_intake(user):
        raise NotPermitted(_("您没有新建或修改项目的权限"))
    candidate(document, index)
    if document.decisions.get(str(index), {}).get("action") in ("created", "updated", "linked"):
        raise ValidationFailed(_("该候选项目已写入台账，不能舍弃"), fields={"index": [_("已写入台账")]})
    _decide(document, index, {"action": "discarded"})


def _decide(document: SourceDocument, index: int, decision: dict[str, Any]) -> None:
    locked = SourceDocument.objects.select_for_update().get(pk=document.pk)
    before = snapshot(locked, ["decisions"])
    locked.decisions = {**locked.decisions, str(index): decision}
    locked.save(update_fields=["decisions", "updated_at"])
    document.decisions = locked.decisions
    log_change(locked, "update", before, snapshot(locked, ["decisions"]))


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
