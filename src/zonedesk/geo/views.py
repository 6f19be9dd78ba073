"""Zone and park administration pages, for administrators who may change zones.

Reads pass the gate (``restrict``); writes go through ``geo.services`` with history, which refuse
a zone or park beyond the administrator's reach.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from zonedesk.access.scoping import can, reach_q, restrict
from zonedesk.core.audit import acting_as
from zonedesk.core.errors import DomainError

from . import services
from .forms import ParkForm, ZoneForm
from .models import Park, Zone


def zone_administrator_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can(request.user, "change", Zone):
            raise PermissionDenied(_("您没有管理开发区的权限"))
        return view(request, *args, **kwargs)

    return wrapped


def _write(request, form, call):
    try:
        with acting_as(request.user, source="web"):
            return call()
    except DomainError as exc:
        for name, errors in (exc.fields or {}).items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
        if not exc.fields:
            form.add_error(None, exc.message)
        return None


def _status(form) -> int:
    return 422 if form.errors else 200


@zone_administrator_required
def zones(request):
    rows = (
        restrict(request.user, "change", Zone)
        .select_related("region", "committee")
        .order_by("region_id", "name")
    )
    parks = restrict(request.user, "view", Park).order_by("name")
    by_zone: dict[int, list[Park]] = {}
    for park in parks:
        by_zone.setdefault(park.zone_id, []).append(park)
    return render(
        request,
        "geo/zones.html",
        {
            "rows": [(z, by_zone.get(z.pk, [])) for z in rows],
            # A new zone is for an administrator of every zone (the service says the same).
            "can_add": reach_q(request.user, "add", Zone) == Q(),
        },
    )


@zone_administrator_required
def zone_new(request):
    form = ZoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        zone = _write(
            request,
            form,
            lambda: services.zone_create(
                by=request.user,
                name=d["name"],
                kind=d["kind"],
                level=d["level"],
                region=d["region"],
                aliases=d["aliases"],
            ),
        )
        if zone is not None:
            messages.success(request, _("已新建开发区“%(name)s”") % {"name": zone})
            return redirect("geo:zones")
    return render(request, "geo/zone_form.html", {"form": form, "zone": None}, status=_status(form))


@zone_administrator_required
def zone_edit(request, pk):
    zone = get_object_or_404(restrict(request.user, "change", Zone), pk=pk)
    initial = {
        "name": zone.name,
        "aliases": "、".join(zone.aliases or []),
        "kind": zone.kind,
        "level": zone.level,
        "region": zone.region_id,
    }
    form = ZoneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = _write(
            request,
            form,
            lambda: services.zone_update(
                by=request.user,
                zone=zone,
                name=d["name"],
                kind=d["kind"],
                level=d["level"],
                region=d["region"],
                aliases=d["aliases"],
            ),
        )
        if done is not None:
            messages.success(request, _("已保存"))
            return redirect("geo:zones")
    return render(request, "geo/zone_form.html", {"form": form, "zone": zone}, status=_status(form))


@zone_administrator_required
def park_new(request, pk):
    zone = get_object_or_404(restrict(request.user, "change", Zone), pk=pk)
    form = ParkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        park = _write(
            request,
            form,
            lambda: services.park_create(by=request.user, zone=zone, name=d["name"], area_mu=d["area_mu"]),
        )
        if park is not None:
            messages.success(request, _("已新建园区“%(name)s”") % {"name": park})
            return redirect("geo:zones")
    return render(
        request, "geo/park_form.html", {"form": form, "zone": zone, "park": None}, status=_status(form)
    )


@zone_administrator_required
def park_edit(request, pk):
    park = get_object_or_404(restrict(request.user, "change", Park).select_related("zone"), pk=pk)
    form = ParkForm(request.POST or None, initial={"name": park.name, "area_mu": park.area_mu})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = _write(
            request,
            form,
            lambda: services.park_update(by=request.user, park=park, name=d["name"], area_mu=d["area_mu"]),
        )
        if done is not None:
            messages.success(request, _("已保存"))
            return redirect("geo:zones")
    return render(
        request, "geo/park_form.html", {"form": form, "zone": park.zone, "park": park}, status=_status(form)
    )
