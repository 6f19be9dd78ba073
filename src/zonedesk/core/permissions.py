"""The two questions every service asks of the one gate (``access.scoping.restrict``), asked the same way.

- ``ensure_may(user, action, Model)``: may the user do ``action`` to this kind of record at all?
- ``ensure_may_act(user, action, obj)``: is this row inside the user's reach for ``action``?
- ``visible_or_404(user, Model, pk)``: a page's record, or 404 (absent and out of reach alike).
- ``resolve_visible(user, Model, value, field=…)``: the row a reference names, if the user may see it;
  otherwise a field error in Chinese naming the field, the same answer whether the row is absent or
  out of reach (so a reference never tells the user what exists outside their reach).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from zonedesk.access.scoping import can, restrict

from .errors import NotPermitted, ValidationFailed

# Verbs in "you may not … this": their own context, apart from the same words on buttons.
VERBS = {
    "add": pgettext_lazy("权限", "新建"),
    "change": pgettext_lazy("权限", "修改"),
    "delete": pgettext_lazy("权限", "删除"),
    "view": pgettext_lazy("权限", "查看"),
}
ANY_VERB = pgettext_lazy("权限", "操作")


def ensure_may(user: Any, action: str, model: type[models.Model], message: str | None = None) -> None:
    """Raise NotPermitted unless the user holds ``action`` on ``model`` somewhere in their reach."""
    if not can(user, action, model):
        raise NotPermitted(
            message
            or _("您没有%(verb)s%(what)s的权限")
            % {"verb": VERBS.get(action, ANY_VERB), "what": model._meta.verbose_name}
        )


def ensure_may_act(user: Any, action: str, obj: Any, message: str | None = None) -> None:
    """Raise NotPermitted unless ``restrict(user, action, type(obj))`` contains this row.

    Call it after the row is saved (for ``add``) or while it is locked (for ``change``/``delete``), so
    the reach is judged on the values the row will keep."""
    model = type(obj)
    if not restrict(user, action, model).filter(pk=obj.pk).exists():
        raise NotPermitted(
            message
            or _("您无权在该范围内%(verb)s%(what)s")
            % {"verb": VERBS.get(action, ANY_VERB), "what": model._meta.verbose_name}
        )


def resolve_visible(
    user: Any,
    model: type[models.Model],
    value: Any,
    *,
    field: str,
    label: Any = None,
    required: bool = True,
    action: str = "view",
) -> Any:
    """The row with this pk (or this instance's pk) in ``restrict(user, action, model)``.

    An empty value (None, "") is None when not ``required``. Otherwise an absent, malformed or
    out-of-reach pk raises ValidationFailed with the message under ``field``; ``label`` names the field
    to the user (the model's verbose name when not given)."""
    pk = value.pk if hasattr(value, "pk") else value
    label = label if label is not None else model._meta.verbose_name
    if pk in (None, "") and not required:
        return None
    obj = None
    if pk not in (None, ""):
        try:
            obj = restrict(user, action, model).filter(pk=pk).first()
        except (ValueError, TypeError, ValidationError):
            obj = None
    if obj is None:
        raise ValidationFailed(
            _("%(label)s不存在或无权访问") % {"label": label},
            fields={field: [_("%(label)s不存在或无权访问（%(pk)s）") % {"label": label, "pk": pk}]},
        )
    return obj


def visible_or_404(user: Any, model: type[models.Model], pk: Any, action: str = "view") -> Any:
    """The row with this pk in ``restrict(user, action, model)``, or Http404: a page never tells absent
    from out of reach."""
    obj = restrict(user, action, model).filter(pk=pk).first()
    if obj is None:
        raise Http404(_("未找到或无权访问"))
    return obj
