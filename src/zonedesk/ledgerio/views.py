"""Pages: upload → preview (counts, changes, errors, annotated file) → apply → batch page with undo; export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.access.scoping import restrict
from zonedesk.core.errors import DomainError
from zonedesk.core.security_record import log_event
from zonedesk.core.uploads import UploadRefused
from zonedesk.geo.models import Zone
from zonedesk.projects import selectors
from zonedesk.projects.selectors import ProjectFilters

from .annotate import annotate
from .export import TemplateError, export_projects, load_templates
from .importer import apply_import, file_sha256, may_import, plan_import, undo_blockers, undo_import
from .models import ImportBatch
from .reader import LedgerFormatError
from .uploads import batch_mark_failed, batch_record_refused, check_package, check_size

SHOWN = 200


def _zones(user):
    return [z for z in restrict(user, "view", Zone) if may_import(user, z)]


def _batch(request, pk) -> ImportBatch:
    batch = ImportBatch.objects.select_related("zone", "user").filter(pk=pk).first()
    if batch is None or (batch.user_id != request.user.pk and not request.user.is_superuser):
        raise Http404("未找到该导入批次")
    return batch


def _home(request, status: int = 200):
    return render(
        request,
        "ledgerio/home.html",
        {
            "zones": _zones(request.user),
            "batches": ImportBatch.objects.filter(user=request.user).select_related("zone")[:100],
            "templates": list(load_templates()),
            "export_zones": restrict(request.user, "view", Zone),
        },
        status=status,
    )


@login_required
def home(request):
    return _home(request)


@login_required
@require_POST
def upload(request):
    upload = request.FILES.get("file")
    zone = next((z for z in _zones(request.user) if str(z.pk) == request.POST.get("zone")), None)
    if zone is None:
        messages.error(request, "请选择您有权导入的开发区")
        return redirect("ledgerio:home")
    if upload is None or upload.size == 0:
        messages.error(request, "请选择要上传的台账文件（.xlsx、.xls 或 .csv）")
        return redirect("ledgerio:home")
    sheet = (request.POST.get("sheet") or "").strip()[:100]
    data = b""
    try:
        # The limits before the file is stored: its size unread, then what an .xlsx's zip directory
        # says; rows, cells, decompressed bytes and time are checked as the preview reads it.
        check_size(upload.size)
        data = upload.read()
        check_package(data)
    except UploadRefused as exc:
        batch_record_refused(
            user=request.user,
            zone=zone,
            file_name=upload.name,
            sha256=file_sha256(data) if data else "",
            sheet=sheet,
            message=exc.message,
        )
        messages.error(request, f"{upload.name[:100]}：{exc.message}")
        return _home(request, status=exc.status)
    batch = ImportBatch(
        user=request.user,
        zone=zone,
        file_name=upload.name[:255],
        file_sha256=file_sha256(data),
        sheet=sheet,
    )
    batch.file.save(f"{batch.file_sha256[:16]}-{upload.name[-60:]}", ContentFile(data), save=False)
    batch.save()
    return redirect("ledgerio:batch", pk=batch.pk)


def _plan(request, batch):
    with batch.file.open("rb") as fh:
        data = fh.read()
    return data, plan_import(
        data, user=request.user, zone=batch.zone, file_name=batch.file_name, sheet=batch.sheet or None
    )


@login_required
def batch_detail(request, pk):
    batch = _batch(request, pk)
    context: dict[str, object] = {"batch": batch}
    if batch.status == ImportBatch.FAILED:
        context["fatal"] = batch.error_message  # stored when it failed: the file is not read again
    elif batch.status == ImportBatch.PENDING:
        try:
            _data, plan = _plan(request, batch)
        except (LedgerFormatError, UploadRefused, OSError) as exc:
            if isinstance(exc, OSError):  # the stored file is gone (removed by hand, a lost volume)
                message = "上传的文件已不存在，请重新上传"
            else:
                message = getattr(exc, "message", str(exc))
            batch = batch_mark_failed(batch, user=request.user, message=message)
            context.update({"batch": batch, "fatal": message})
        except DomainError as exc:
            context["fatal"] = exc.message
        else:
            context.update(
                {
                    "plan": plan,
                    "counts": plan.counts,
                    "errors": plan.error_list[:SHOWN],
                    "warnings": plan.warning_list[:SHOWN],
                    "updates": [r for r in plan.rows if r.action == "update"][:SHOWN],
                    "creates": [r for r in plan.rows if r.action == "create"][:SHOWN],
                    "shown": SHOWN,
                }
            )
    else:
        context["blockers"] = undo_blockers(batch) if batch.status == ImportBatch.APPLIED else []
    return render(request, "ledgerio/batch.html", context)


@login_required
@require_POST
def batch_apply(request, pk):
    batch = _batch(request, pk)
    if batch.status == ImportBatch.FAILED:
        messages.error(request, f"该文件读取失败，不能导入：{batch.error_message}")
        return redirect("ledgerio:batch", pk=batch.pk)
    if batch.status != ImportBatch.PENDING:
        messages.error(request, "该批次已处理过，不能重复导入")
        return redirect("ledgerio:batch", pk=batch.pk)
    try:
        with batch.file.open("rb") as fh:
            data = fh.read()
    except OSError:
        batch_mark_failed(batch, user=request.user, message="上传的文件已不存在，请重新上传")
        messages.error(request, "上传的文件已不存在，请重新上传")
        return redirect("ledgerio:batch", pk=batch.pk)
    try:
        _, batch = apply_import(
            data,
            user=request.user,
            zone=batch.zone,
            file_name=batch.file_name,
            sheet=batch.sheet or None,
            source="web",
            batch=batch,
        )
    except (UploadRefused, LedgerFormatError) as exc:
        message = getattr(exc, "message", str(exc))
        batch_mark_failed(batch, user=request.user, message=message)
        messages.error(request, message)
        return redirect("ledgerio:batch", pk=batch.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("ledgerio:batch", pk=batch.pk)
    messages.success(
        request,
        f"已导入：新增 {batch.created_count} 个，更新 {batch.updated_count} 个，未变 {batch.unchanged_count} 个",
    )
    return redirect("ledgerio:batch", pk=batch.pk)


@login_required
@require_POST
def batch_undo(request, pk):
    batch = _batch(request, pk)
    try:
        undo_import(batch, user=request.user, source="web")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤销批次 #{batch.pk}")
    return redirect("ledgerio:batch", pk=batch.pk)


@login_required
def batch_annotated(request, pk):
    batch = _batch(request, pk)
    if batch.status == ImportBatch.FAILED:
        messages.error(request, batch.error_message)
        return redirect("ledgerio:batch", pk=batch.pk)
    try:
        data, plan = _plan(request, batch)
    except (LedgerFormatError, DomainError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("ledgerio:batch", pk=batch.pk)
    content = annotate(data, plan.errors, plan.tables)
    stem = batch.file_name.rsplit(".", 1)[0]
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = _attachment(f"{stem}-错误说明.xlsx")
    return response


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"ledger.{name.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(name)}"


@login_required
def export(request):
    """The ledger view as a file: same filters (``ProjectFilters.from_query``) and the same gate as the page."""
    filters, refused = ProjectFilters.parse_query(request.GET)
    if refused:  # an export never widens silently to more rows than the view asked for
        for name, errs in refused.items():
            messages.error(
                request,
                _("筛选条件 %(field)s 有误：%(message)s") % {"field": name, "message": "、".join(errs)},
            )
        return redirect(reverse("ledgerio:home"))
    qs = selectors.project_list(request.user, filters)
    zone_label = "全部开发区"
    if filters.zone:
        zone = restrict(request.user, "view", Zone).filter(pk=filters.zone).first()
        if zone is None:
            raise Http404("开发区不存在或无权访问")
        zone_label = zone.name
    try:
        content, name, ctype = export_projects(
            qs,
            template=request.GET.get("template") or None,
            fmt=request.GET.get("format") or "xlsx",
            zone_label=zone_label,
            unit_label=str(request.user.unit or ""),
        )
    except TemplateError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("ledgerio:home"))
    log_event(
        "data.exported", user=request.user, request=request, template=request.GET.get("template") or "",
        format=request.GET.get("format") or "xlsx", rows=qs.count(), zone=zone_label, via="web",
    )  # fmt: skip
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = _attachment(name)
    return response
