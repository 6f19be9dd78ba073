"""Administration pages: people, their units and grants, the organisation tree, reference data.

For the people who run an installation: a province administrator (a grant with the "administer"
action on org units over everything) or a zone administrator (the same over one zone). Every read
passes the gate (``access.selectors``), every write goes through ``access.services`` with history,
and the services refuse what lies beyond the administrator's own reach.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Model, Q, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.core.audit import acting_as
from zonedesk.core.errors import DomainError
from zonedesk.core.models import ObjectChange

from . import services
from .choices import Action, Scope, UnitKind
from .forms import GrantForm, OrgUnitCreateForm, OrgUnitForm, UserCreateForm, UserForm, add_domain_errors
from .models import Grant, OrgUnit, Role
from .scoping import can
from .selectors import administered_units, administered_users, administers_everything

T = TypeVar("T")
View = Callable[..., HttpResponse]


def administrator_required(view: View) -> View:
    """Signed in, and administering some units; otherwise the page is refused (403)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can(request.user, Action.ADMINISTER, OrgUnit):
            raise PermissionDenied(_("您不是系统管理员"))
        return view(request, *args, **kwargs)

    return wrapped


def _history(obj: Model, limit: int = 50) -> QuerySet[ObjectChange]:
    ct = ContentType.objects.get_for_model(obj.__class__)
    return ObjectChange.objects.filter(content_type=ct, object_id=obj.pk).select_related("content_type")[
        :limit
    ]


def _write(request: HttpRequest, form: Form, call: Callable[[], T]) -> T | None:
    """Run a service as the signed-in administrator; a refusal goes beside the form's fields."""
    try:
        with acting_as(request.user, source="web"):
            return call()
    except DomainError as exc:
        add_domain_errors(form, exc)
        return None


@administrator_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("access:users")


# --------------------------------------------------------------------------- people
@administrator_required
def users(request: HttpRequest) -> HttpResponse:
    rows = administered_users(request.user).select_related("unit").order_by("unit__path", "username")
    q = (request.GET.get("q") or "").strip()
    if q:
        rows = rows.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(phone__icontains=q))
    unit = request.GET.get("unit") or ""
    if unit.isdigit():
        chosen = administered_units(request.user).filter(pk=int(unit)).first()
        rows = rows.filter(unit__path__startswith=chosen.path) if chosen else rows.none()
    state = request.GET.get("state") or ""
    if state in ("active", "disabled"):
        rows = rows.filter(is_active=state == "active")
    rows = rows.annotate(grant_count=Count("grants"))
    return render(
        request,
        "access/users.html",
        {
            "rows": rows[:500],
            "count": rows.count(),
            "q": q,
            "unit": unit,
            "state": state,
            "units": administered_units(request.user).order_by("path"),
        },
    )


