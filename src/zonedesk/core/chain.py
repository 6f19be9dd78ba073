"""The hash chains over the history (ObjectChange) and the security log (SecurityEvent).

Each row carries ``hash``, the digest of a canonical serialisation of its content followed by
``prev_hash``, the hash of the row before it in the same table (by id). Editing a row changes its
hash; deleting one leaves the next row pointing at a hash that is no longer there; either is found
by :func:`verify` (``zonedesk audit verify``). SHA-256 by default, SM3 (GM/T 0004) when
``ZONEDESK_AUDIT_HASH = "sm3"``: OpenSSL's, through hashlib, else the gmssl package's.

Writers append under a lock (:func:`chain_head`): a PostgreSQL advisory transaction lock per table,
held to the commit, so two writers never read the same head and fork the chain; on SQLite every
write transaction is IMMEDIATE (settings.base), which serialises them already. Every writer of
these tables goes through here: ``core.audit.log_change``, ``ChangeBatch.flush``, the import's
``projects.bulk.BulkWriter.create`` and ``core.security_record``.

A purge (``zonedesk audit purge``) removes only a prefix of a chain older than the retention, after
writing an :class:`~zonedesk.core.models.AuditCheckpoint` with the last removed row's id and hash,
and records itself as a chained "audit.purged" event; verification starts from the newest
checkpoint and checks that event is there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.utils import timezone

GENESIS = ""  # the prev_hash of a chain's first row
MIN_RETENTION_DAYS = 180  # 网络安全法 §21: network logs kept at least six months
ALGORITHMS = ("sha256", "sm3")
# One advisory lock key per chained table (any constant unique within the installation's database).
_LOCK_KEYS = {"core_objectchange": 0x7A0D_0001, "core_securityevent": 0x7A0D_0002}

# The columns each table's hash covers, in this order (then prev_hash). JSON columns are hashed as
# their canonical text (keys sorted, orjson's form), so a value reads back to the same text on SQLite
# and on PostgreSQL's jsonb alike.
OBJECTCHANGE_COLUMNS = (
    "time",  # first: append() writes it out as time_text
    "content_type_id",
    "object_id",
    "object_repr",
    "action",
    "user_id",
    "actor_label",
    "source",
    "request_id",
    "before",
    "after",
    "changes",
    "note",
)
SECURITYEVENT_COLUMNS = ("time", "event", "user_id", "username", "address", "request_id", "detail")
JSON_COLUMNS = frozenset({"before", "after", "changes", "detail"})


def hash_algorithm() -> str:
    name = str(getattr(settings, "ZONEDESK_AUDIT_HASH", "sha256")).lower()
    if name not in ALGORITHMS:
        raise ImproperlyConfigured(f"ZONEDESK_AUDIT_HASH must be one of {ALGORITHMS}, not {name!r}")
    return name


def retention_days() -> int:
    """The configured retention, never below the legal minimum."""
    return max(
        MIN_RETENTION_DAYS, int(getattr(settings, "ZONEDESK_AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS))
    )


def _openssl_sm3() -> Callable[[bytes], str] | None:
    try:
        hashlib.new("sm3", b"")
    except ValueError:  # an OpenSSL built without SM3 (some FIPS builds)
        return None
    return lambda data: hashlib.new("sm3", data).hexdigest()


def gmssl_sm3(data: bytes) -> str:
    """SM3 by the gmssl package (pure Python; the fallback where OpenSSL lacks SM3)."""
    from gmssl import func, sm3  # type: ignore[import-untyped]

    return str(sm3.sm3_hash(func.bytes_to_list(data)))


_sm3 = _openssl_sm3() or gmssl_sm3


def digest(algorithm: str, data: bytes) -> str:
    if algorithm == "sha256":
        return hashlib.sha256(data).hexdigest()
    if algorithm == "sm3":
        return _sm3(data)
    raise ImproperlyConfigured(f"unknown audit hash {algorithm!r}")


def time_text(value: dt.datetime) -> str:
    """A row's time as hashed: UTC, microseconds always written."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def json_text(value: Any) -> str | None:
    """A JSON column's value as hashed (and as the writers store it): keys sorted; None stays None."""
    if value is None:
        return None
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS).decode()


def normalised(value: Any) -> Any:
    """``value`` as it reads back from a JSON column (tuples as lists, keys as text)."""
    text = json_text(value)
    return None if text is None else orjson.loads(text)


