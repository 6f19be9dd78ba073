"""add_domain_errors: a service's refusal shown on a page form (used by the project and dispatch pages)."""

from django import forms

from zonedesk.core.errors import DomainError, ValidationFailed
from zonedesk.core.forms import add_domain_errors


class NameForm(forms.Form):
    name = forms.CharField()


def test_field_messages_go_beside_their_fields_and_unknown_fields_above_the_form():
    form = NameForm({"name": "甲"})
    assert form.is_valid()
    add_domain_errors(
        form, ValidationFailed("请检查", fields={"name": ["名称重复"], "zone": ["开发区不存在"]})
    )
    assert form.errors == {"name": ["名称重复"], "__all__": ["开发区不存在"]}


def test_a_refusal_without_fields_shows_its_message_above_the_form():
    form = NameForm({"name": "甲"})
    assert form.is_valid()
    add_domain_errors(form, DomainError("记录已被他人修改"))
    assert form.errors == {"__all__": ["记录已被他人修改"]}
