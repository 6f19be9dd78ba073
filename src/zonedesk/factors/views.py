"""The pages of the second factor and the API tokens: parse, call the service, render."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from zonedesk.access.models import ApiToken
from zonedesk.access.scoping import can
from zonedesk.access.selectors import tokens_visible
from zonedesk.access.services import token_revoke as revoke_token
from zonedesk.access.services import token_settings
from zonedesk.core.errors import DomainError
from zonedesk.core.forms import add_domain_errors
from zonedesk.core.permissions import visible_or_404

from . import services
from .forms import CodeForm, ReasonForm, TokenForm
from .models import SecondFactor
from .policy import is_enrolled, requires_mfa
from .selectors import accounts_in_reach, recovery_left


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def home(request):
    user = request.user
    context = {
        "required": requires_mfa(user),
        "enrolled": is_enrolled(user),
        "verified": user.is_verified(),
        "recovery_left": recovery_left(user),
        "may_reset": can(user, "change", SecondFactor),
        "accounts": [],
    }
    if can(user, "view", SecondFactor):
        context["accounts"] = list(accounts_in_reach(user).exclude(pk=user.pk)[:500])
    return render(request, "factors/home.html", context)


@login_required
def enrol(request):
    user = request.user
    if is_enrolled(user):
        return redirect("factors:home")
    device = services.totp_pending(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_confirm(user=user, device=device, code=form.cleaned_data["code"])
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            request.session.cycle_key()  # the session now holds more: a new id, as at login
            otp_login(request, device)
            return render(request, "factors/recovery.html", {"codes": codes, "next": _next(request)})
    secret = b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "factors/enrol.html",
        {
            "form": form,
            "secret": _grouped(secret),
            "qr_svg": qr.svg_inline(scale=5, title=_("用验证器扫描此二维码")),
            "required": requires_mfa(user),
            "next": _next(request),
        },
    )


@login_required
def verify(request):
    user = request.user
    if not is_enrolled(user):
        return redirect("factors:enrol")
    target = _next(request) or "web:home"
    if user.is_verified():
        return redirect(target)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.mfa_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            request.session.cycle_key()
            otp_login(request, device)
            if device.__class__.__name__ == "StaticDevice":
                messages.warning(request, _("已使用一个恢复码，还剩 %(n)s 个。") % {"n": recovery_left(user)})
            return redirect(target)
        form.add_error("code", _("验证码不正确或已过期；连续输错后须等待片刻再试"))
    return render(request, "factors/verify.html", {"form": form, "next": _next(request)})


@login_required
@require_POST
def recovery_renew(request):
    try:
        codes = services.recovery_codes_renew(user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("factors:home")
    return render(request, "factors/recovery.html", {"codes": codes, "next": ""})


@login_required
@require_POST
def reset(request, pk: int):
    account = visible_or_404(request.user, SecondFactor, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.mfa_reset(user=account, actor=request.user, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("已重置 %(name)s 的双因素认证，其下次登录时须重新启用") % {"name": account}
        )
    return redirect("factors:home")


@login_required
def tokens(request):
    user = request.user
    default_days, most_days = token_settings()
    form = TokenForm(request.POST or None, initial={"days": default_days})
    new_token = ""
    if request.method == "POST" and form.is_valid():
        try:
            new_token = services.token_issue(
                user=user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            form = TokenForm(initial={"days": default_days})
    visible = tokens_visible(user)
    context = {
        "form": form,
        "new_token": new_token,
        "mine": list(visible.filter(user=user)[:200]),
        "others": list(visible.exclude(user=user)[:500]) if can(user, "view", ApiToken) else [],
        "may_revoke_others": can(user, "change", ApiToken),
        "most_days": most_days,
        "blocked": requires_mfa(user) and not is_enrolled(user),
    }
    return render(request, "factors/tokens.html", context)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = tokens_visible(request.user, "change").filter(pk=pk).first()
    if token is None:
        raise Http404(_("未找到或无权访问"))
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        revoke_token(actor=request.user, token=token, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已吊销令牌 %(prefix)s…") % {"prefix": token.prefix})
    return redirect("factors:tokens")
