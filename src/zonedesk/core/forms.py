"""What page forms share: a service's refusal shown on the form."""

from __future__ import annotations

from django import forms

from zonedesk.core.errors import DomainError


def add_domain_errors(form: forms.BaseForm, exc: DomainError) -> None:
    """A service's refusal shown on the form: each field's messages beside that field, messages for fields the
    form does not have above it, and the general message there when no field is named."""
    for name, errs in exc.fields.items():
        for err in errs:
            form.add_error(name if name in form.fields else None, err)
    if not exc.fields:
        form.add_error(None, exc.message)
