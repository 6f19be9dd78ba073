"""A user's own settings in the workspace: saved ledger views, the zone they are working in, the language."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.access.scoping import restrict
from zonedesk.access.services import user_set_language
from zonedesk.core.middleware import set_language_cookie
from zonedesk.geo.models import Zone

from .models import SavedView


def _back(request, fallback: str = "projects:project-list"):
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@login_required
@require_POST
def view_save(request):
    name = (request.POST.get("name") or "").strip()
    query = (request.POST.get("query") or "").strip().lstrip("?")
    if not name:
        messages.error(request, _("保存视图：请填写视图名称"))
        return _back(request)
    if len(name) > 60 or len(query) > 2000:
        messages.error(request, _("保存视图：名称不超过 60 个字，筛选条件过长"))
        return _back(request)
    try:
        with transaction.atomic():
            SavedView.objects.update_or_create(user=request.user, name=name, defaults={"query": query})
    except IntegrityError:
        messages.error(request, _("保存视图：“%(name)s”未能保存，请重试") % {"name": name})
        return _back(request)
    messages.success(request, _("已保存视图“%(name)s”") % {"name": name})
    return redirect(f"/projects/?{query}")


@login_required
@require_POST
def view_delete(request, pk):
    view = get_object_or_404(SavedView, pk=pk, user=request.user)
    view.delete()
    messages.success(request, _("已删除视图“%(name)s”") % {"name": view.name})
    return redirect("projects:project-list")


@login_required
@require_POST
def zone_switch(request):
    """Work in one zone (or all that the scope allows): the ledger, board and dashboard default to it."""
    raw = request.POST.get("zone") or ""
    if raw == "":
        request.session.pop("zone", None)
        return _back(request)
    zone = restrict(request.user, "view", Zone).filter(pk=raw if raw.isdigit() else None).first()
    if zone is None:
        messages.error(request, _("切换开发区：该开发区不存在或无权访问"))
        return _back(request)
    request.session["zone"] = zone.pk
    return _back(request)


@require_POST
def language_switch(request):
    """The top bar's 中文 / English button: keep the choice (cookie; and the user's own setting when
    logged in, so it follows them) and go back to the same page with the same query string."""
    language = request.POST.get("language") or ""
    response = _back(request, fallback="web:home")
    if language not in dict(settings.LANGUAGES):
        return response
    set_language_cookie(response, language)
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=language)
    return response
