"""Dispatch page forms. They parse the request and show errors beside the fields; the rules and the writes
stay in dispatch/services.py (whose field errors the views put back on these forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from zonedesk.access.models import OrgUnit, User
from zonedesk.access.scoping import restrict
from zonedesk.geo.models import Zone
from zonedesk.geo.selectors import zone_short_name
from zonedesk.projects.choices import Stage

from .choices import Frequency
from .services import REPORT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _messages(label: Any) -> dict[str, Any]:
    """Error messages that name the field (Django's own say only "this field")."""
    return {
        "required": _("请填写%(label)s") % {"label": label},
        "invalid": _("%(label)s格式不正确") % {"label": label},
        "invalid_choice": _("%(label)s的选项无效") % {"label": label},
        "invalid_pk_value": _("%(label)s的选项无效") % {"label": label},
        "invalid_list": _("%(label)s的选项无效") % {"label": label},
        "min_value": _("%(label)s不能小于 %%(limit_value)s") % {"label": label},
        "max_value": _("%(label)s不能大于 %%(limit_value)s") % {"label": label},
        "max_length": _("%(label)s不能超过 %%(limit_value)d 个字") % {"label": label},
    }


class NamedErrorsMixin:
    def name_errors(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            field.error_messages.update(_messages(field.label))


class CycleForm(NamedErrorsMixin, forms.Form):
    zone = forms.ModelChoiceField(label=_("开发区"), queryset=Zone.objects.none())
    name = forms.CharField(label=_("名称"), max_length=100)
    frequency = forms.ChoiceField(label=_("频次"), choices=Frequency.choices)
    deadline_workdays = forms.IntegerField(
        label=_("报送时限（期末后第几个工作日）"), min_value=1, max_value=30, initial=3
    )
    units = forms.ModelMultipleChoiceField(
        label=_("报送单位"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则本开发区所有单位的项目都须报送"),
    )
    reporting_stages = forms.MultipleChoiceField(
        label=_("须报送的项目阶段"),
        choices=Stage.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    dispatchers = forms.ModelMultipleChoiceField(
        label=_("调度员"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("报送截止前一个工作日起，每个工作日收到未报送提醒（调度工作台和邮件）"),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = restrict(user, "view", Zone)
        self.fields["zone"].queryset = zones
        units = (
            restrict(user, "view", OrgUnit)
            .filter(zone__in=zones)
            .exclude(kind="zone_committee")
            .select_related("zone")
        )
        self.fields["units"].queryset = units.order_by("zone_id", "path")
        self.fields["units"].label_from_instance = lambda u: f"{zone_short_name(u.zone)} · {u.name}"
        people = User.objects.filter(is_active=True, unit__in=restrict(user, "view", OrgUnit))
        self.fields["dispatchers"].queryset = people.select_related("unit").order_by("unit__path", "username")
        self.fields["dispatchers"].label_from_instance = lambda u: (
            f"{u}（{u.unit.name if u.unit_id else ''}）"
        )
        self.name_errors()


class OpenPeriodForm(NamedErrorsMixin, forms.Form):
    day = forms.DateField(label=_("期内任一日期"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name_errors()


def _wan_label(name: str) -> Any:
    return format_lazy("{}{}", REPORT_FIELDS[name], _("（万元）"))


class CorrectionForm(NamedErrorsMixin, forms.Form):
    """The report's fields as they stand, to change, and why. Amounts are text here: the service parses
    them and says what is wrong with them (one rule for page, API and CLI)."""

    investment_period_wan = forms.CharField(label=_wan_label("investment_period_wan"), required=False)
    investment_cumulative_wan = forms.CharField(label=_wan_label("investment_cumulative_wan"), required=False)
    funds_in_place_wan = forms.CharField(label=_wan_label("funds_in_place_wan"), required=False)
    physical_progress = forms.CharField(
        label=REPORT_FIELDS["physical_progress"], required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    problems = forms.CharField(
        label=REPORT_FIELDS["problems"], required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_steps = forms.CharField(
        label=REPORT_FIELDS["next_steps"], required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label=_("更正原因"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name_errors()
        self.fields["reason"].error_messages["required"] = _("请填写更正原因：更正须说明原因")

    def report_data(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in REPORT_FIELDS}
