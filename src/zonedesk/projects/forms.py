"""Page forms. They parse and show errors; the rules and writes stay in the project services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.access.models import OrgUnit, User
from zonedesk.access.scoping import restrict
from zonedesk.geo.models import Park, Zone
from zonedesk.projects.choices import FollowUpKind, Stage
from zonedesk.projects.models import Project
from zonedesk.projects.services import EDITABLE_FIELDS

# <input type=date> accepts only ISO dates, whatever the locale shows elsewhere.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Project
        fields = list(EDITABLE_FIELDS)
        widgets = {f.name: DATE for f in Project._meta.fields if f.get_internal_type() == "DateField"}

    def _choices(self, name: str) -> forms.ModelChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)  # a foreign key's form field
        return field

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("zone").queryset = restrict(user, "view", Zone)
        self._choices("park").queryset = restrict(user, "view", Park)
        units = restrict(user, "view", OrgUnit)
        self._choices("referring_unit").queryset = units
        self._choices("pursuing_unit").queryset = units
        self._choices("responsible_officer").queryset = User.objects.filter(is_active=True, unit__in=units)
        for name in ("construction_content", "progress_note", "hesitation_note"):
            self.fields[name].widget = forms.Textarea(attrs={"rows": 3})

    def _post_clean(self):
        # The model is not validated here: the service validates (once, for every front).
        pass


class AdvanceForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("目标阶段"), choices=Stage.choices)
    occurred_on = forms.DateField(label=_("发生日期"), widget=DATE)
    evidence = forms.CharField(label=_("依据"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # The version the page showed: a project changed since then is not moved (services.project_advance).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class FollowUpForm(forms.Form):
    date = forms.DateField(label=_("跟进日期"), widget=DATE)
    kind = forms.ChoiceField(label=_("方式"), choices=FollowUpKind.choices)
    summary = forms.CharField(label=_("跟进内容"), widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(label=_("下一步"), required=False)
    next_date = forms.DateField(label=_("下次跟进日期"), required=False, widget=DATE)
