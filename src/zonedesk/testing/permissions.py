"""The permission matrix every app gets for free (NetBox's ViewTestCases, the zonedesk way).

An app declares its endpoints once, as a short list of :class:`Endpoint` inside a :class:`Matrix`,
and binds ``test_matrix = matrix.test()`` in ``<app>/tests/test_permission_matrix.py``. Each
endpoint is then called by six people of the test World (``testing/world.py``):

``anonymous``     not logged in: 401 on the API, a redirect to the login page on pages
``nogrant``       logged in, no grant: objects answer 404, lists are empty, creating is refused
``grant``         a province administrator (scope: all)
``scoped``        a zone A officer (scope: zone A), the target's own zone
``own_unit``      a department officer of the target's own unit (scope: own unit)
``sibling_zone``  a zone B officer: the target, in zone A, answers 404 and is absent from lists and counts

``setup(world)`` returns the records the endpoints name: ``target`` (in zone A, in the unit of
``own_unit``) and ``other`` (in zone B). A list endpoint must show exactly those of the two the
user reaches, and its ``count`` must agree with its rows. A refused call must leave every watched
table — row count and every value of every row — and the history table exactly as they were; an
accepted write must change something. The statuses above are the defaults; an endpoint states
only where a role's actions make it differ (``expect={"own_unit": 403}``).

Test ids read ``test_matrix[api-projects-update-sibling_zone]``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

WHO = ("anonymous", "nogrant", "grant", "scoped", "own_unit", "sibling_zone")
# Which World user plays each part unless a Matrix says otherwise.
PEOPLE = {
    "nogrant": "nogrant",
    "grant": "admin",
    "scoped": "officer_a",
    "own_unit": "centre_user",
    "sibling_zone": "officer_b",
}
# Which of the two records each person reaches, unless a Matrix says otherwise.
REACH = {
    "anonymous": (),
    "nogrant": (),
    "grant": ("target", "other"),
    "scoped": ("target",),
    "own_unit": ("target",),
    "sibling_zone": ("other",),
}

Context = dict[str, Any]


@dataclass(frozen=True)
class Endpoint:
    """One route called by everyone.

    ``kind``: ``list`` (GET of many rows), ``read`` (GET of the target), ``write`` (changes the
    target: update, delete, a custom action) or ``create`` (makes a new row).
    ``url``: formatted with the setup's records, e.g. ``"/api/v1/projects/{target.pk}"``.
    ``body``: the request body (JSON on the API, a form on pages), or a function of the context.
    ``ok``: the status of an accepted call. ``expect``: statuses that differ from the defaults.
    ``ids``: for a list, the ids it shows, read from the response (default: ``results[*].id``).
    ``refused``: people whose call answers ``ok`` yet must change nothing (a page that redirects back
    with an error message).
    """

    resource: str
    action: str
    kind: str
    url: str
    method: str = "get"
    body: dict | Callable[[Context], dict] | None = None
    ok: int = 200
    expect: dict[str, int] = field(default_factory=dict)
    ids: Callable[[Any, Context], list[int]] | None = None
    # People refused with the accepted status: a page that redirects back with an error message.
    refused: tuple[str, ...] = ()


@dataclass(frozen=True)
class Matrix:
    surface: str  # "api" or "page"
    setup: Callable[[Any], Context]
    endpoints: list[Endpoint]
    # Tables that must stay exactly as they were when a call is refused (history is always watched).
    watch: tuple[type, ...] = ()
    # Who plays a part where it differs from PEOPLE: a World attribute or a record the setup returns.
    people: dict[str, str] = field(default_factory=dict)
    # Statuses that differ from the defaults for every endpoint (an endpoint's own ``expect`` wins).
    expect: dict[str, int] = field(default_factory=dict)
    # Who reaches which record where it differs from REACH, e.g. {"own_unit": ()} for records that
    # sit in a zone but in no unit. The default statuses follow from it.
    reach: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def reaches(self, who: str) -> tuple[str, ...]:
        return self.reach.get(who, REACH[who])

    def cases(self) -> list[Any]:
        return [
            pytest.param(self, ep, who, id=f"{self.surface}-{ep.resource}-{ep.action}-{who}")
            for ep in self.endpoints
            for who in WHO
        ]

    def test(self) -> Callable[..., None]:
        """The parametrised test function; bind it as ``test_matrix`` in a test module."""

        @pytest.mark.django_db
        @pytest.mark.parametrize(("matrix", "endpoint", "who"), self.cases())
        def test_matrix(matrix, endpoint, who, world, client, token_for):
            run_case(matrix, endpoint, who, world, client, token_for)

        return test_matrix


def default_status(matrix: Matrix, endpoint: Endpoint, who: str) -> int:
    if who == "anonymous":
        return 401 if matrix.surface == "api" else 302
    if endpoint.kind == "list":
        return 200
    if endpoint.kind == "create":
        return endpoint.ok if "target" in matrix.reaches(who) else 403
    return endpoint.ok if "target" in matrix.reaches(who) else 404


def expected_status(matrix: Matrix, endpoint: Endpoint, who: str) -> int:
    return {**matrix.expect, **endpoint.expect}.get(who, default_status(matrix, endpoint, who))


def state(models: tuple[type, ...]) -> dict[str, Any]:
    """Every row of every watched table and of the history, as plain values."""
    from zonedesk.core.models import ObjectChange

    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in (*models, ObjectChange)
    }


def page_ids(pattern: str) -> Callable[[Any, Context], list[int]]:
    """The ids a page lists, read from its links: ``page_ids(r"/projects/(\\d+)/")``."""
    import re

    def read(response: Any, ctx: Context) -> list[int]:
        return [int(pk) for pk in re.findall(pattern, response.content.decode())]

    return read


def _json_ids(response: Any, ctx: Context) -> list[int]:
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    if isinstance(body, dict) and "count" in body:
        assert body["count"] == len(rows), "the count must agree with the rows (one page holds them all)"
    return [row["id"] for row in rows]


def _fill(value: Any, ctx: Context) -> Any:
    """Body values may name the setup's records like URLs do: ``"{world.zone_a.pk}"`` (an int then)."""
    if isinstance(value, dict):
        return {k: _fill(v, ctx) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ctx) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        text = value.format(**ctx)
        return int(text) if text.isdigit() else text
    return value