@administrator_required
def user_new(request: HttpRequest) -> HttpResponse:
    initial = {"unit": request.GET.get("unit")} if (request.GET.get("unit") or "").isdigit() else None
    form = UserCreateForm(request.POST or None, by=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = _write(
            request,
            form,
            lambda: services.user_create(
                by=request.user,
                username=data["username"].strip(),
                password=data["password"],
                full_name=data["full_name"].strip(),
                phone=data["phone"].strip(),
                unit=data["unit"],
            ),
        )
        if user is not None:
            messages.success(request, _("已创建用户“%(name)s”，请为其授权") % {"name": user})
            return redirect("access:user", pk=user.pk)
    return render(
        request, "access/user_form.html", {"form": form, "person": None}, status=422 if form.errors else 200
    )


@administrator_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(administered_users(request.user).select_related("unit"), pk=pk)
    initial = {"full_name": person.full_name, "phone": person.phone, "unit": person.unit_id}
    form = UserForm(request.POST or None, by=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _write(
            request,
            form,
            lambda: services.user_update(
                by=request.user,
                user=person,
                full_name=data["full_name"],
                phone=data["phone"],
                unit=data["unit"],
            ),
        )
        if done is not None:
            messages.success(request, _("已保存"))
            return redirect("access:user", pk=person.pk)
    grants = person.grants.select_related("role", "zone").prefetch_related("units").order_by("pk")
    return render(
        request,
        "access/user_detail.html",
        {"person": person, "form": form, "grants": grants, "history": _history(person)},
        status=422 if form.errors else 200,
    )


@administrator_required
@require_POST
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(administered_users(request.user), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        with acting_as(request.user, source="web"):
            services.user_set_active(by=request.user, user=person, active=active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已启用账号") if active else _("已停用账号：该用户不能再登录或使用令牌"))
    return redirect("access:user", pk=person.pk)


# --------------------------------------------------------------------------- grants
@administrator_required
def grant_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(administered_users(request.user).select_related("unit"), pk=pk)
    form = GrantForm(request.POST or None, by=request.user, initial={"scope": Scope.UNIT})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        grant = _write(
            request,
            form,
            lambda: services.grant_create(
                by=request.user,
                user=person,
                role=data["role"],
                scope=data["scope"],
                zone=data["zone"],
                units=list(data["units"]),
            ),
        )
        if grant is not None:
            messages.success(request, _("已授权：%(grant)s") % {"grant": grant})
            return redirect("access:user", pk=person.pk)
    return render(
        request,
        "access/grant_form.html",
        {"form": form, "person": person, "roles": Role.objects.order_by("name")},
        status=422 if form.errors else 200,
    )


@administrator_required
@require_POST
def grant_delete(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(
        Grant.objects.filter(user__in=administered_users(request.user)).select_related(
            "user", "role", "zone"
        ),
        pk=pk,
    )
    try:
        with acting_as(request.user, source="web"):
            services.grant_delete(by=request.user, grant=grant)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤销授权"))
    return redirect("access:user", pk=grant.user_id)


# --------------------------------------------------------------------------- the organisation tree
@administrator_required
def units(request: HttpRequest) -> HttpResponse:
    rows = list(
        administered_units(request.user)
        .select_related("zone", "parent")
        .annotate(member_count=Count("members"))
        .order_by("path")
    )
    top = min((r.path.count("/") for r in rows), default=2)
    for row in rows:
        row.depth = row.path.count("/") - top
    return render(request, "access/units.html", {"rows": rows})


@administrator_required
def unit_new(request: HttpRequest) -> HttpResponse:
    parent = request.GET.get("parent") or ""
    form = OrgUnitCreateForm(
        request.POST or None, by=request.user, initial={"parent": parent, "kind": UnitKind.DEPARTMENT}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = _write(
            request,
            form,
            lambda: services.orgunit_create(
                by=request.user,
                name=data["name"].strip(),
                short_name=data["short_name"].strip(),
                kind=data["kind"],
                parent=data["parent"],
            ),
        )
        if unit is not None:
            messages.success(request, _("已新建单位“%(name)s”") % {"name": unit})
            return redirect("access:units")
    return render(
        request, "access/unit_form.html", {"form": form, "unit": None}, status=422 if form.errors else 200
    )


@administrator_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(administered_units(request.user), pk=pk)
    initial = {"name": unit.name, "short_name": unit.short_name, "kind": unit.kind}
    form = OrgUnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _write(
            request,
            form,
            lambda: services.orgunit_update(
                by=request.user,
                unit=unit,
                name=data["name"],
                short_name=data["short_name"],
                kind=data["kind"],
            ),
        )
        if done is not None:
            messages.success(request, _("已保存"))
            return redirect("access:units")
    return render(
        request,
        "access/unit_form.html",
        {"form": form, "unit": unit, "history": _history(unit)},
        status=422 if form.errors else 200,
    )


# --------------------------------------------------------------------------- reference data
@administrator_required
def reference(request: HttpRequest) -> HttpResponse:
    from zonedesk.enterprises.models import IndustryCode
    from zonedesk.geo.models import Region

    roles = [
        {
            "role": role,
            "rows": [
                (otype, [Action(a).label if a in Action.values else a for a in actions])
                for otype, actions in sorted((role.permissions or {}).items())
            ],
        }
        for role in Role.objects.order_by("name")
    ]
    return render(
        request,
        "access/reference.html",
        {
            "roles": roles,
            "scopes": Scope.choices,
            "unit_kinds": UnitKind.choices,
            "regions": Region.objects.filter(level="province").annotate(n=Count("children")).order_by("code"),
            "region_count": Region.objects.count(),
            "industry_count": IndustryCode.objects.count(),
            "everything": administers_everything(request.user),
        },
    )
