"""The workspace shell's own views: the start page and the health check (the pages live in their apps)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request):
    return redirect("projects:project-list")
