"""Pages: paste or upload a text, review what was extracted, confirm or discard each project."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.access.scoping import restrict
from zonedesk.core.audit import acting_as
from zonedesk.core.errors import DomainError, ValidationFailed
from zonedesk.geo.models import Zone
from zonedesk.projects.choices import Stage

from . import readers, selectors, services
from .models import DocumentKind
from .review import candidates_for, fact_label, kind_label, marked_text

RECENT = 20


def _zones(user):
    return restrict(user, "view", Zone).order_by("name")


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def home(request):
    if not services.may_intake(request.user):
        raise PermissionDenied(_("您没有新建或修改项目的权限"))
    errors: dict[str, list[str]] = {}
    form = {
        "zone": request.POST.get("zone", ""),
        "title": request.POST.get("title", ""),
        "published": request.POST.get("published", ""),
        "text": request.POST.get("text", ""),
    }
    if request.method == "POST":
        upload = request.FILES.get("file")
        published = _date(form["published"])
        if form["published"] and published is None:
            errors["published"] = [_("发布日期格式应为 YYYY-MM-DD")]
        try:
            if errors:
                raise ValidationFailed(_("请修改标红的字段"), fields=dict(errors))
            if upload is not None:
                data = upload.read(readers.max_upload_bytes() + 1)  # never more than the limit into memory
                kind, text = readers.read_upload(upload.name, data, size=upload.size)
                filename = upload.name
            elif form["text"].strip():
                kind, text, filename = DocumentKind.PASTE, form["text"], ""
            else:
                raise ValidationFailed(
                    _("请粘贴文本或选择文件"), fields={"text": [_("请粘贴文本或选择文件")]}
                )
            with acting_as(request.user, source="web"):
                document = services.document_create(
                    user=request.user,
                    zone=form["zone"],
                    text=text,
                    title=form["title"],
                    kind=kind,
                    filename=filename,
                    published=published,
                )
        except DomainError as exc:
            errors = {name: list(errs) for name, errs in exc.fields.items()}
            messages.error(request, exc.message)
        else:
            return redirect("intake:document", pk=document.pk)
    return render(
        request,
        "intake/home.html",
        {
            "zones": _zones(request.user),
            "form": form,
            "errors": errors,
            "documents": selectors.document_list(request.user)[:RECENT],
            "max_mb": readers.max_upload_bytes() // 1024 // 1024,
        },
        status=422 if errors else 200,
    )


@login_required
def document(request, pk):
    doc = selectors.document_get(request.user, pk)
    facts = [
        {**f, "n": n, "label": kind_label(f["kind"]), "shown": fact_label(f)}
        for n, f in enumerate(doc.extraction.get("facts", []))
        if f["kind"] in ("money", "area", "capacity", "count", "rate")
    ]
    return render(
        request,
        "intake/document.html",
        {
            "doc": doc,
            "marked": marked_text(doc),
            "candidates": candidates_for(request.user, doc),
            "facts": facts,
            "stages": Stage.choices,
            "evidence": doc.evidence.select_related("project").order_by("candidate_index"),
            "may_intake": services.may_intake(request.user),
        },
    )


@login_required
@require_POST
def confirm(request, pk, index):
    doc = selectors.document_get(request.user, pk)
    post = request.POST
    values = {k: post.get(k, "") for k in services.CORRECTABLE}
    choice = post.get("target", "new")
    action, project_id = ("create", None) if choice == "new" else ("update", choice)
    try:
        with acting_as(request.user, source="web"):
            evidence = services.candidate_confirm(
                user=request.user,
                document=doc,
                index=index,
                action=action,
                project_id=project_id,
                values=values,
                stage=post.get("stage") or None,
                rename=bool(post.get("rename")),
            )
    except DomainError as exc:
        details = _("；").join(e for errs in getattr(exc, "fields", {}).values() for e in errs)
        extra = _("（%(details)s）") % {"details": details} if details and details != exc.message else ""
        messages.error(
            request, _("候选%(n)s：%(message)s") % {"n": index + 1, "message": f"{exc.message}{extra}"}
        )
        return redirect(reverse("intake:document", args=[doc.pk]) + f"#cand-{index}")
    done = {
        "created": _("候选%(n)s：已新建项目“%(name)s”，原句已存为依据"),
        "updated": _("候选%(n)s：已更新项目“%(name)s”，原句已存为依据"),
        "linked": _("候选%(n)s：已关联项目（数值无变化）“%(name)s”，原句已存为依据"),
    }[evidence.action]
    messages.success(request, done % {"n": index + 1, "name": evidence.project.name})
    return redirect(reverse("intake:document", args=[doc.pk]) + f"#cand-{index}")


@login_required
@require_POST
def discard(request, pk, index):
    doc = selectors.document_get(request.user, pk)
    try:
        with acting_as(request.user, source="web"):
            services.candidate_discard(user=request.user, document=doc, index=index)
    except DomainError as exc:
        messages.error(request, _("候选%(n)s：%(message)s") % {"n": index + 1, "message": exc.message})
    else:
        messages.success(request, _("候选%(n)s：已舍弃") % {"n": index + 1})
    return redirect(reverse("intake:document", args=[doc.pk]) + f"#cand-{index}")
