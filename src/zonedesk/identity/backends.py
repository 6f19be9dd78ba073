"""The first authentication backend: refuses a locked account or address before any password is checked."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """axes' backend, except that a call without a request (``Client.login`` in tests, ``authenticate``
    in a shell) is left to the next backend: no login page is involved, so nothing is there to throttle.
    Every login over the network comes with its request (the login page's form passes it)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