def _login(matrix: Matrix, who: str, world: Any, client: Any, token_for: Any, ctx: Context) -> dict[str, str]:
    """Log the person in (before the state is taken: issuing a token leaves a history row)."""
    if who == "anonymous":
        return {}
    name = {**PEOPLE, **matrix.people}[who]
    user = ctx[name] if name in ctx else getattr(world, name)
    if matrix.surface == "api":
        return token_for(user)
    client.force_login(user)
    return {}


def _request(matrix: Matrix, endpoint: Endpoint, client: Any, headers: dict[str, str], ctx: Context):
    url = endpoint.url.format(**ctx)
    body = endpoint.body(ctx) if callable(endpoint.body) else _fill(endpoint.body, ctx)
    call = getattr(client, endpoint.method)
    if body is None:
        return call(url, **headers)
    if matrix.surface == "api":
        return call(url, data=json.dumps(body), content_type="application/json", **headers)
    return call(url, data=body, **headers)


def call_endpoint(
    matrix: Matrix, endpoint: Endpoint, client: Any, headers: dict[str, str], ctx: Context
) -> Any:
    """Call one endpoint as the client's user (for tests that walk every matrix, e.g. "the audit
    administrator writes nothing")."""
    return _request(matrix, endpoint, client, headers, ctx)


def run_case(matrix: Matrix, endpoint: Endpoint, who: str, world: Any, client: Any, token_for: Any) -> None:
    ctx = {"world": world, **matrix.setup(world)}
    headers = _login(matrix, who, world, client, token_for, ctx)
    before = state(matrix.watch)
    response = _request(matrix, endpoint, client, headers, ctx)
    status = expected_status(matrix, endpoint, who)
    assert response.status_code == status, (
        f"{endpoint.method.upper()} {endpoint.url} as {who}: {response.status_code}, expected {status}"
    )
    if who == "anonymous" and matrix.surface == "page":
        assert response["Location"].startswith("/login/?next=")
    if endpoint.kind == "list" and status == 200:
        shown = set((endpoint.ids or _json_ids)(response, ctx))
        named = {"target": ctx["target"].pk, "other": ctx["other"].pk}
        assert {k for k, pk in named.items() if pk in shown} == set(matrix.reaches(who))
    after = state(matrix.watch)
    if endpoint.kind in ("list", "read"):
        assert after == before, "a read must change nothing"
    elif who != "anonymous" and status == endpoint.ok and who not in endpoint.refused:
        assert after != before, "an accepted write must change something"
    else:
        assert after == before, "a refused call must change nothing (rows, values, history)"