def row_hash(algorithm: str, values: Sequence[Any], prev_hash: str) -> str:
    """The hash of one row: ``values`` in the table's column order, already canonical (time as
    :func:`time_text`, JSON columns as :func:`json_text`), then the previous row's hash."""
    return digest(algorithm, orjson.dumps([*values, prev_hash]))


def canonical(columns: Sequence[str], row: dict[str, Any]) -> list[Any]:
    """A stored row's values (as the ORM reads them) in canonical form, for verifying."""
    out: list[Any] = []
    for name in columns:
        value = row[name]
        if name == "time":
            value = time_text(value)
        elif name in JSON_COLUMNS:
            value = json_text(value)
        out.append(value)
    return out


def _table(model: type[models.Model]) -> str:
    return model._meta.db_table


def chain_head(model: type[models.Model]) -> str:
    """Lock ``model``'s chain for this transaction and return the hash the next row links to."""
    if not connection.in_atomic_block:
        raise RuntimeError("a chained row is written inside a transaction (the lock lasts to its commit)")
    table = _table(model)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEYS[table]])
        cursor.execute(f'SELECT "hash" FROM "{table}" ORDER BY "id" DESC LIMIT 1')
        found = cursor.fetchone()
    if found is not None:
        return str(found[0])
    checkpoint = latest_checkpoint(table)
    return checkpoint.last_hash if checkpoint is not None else GENESIS


def latest_checkpoint(table: str) -> Any:
    from .models import AuditCheckpoint

    return AuditCheckpoint.objects.filter(table_name=table).order_by("-last_id").first()


def append(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[dict[str, Any]],
    fixed: dict[str, Any] | None = None,
) -> None:
    """Set ``prev_hash``, ``hash`` and ``hash_algorithm`` on ``rows`` (attname → value dicts, in the
    order they will be inserted; JSON columns given as their :func:`json_text`; a column a row lacks
    taken from ``fixed``), linked to the chain's head. The caller inserts them in this order in the
    same transaction."""
    if not rows:
        return
    algorithm = hash_algorithm()
    prev = chain_head(model)
    fixed = fixed or {}
    for row in rows:
        values = [row[name] if name in row else fixed[name] for name in columns]
        values[0] = time_text(values[0])
        row["prev_hash"] = prev
        row["hash"] = prev = row_hash(algorithm, values, prev)
        row["hash_algorithm"] = algorithm


# --------------------------------------------------------------------------- verifying


@dataclass(frozen=True)
class BrokenLink:
    table: str
    id: int
    time: dt.datetime | None
    what: str  # "hash": the row's content or hash changed; "prev": the row before it is gone or changed
    expected: str
    stored: str

    def describe(self) -> str:
        kind = (
            "内容哈希不符（该行被修改）" if self.what == "hash" else "前一行哈希不符（前面的行被删除或修改）"
        )
        when = time_text(self.time) if self.time is not None else "-"
        return (
            f"{self.table} 第 {self.id} 行（{when}）：{kind}\n  应为 {self.expected or '（空）'}\n"
            f"  实为 {self.stored or '（空）'}"
        )


@dataclass(frozen=True)
class ChainStatus:
    table: str
    checked: int
    broken: BrokenLink | None
    head_id: int | None  # the newest row: write it down; removing the newest rows is seen only against it
    head_hash: str
    since_checkpoint: int | None  # the id the walk started after (a purge's checkpoint), if any

    @property
    def intact(self) -> bool:
        return self.broken is None


def _models() -> list[tuple[type[models.Model], tuple[str, ...]]]:
    from .models import ObjectChange, SecurityEvent

    return [(ObjectChange, OBJECTCHANGE_COLUMNS), (SecurityEvent, SECURITYEVENT_COLUMNS)]


def _rows(model: type[models.Model], columns: Sequence[str], after_id: int) -> Iterator[dict[str, Any]]:
    fields = ["id", *columns, "prev_hash", "hash", "hash_algorithm"]
    qs = model._default_manager.filter(id__gt=after_id).order_by("id").values(*fields)
    yield from qs.iterator(chunk_size=5000)


