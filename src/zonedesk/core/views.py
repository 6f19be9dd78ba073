"""The audit administrator's page (/audit/): the security log with filters and paging, the chains'
status on request, and the log as CSV. Readable only with "view" on securityevent at an all-zones
scope (SecurityEvent.scope); anyone else gets 404, as for any record outside their reach."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from zonedesk.access.scoping import can, restrict

from .chain import retention_days, verify
from .models import SecurityEvent
from .security_log import client_address

PAGE_SIZE = 50
MAX_PAGE = 10**6
EXPORT_LIMIT = 100_000  # rows per CSV export; narrow the dates for more
log = logging.getLogger("zonedesk.security")


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if 1990 <= day.year <= 2100 else None


def _filtered(request: HttpRequest) -> tuple[Any, dict[str, Any], list[str]]:
    """The events the query names, the filters as read back, and field errors in Chinese."""
    if not can(request.user, "view", SecurityEvent):
        raise Http404(_("页面不存在"))
    qs = restrict(request.user, "view", SecurityEvent).order_by("-id")
    query = request.GET
    filters: dict[str, Any] = {
        "event": (query.get("event") or "").strip()[:64],
        "username": (query.get("username") or "").strip()[:150],
        "address": (query.get("address") or "").strip()[:64],
        "start": query.get("start") or "",
        "end": query.get("end") or "",
    }
    errors: list[str] = []
    for key, value in filters.items():
        if "\x00" in value:
            errors.append(_("筛选条件不能包含空字符"))
            filters[key] = ""
    if filters["event"]:
        qs = qs.filter(event__startswith=filters["event"])
    if filters["username"]:
        qs = qs.filter(username=filters["username"])
    if filters["address"]:
        qs = qs.filter(address=filters["address"])
    for key, label, lookup in (("start", _("起始日期"), "gte"), ("end", _("截止日期"), "lt")):
        if not filters[key]:
            continue
        day = _day(filters[key])
        if day is None:
            errors.append(_("%(field)s应为 1990–2100 年间的日期 YYYY-MM-DD") % {"field": label})
            filters[key] = ""
            continue
        if key == "end":
            day += dt.timedelta(days=1)
        at = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        qs = qs.filter(**{f"time__{lookup}": at})
    return qs, filters, errors


def _page_number(text: str | None) -> int:
    if text and text.isdigit() and len(text) <= 7:
        return max(1, min(int(text), MAX_PAGE))
    return 1


@login_required
def home(request: HttpRequest) -> HttpResponse:
    qs, filters, errors = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(_page_number(request.GET.get("page")))
    chains = verify() if request.GET.get("verify") == "1" else None
    kept = {k: v for k, v in filters.items() if v}
    return render(
        request,
        "core/audit.html",
        {
            "page": page,
            "filters": filters,
            "errors": errors,
            "chains": chains,
            "query": urlencode(kept),
            "kept": kept,
            "retention_days": retention_days(),
            "events": restrict(request.user, "view", SecurityEvent)
            .order_by("event")
            .values_list("event", flat=True)
            .distinct()[:200],
        },
    )


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: one starting with = + - @ (or a tab / carriage return)
    would be read as a formula, so it gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text


@login_required
def export(request: HttpRequest) -> HttpResponse:
    qs, filters, _errors = _filtered(request)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(
        ["编号", "时间", "事件", "用户名", "来源地址", "请求编号", "详情", "前一行哈希", "哈希", "算法"]
    )
    count = 0
    for e in qs[:EXPORT_LIMIT].iterator(chunk_size=2000):
        writer.writerow(
            [
                csv_cell(v)
                for v in (
                    e.pk,
                    timezone.localtime(e.time).isoformat(),
                    e.event,
                    e.username,
                    e.address,
                    e.request_id,
                    SecurityEvent._meta.get_field("detail").value_to_string(e),
                    e.prev_hash,
                    e.hash,
                    e.hash_algorithm,
                )
            ]
        )
        count += 1
    log.info(
        "audit.exported",
        extra={
            "event": "audit.exported",
            "username": request.user.get_username(),
            "user_id": request.user.pk,
            "address": client_address(request),
            "rows": count,
            "filters": {k: v for k, v in filters.items() if v},
        },
    )
    response = HttpResponse(
        ("\ufeff" + buf.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="security-log-{timezone.localdate():%Y%m%d}.csv"'
    return response
