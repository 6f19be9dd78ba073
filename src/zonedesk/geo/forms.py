"""Forms of the zone and park administration pages: they parse; the services decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.access.forms import PlainForm

from .choices import ZoneKind, ZoneLevel
from .models import Region


class RegionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.code} {obj.full_name}"


class ZoneForm(PlainForm):
    name = forms.CharField(label=_("开发区名称"), max_length=100)
    aliases = forms.CharField(
        label=_("简称/别名"), required=False, help_text=_("多个用顿号或逗号分隔，如 综改区、兴县经开区")
    )
    kind = forms.ChoiceField(label=_("类型"), choices=ZoneKind.choices)
    level = forms.ChoiceField(label=_("级别"), choices=ZoneLevel.choices)
    region = RegionChoice(label=_("所在区划"), queryset=Region.objects.select_related("parent__parent"))

    def clean_aliases(self) -> list[str]:
        text = self.cleaned_data.get("aliases") or ""
        for sep in ("，", ",", "；", ";"):
            text = text.replace(sep, "、")
        return [a.strip() for a in text.split("、") if a.strip()]


class ParkForm(PlainForm):
    name = forms.CharField(label=_("园区名称"), max_length=100)
    area_mu = forms.DecimalField(
        label=_("规划面积（亩）"), max_digits=12, decimal_places=2, required=False, min_value=0
    )