def verify_table(
    model: type[models.Model], columns: Sequence[str], *, since: dt.datetime | None = None
) -> ChainStatus:
    """Walk one chain in id order from its newest checkpoint (or from the first row at ``since``)."""
    from .models import SecurityEvent

    table = _table(model)
    checkpoint = latest_checkpoint(table)
    start_after, prev = (checkpoint.last_id, checkpoint.last_hash) if checkpoint is not None else (0, GENESIS)
    manager = model._default_manager
    if checkpoint is not None:
        # A purge records itself in the security log's chain: a checkpoint without that event was not
        # written by ``zonedesk audit purge``.
        recorded = SecurityEvent.objects.filter(
            event="audit.purged", detail__table=table, detail__last_id=checkpoint.last_id
        ).exists()
        if not recorded:
            first = manager.filter(id__gt=start_after).order_by("id").values("id", "time").first()
            return ChainStatus(
                table,
                0,
                BrokenLink(
                    table,
                    first["id"] if first else checkpoint.last_id,
                    first["time"] if first else checkpoint.time,
                    "prev",
                    "audit.purged",
                    "（清理检查点没有对应的清理记录）",
                ),
                None,
                "",
                checkpoint.last_id,
            )
    if since is not None:
        first_id = (
            manager.filter(id__gt=start_after, time__gte=since)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
        if first_id is None:
            start_after = manager.order_by("-id").values_list("id", flat=True).first() or start_after
        before = (
            manager.filter(id__gt=start_after, id__lt=first_id or 0)
            .order_by("-id")
            .values("id", "hash")
            .first()
        )
        if before is not None:
            start_after, prev = before["id"], before["hash"]
    checked = 0
    head_id: int | None = None
    for row in _rows(model, columns, start_after):
        if row["prev_hash"] != prev:
            return ChainStatus(
                table, checked, BrokenLink(table, row["id"], row["time"], "prev", prev, row["prev_hash"]),
                head_id, prev, checkpoint.last_id if checkpoint else None,
            )  # fmt: skip
        expected = row_hash(row["hash_algorithm"] or "sha256", canonical(columns, row), prev)
        if row["hash"] != expected:
            return ChainStatus(
                table, checked, BrokenLink(table, row["id"], row["time"], "hash", expected, row["hash"]),
                head_id, prev, checkpoint.last_id if checkpoint else None,
            )  # fmt: skip
        prev = row["hash"]
        head_id = row["id"]
        checked += 1
    return ChainStatus(table, checked, None, head_id, prev, checkpoint.last_id if checkpoint else None)


def verify(*, since: dt.datetime | None = None) -> list[ChainStatus]:
    """Both chains: the history, then the security log."""
    return [verify_table(model, columns, since=since) for model, columns in _models()]


# --------------------------------------------------------------------------- purging


def purge(*, now: dt.datetime | None = None, label: str = "zonedesk audit purge") -> list[dict[str, Any]]:
    """Remove each chain's rows older than the retention (a prefix by id, so what stays is still one
    chain), leaving a checkpoint and a chained "audit.purged" event per table that lost rows."""
    from .models import AuditCheckpoint
    from .security_record import record_event

    now = now or timezone.now()
    days = retention_days()
    cutoff = now - dt.timedelta(days=days)
    done: list[dict[str, Any]] = []
    for model, _columns in _models():
        table = _table(model)
        with transaction.atomic():
            chain_head(model)  # the chain's lock: nobody appends while its start moves
            manager = model._default_manager
            keep = manager.filter(time__gte=cutoff).order_by("id").values_list("id", flat=True).first()
            doomed = manager.filter(id__lt=keep) if keep is not None else manager.all()
            last = doomed.order_by("-id").values("id", "hash", "time").first()
            if last is None:
                continue
            removed = doomed.count()
            AuditCheckpoint.objects.create(
                table_name=table,
                time=now,
                last_id=last["id"],
                last_hash=last["hash"],
                last_time=last["time"],
                removed=removed,
                retention_days=days,
            )
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # The trigger lets a DELETE through only with this setting, under a checkpoint, and
                    # only for rows older than 180 days (append_only.py).
                    cursor.execute("SET LOCAL zonedesk.audit_purge = 'on'")
                cursor.execute(f'DELETE FROM "{table}" WHERE "id" <= %s', [last["id"]])
                if connection.vendor == "postgresql":
                    cursor.execute("SET LOCAL zonedesk.audit_purge = 'off'")
            detail = {
                "table": table,
                "last_id": last["id"],
                "last_hash": last["hash"],
                "removed": removed,
                "before": time_text(cutoff),
                "retention_days": days,
            }
            record_event("audit.purged", username=label, detail=detail, time=now)
            done.append(detail)
    return done
