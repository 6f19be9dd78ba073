"""Many enterprises created at once (the investors a ledger names that no stored enterprise matches).

The same values ``services.enterprise_create`` would store — the checked USCC with its warning, the
normalised name the matching uses — written in bulk, each with its history row in the one shape
(``core.audit.row_shape``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from zonedesk.core.audit import ChangeBatch
from zonedesk.core.bulkwrite import insert

from .models import Enterprise
from .services import normalize_enterprise_name
from .uscc import check_uscc


@dataclass(frozen=True, slots=True)
class NewEnterprise:
    name: str
    uscc: str | None
    key: str  # the resolver's match key: the normalised name, or the USCC when one was given
    note: str


def create_many(rows: Sequence[NewEnterprise], *, user: Any, zone_id: int, history: ChangeBatch) -> list[int]:
    """Insert the enterprises of ``zone_id``; their ids in row order."""
    values = []
    for row in rows:
        warning = ""
        if row.uscc:
            result = check_uscc(row.uscc)
            warning = "" if result.checksum_ok else result.message
        values.append(
            {
                "name": row.name[:200],
                "uscc": row.uscc,
                "uscc_warning": warning[:200],
                "zone_id": zone_id,
                # the resolver's key is the normalised name when no USCC was given
                "normalized_name": (normalize_enterprise_name(row.name) if row.uscc else row.key)[:200],
                "created_by_id": user.pk,
            }
        )
    ids = insert(Enterprise, values)
    for row, value, pk in zip(rows, values, ids):
        after = {
            "id": pk,
            "name": value["name"],
            "uscc": value["uscc"],
            "uscc_warning": value["uscc_warning"],
            "zone": value["zone_id"],
            "normalized_name": value["normalized_name"],
            "created_by": value["created_by_id"],
        }
        history.add(Enterprise, pk, value["name"], "create", None, after, row.note)
    return ids
