"""Forms of the administration pages: they parse; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.core.errors import DomainError

from .choices import Scope, UnitKind
from .models import OrgUnit, Role
from .selectors import administered_units


def add_domain_errors(form: forms.Form, exc: DomainError) -> None:
    """A service's refusal beside the fields it names, or above the form."""
    for name, errors in (exc.fields or {}).items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)
    if not exc.fields:
        form.add_error(None, exc.message)


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        depth = max(obj.path.count("/") - 2, 0)
        return f"{'　' * depth}{obj.name}"


class UnitsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class PlainForm(forms.Form):
    """Labels sit above their fields: no colon after them (in Chinese or English)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def _choices(self, name: str) -> forms.ModelChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)  # ModelMultipleChoiceField is one too
        return field


class UserForm(PlainForm):
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("电话"), max_length=30, required=False)
    unit = UnitChoice(label=_("所属单位"), queryset=OrgUnit.objects.none(), required=False)

    def __init__(self, *args: Any, by: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("unit").queryset = administered_units(by).order_by("path")


class UserCreateForm(UserForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput(render_value=True),
        help_text=_("至少 8 位，不能全为数字"),
    )
    field_order = ["username", "full_name", "phone", "unit", "password"]


class GrantForm(PlainForm):
    role = forms.ModelChoiceField(label=_("角色"), queryset=Role.objects.order_by("name"))
    scope = forms.ChoiceField(label=_("数据范围"), choices=Scope.choices)
    zone: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("开发区"), queryset=None, required=False, help_text=_("数据范围为“指定开发区”时选择")
    )
    units = UnitsChoice(
        label=_("指定单位"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("数据范围为“指定单位”时选择"),
    )

    def __init__(self, *args: Any, by: Any, **kwargs: Any) -> None:
        from zonedesk.geo.models import Zone

        from .scoping import restrict

        super().__init__(*args, **kwargs)
        self._choices("zone").queryset = restrict(by, "view", Zone).order_by("name")
        self._choices("units").queryset = administered_units(by).order_by("path")


class OrgUnitForm(PlainForm):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices)


class OrgUnitCreateForm(OrgUnitForm):
    parent = UnitChoice(label=_("上级单位"), queryset=OrgUnit.objects.none(), required=False)
    field_order = ["parent", "name", "short_name", "kind"]

    def __init__(self, *args: Any, by: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("parent").queryset = administered_units(by).order_by("path")
