"""Reads of the organisation that are not a plain ``restrict()``: the API tokens a person may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .models import ApiToken
from .scoping import reach_q


def tokens_visible(user: Any, action: str = "view") -> QuerySet[ApiToken]:
    """A person's own tokens, and those of the people a security administrator reaches (``action`` on
    ApiToken through the gate)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ApiToken.objects.none()
    reach = reach_q(user, action, ApiToken)
    own = Q(user_id=user.pk)
    q = own if reach is None else (Q() if not reach else own | reach)
    return ApiToken.objects.filter(q).select_related("user").order_by("-created_at", "-pk")
