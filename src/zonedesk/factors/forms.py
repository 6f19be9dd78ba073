from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("验证码"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        error_messages={"required": _("请输入验证码"), "max_length": _("验证码最多 32 个字符")},
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("用途"),
        max_length=100,
        required=False,
        error_messages={"max_length": _("用途最多 100 个字符")},
    )
    days = forms.IntegerField(
        label=_("有效期（天）"),
        min_value=1,
        error_messages={"invalid": _("有效期应为整数天数"), "min_value": _("有效期至少 1 天")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("原因最多 200 个字符")},
    )
