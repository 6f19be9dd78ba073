"""Reads: which source documents and evidence a user may see. Every one passes the gate."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zonedesk.access.scoping import restrict
from zonedesk.geo.models import Zone
from zonedesk.projects.models import Project

from .models import Evidence, SourceDocument


def document_list(user: Any) -> QuerySet[SourceDocument]:
    """Documents the user fed in, and those behind a project the user may see; only in zones
    the user may see, so nothing leaks into a sibling zone."""
    if not getattr(user, "is_authenticated", False):
        return SourceDocument.objects.none()
    behind_visible = Evidence.objects.filter(project__in=restrict(user, "view", Project)).values("document")
    return (
        SourceDocument.objects.filter(zone__in=restrict(user, "view", Zone))
        .filter(Q(created_by=user) | Q(pk__in=behind_visible))
        .select_related("zone", "created_by")
    )


def document_get(user: Any, pk: Any) -> SourceDocument:
    try:
        return document_list(user).get(pk=pk)
    except (SourceDocument.DoesNotExist, ValueError, TypeError):
        raise Http404(_("未找到该文本")) from None


def project_evidence(user: Any, project: Project) -> QuerySet[Evidence]:
    """Evidence of a project the caller has already fetched through the gate."""
    return Evidence.objects.filter(project=project).select_related("document", "created_by")
