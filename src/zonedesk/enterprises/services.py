"""Writes to enterprises: USCC checked, names normalised for matching, history kept."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zonedesk.access.scoping import restrict
from zonedesk.core.audit import log_change, require_actor, snapshot
from zonedesk.core.errors import StaleVersion, ValidationFailed, full_clean_or_fail
from zonedesk.core.permissions import ensure_may, ensure_may_act
from zonedesk.textnorm import normalize

from .choices import EnterpriseTag
from .models import Enterprise
from .uscc import check_uscc

EDITABLE_FIELDS = ("name", "former_names", "uscc", "region", "industry", "tags", "in_zone", "zone")
_LEGAL_FORMS = re.compile(
    r"(?:股份有限公司|有限责任公司|有限公司|集团公司|集团|公司)+$"
)  # all of them: 集团有限公司


def normalize_enterprise_name(name: str) -> str:
    """For matching only: width and script folded, no spaces or brackets, legal form dropped.

    "山西 华兴（集团）有限公司", "山西華興集團" and "山西华兴集团" compare equal.
    """
    # NFKC first: it turns compatibility ideographs into the ordinary (possibly traditional) ones
    # that textnorm's traditional → simplified table knows.
    text = normalize(unicodedata.normalize("NFKC", name))
    text = re.sub(r"[\s()（）\[\]【】·.,，]", "", text)
    return _LEGAL_FORMS.sub("", text)


def renormalize_names(enterprise_model: Any = Enterprise, *, batch_size: int = 1000) -> int:
    """Recompute every stored ``normalized_name`` with the current rule; returns how many changed.

    For data migrations (pass the historical model) after the rule changes. The key is derived
    from the name, so no history is written. Reads and writes ``batch_size`` rows at a time, by
    primary key, so no cursor is open on the table while it is updated.
    """
    changed = 0
    last_pk = None
    while True:
        rows = enterprise_model.objects.order_by("pk").only("pk", "name", "normalized_name")
        if last_pk is not None:
            rows = rows.filter(pk__gt=last_pk)
        batch = list(rows[:batch_size])
        if not batch:
            return changed
        last_pk = batch[-1].pk
        stale = []
        for enterprise in batch:
            key = normalize_enterprise_name(enterprise.name or "")
            if key != enterprise.normalized_name:
                enterprise.normalized_name = key
                stale.append(enterprise)
        enterprise_model.objects.bulk_update(stale, ["normalized_name"], batch_size=batch_size)
        changed += len(stale)


def _apply(user: Any, enterprise: Enterprise, data: dict[str, Any]) -> None:
    from zonedesk.enterprises.models import IndustryCode
    from zonedesk.geo.models import Region, Zone

    unknown = sorted(set(data) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("包含不可修改或不存在的字段"), fields={k: [_("该字段不存在或不可直接修改")] for k in unknown}
        )
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        if name == "uscc":
            if value in (None, ""):
                enterprise.uscc, enterprise.uscc_warning = None, ""
                continue
            result = check_uscc(str(value))
            if not result.ok:
                errors.setdefault("uscc", []).append(result.message)
                continue
            enterprise.uscc = result.code
            enterprise.uscc_warning = "" if result.checksum_ok else result.message
        elif name in {"region", "industry", "zone"}:
            _model, qs = {
                "region": (Region, Region.objects.all()),
                "industry": (IndustryCode, IndustryCode.objects.all()),
                "zone": (Zone, restrict(user, "view", Zone)),
            }[name]
            pk = getattr(value, "pk", value)
            if pk in (None, ""):
                setattr(enterprise, name, None)
                continue
            obj = qs.filter(pk=pk).first()
            if obj is None:
                label = Enterprise._meta.get_field(name).verbose_name
                errors.setdefault(name, []).append(
                    _("%(field)s不存在或无权访问（%(value)s）") % {"field": label, "value": pk}
                )
            setattr(enterprise, name, obj)
        elif name == "tags":
            tags = list(value or [])
            bad = [t for t in tags if t not in EnterpriseTag.values]
            if bad:
                errors.setdefault("tags", []).append(
                    _("无效的企业标签：%(tags)s") % {"tags": _("、").join(map(str, bad))}
                )
            enterprise.tags = tags
        elif name == "former_names":
            enterprise.former_names = [str(n).strip() for n in (value or []) if str(n).strip()]
        else:
            setattr(enterprise, name, value)
    if errors:
        raise ValidationFailed(_("企业信息校验未通过"), fields=errors)
    enterprise.normalized_name = normalize_enterprise_name(enterprise.name or "")
    full_clean_or_fail(enterprise, _("企业信息校验未通过"))


@transaction.atomic
def enterprise_create(*, user: Any, data: dict[str, Any]) -> Enterprise:
    require_actor()
    ensure_may(user, "add", Enterprise, _("您没有新建企业的权限"))
    enterprise = Enterprise(created_by=user if getattr(user, "pk", None) else None)
    _apply(user, enterprise, data)
    enterprise.save()
    ensure_may_act(user, "add", enterprise, _("您无权在该范围内新建企业"))
    log_change(enterprise, "create", None, snapshot(enterprise))
    return enterprise


@transaction.atomic
def enterprise_update(
    *, user: Any, enterprise: Enterprise, data: dict[str, Any], expected_version: int | None
) -> Enterprise:
    require_actor()
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if expected_version is not None and expected_version != locked.version:
        raise StaleVersion(expected=expected_version, actual=locked.version)
    ensure_may_act(user, "change", locked, _("您无权修改该企业"))
    before = snapshot(locked)
    if (
        "name" in data
        and data["name"] != locked.name
        and locked.name not in (data.get("former_names") or locked.former_names)
    ):
        # A renamed enterprise keeps its old name, so old ledgers still match it.
        data = {**data, "former_names": [*(data.get("former_names") or locked.former_names), locked.name]}
    _apply(user, locked, data)
    locked.version += 1
    locked.save()
    log_change(locked, "update", before, snapshot(locked))
    return locked


@transaction.atomic
def enterprise_delete(*, user: Any, enterprise: Enterprise) -> None:
    require_actor()
    ensure_may_act(user, "delete", enterprise, _("您无权删除该企业"))
    if enterprise.project_links.exists():
        raise ValidationFailed(
            _("该企业仍是项目的投资方，不能删除"), fields={"projects": [_("请先从项目中移除该企业")]}
        )
    log_change(enterprise, "delete", snapshot(enterprise), None)
    enterprise.delete()
