"""Sign-in and sign-out (served at /login/ and /logout/), the own password change, and the administrator's
reset and unlock pages (/account/…)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zonedesk.access.models import OrgUnit, User
from zonedesk.access.scoping import can
from zonedesk.core.errors import DomainError
from zonedesk.core.security_log import client_address

from . import lockout, services
from .forms import PasswordChangeForm, UsernameForm
from .middleware import forget_password_due, start_session

LOGIN_TEMPLATE = "identity/login.html"


class LoginView(auth_views.LoginView):
    template_name = LOGIN_TEMPLATE
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        start_session(self.request)
        return response


class LogoutView(auth_views.LogoutView):
    pass


def lock_message(lock: lockout.Lock) -> str:
    until = timezone.localtime(lock.until).strftime("%Y-%m-%d %H:%M")
    if lock.by == "address":
        return _("登录失败次数过多，本地址已被暂时限制，请于%(time)s后重试或联系管理员") % {"time": until}
    return _("账户已锁定，请于%(time)s后重试或联系管理员") % {"time": until}


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page again, saying until when the account (or address) is locked."""
    username = str((credentials or {}).get("username") or request.POST.get("username") or "")
    lock = lockout.current_lock(username, client_address(request)) or lockout.Lock(
        "username", timezone.now() + lockout.cool_off(request)
    )
    context = {
        "locked_message": lock_message(lock),
        "username": username,
        "next": request.POST.get("next", ""),
    }
    return render(request, LOGIN_TEMPLATE, context, status=429)


@never_cache
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    me = User.objects.get(pk=request.user.pk or 0)
    form = PasswordChangeForm(me, request.POST or None)
    due = services.password_due(me)
    forced = due is not None and timezone.now() >= due
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=me,
                new_password=form.cleaned_data["new_password1"],
                by=me,
                address=client_address(request),
            )
        except DomainError as exc:
            for message in exc.fields.get("new_password", []) or [exc.message]:
                form.add_error("new_password1", message)
        else:
            me.refresh_from_db()
            update_session_auth_hash(request, me)  # this session stays; every other one ends
            forget_password_due(request)
            messages.success(request, _("密码已修改"))
            return redirect("web:home")
    return render(
        request,
        "identity/password_change.html",
        {"form": form, "forced": forced, "help_texts": [t for t in password_validators_help_texts() if t]},
    )


def _ensure_account_admin(request: HttpRequest) -> None:
    """The reset and unlock pages exist only for someone who may manage accounts (404 for the others)."""
    user = request.user
    if not (user.is_authenticated and (user.is_superuser or can(user, "change", OrgUnit))):
        raise Http404


@never_cache
@login_required
def password_reset(request: HttpRequest) -> HttpResponse:
    _ensure_account_admin(request)
    form = UsernameForm(request.POST or None)
    temporary = None
    target = None
    if request.method == "POST" and form.is_valid():
        target = User.objects.filter(username=form.cleaned_data["username"]).first()
        if target is None or not services.may_manage(request.user, target):
            form.add_error("username", _("用户不存在或不在您的管理范围内"))
        else:
            try:
                temporary = services.password_reset_by_admin(
                    admin=request.user, user=target, address=client_address(request)
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
    response = render(
        request, "identity/password_reset.html", {"form": form, "temporary": temporary, "target": target}
    )
    return response


@never_cache
@login_required
def locks(request: HttpRequest) -> HttpResponse:
    _ensure_account_admin(request)
    rows = []
    for username, lock in lockout.locked_accounts():
        target = User.objects.filter(username=username).first()
        if target is not None and not services.may_manage(request.user, target):
            continue
        if target is None and not request.user.is_superuser:
            continue
        rows.append({"username": username, "user": target, "until": lock.until})
    return render(request, "identity/locks.html", {"rows": rows})


@login_required
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    _ensure_account_admin(request)
    username = (request.POST.get("username") or "").strip()
    try:
        services.account_unlock(admin=request.user, username=username, client=client_address(request))
    except DomainError:
        raise Http404 from None
    messages.success(request, _("已解锁账户“%(name)s”") % {"name": username})
    return redirect("identity:locks")
