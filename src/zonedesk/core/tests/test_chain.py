# mypy: disable-error-code="union-attr,arg-type"
"""The audit record: one hash chain per table, found broken by an edit or a deletion, append-only in
the database, kept at least 180 days and purged only through ``zonedesk audit purge``."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import logging
import threading

import orjson
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from zonedesk.core import append_only, chain
from zonedesk.core.audit import acting_as, log_change
from zonedesk.core.auditlog.cli import cmd_purge, cmd_verify
from zonedesk.core.models import AuditCheckpoint, ObjectChange, SecurityEvent
from zonedesk.core.security_record import record_event
from zonedesk.geo.models import Zone

T0 = dt.datetime(2026, 12, 1, 8, 0, 0, 123456, tzinfo=dt.UTC)


def _verify_output(capsys, since: str | None = None) -> tuple[int, str]:
    code = cmd_verify(argparse.Namespace(since=since))
    return code, capsys.readouterr().out


def _three_changes(world):
    """Three history rows of zone A, written by log_change."""
    zone = world.zone_a
    with acting_as(world.admin, "test"):
        rows = [
            log_change(zone, "update", {"name": "甲"}, {"name": f"甲{i}"}, note=f"第{i}次") for i in range(3)
        ]
    return rows


def test_a_history_row_carries_the_sha256_of_its_content_and_the_previous_hash(world):
    first, second, _third = _three_changes(world)
    before = ObjectChange.objects.filter(pk__lt=first.pk).order_by("-pk").first()
    assert first.prev_hash == (before.hash if before else "")
    assert second.prev_hash == first.hash
    stored = ObjectChange.objects.get(pk=second.pk)
    ct = ContentType.objects.get_for_model(Zone).pk
    content = [
        chain.time_text(stored.time),
        ct,
        world.zone_a.pk,
        str(world.zone_a),
        "update",
        world.admin.pk,
        "admin",
        "test",
        stored.request_id,
        '{"name":"甲"}',
        '{"name":"甲1"}',
        '{"name":["甲","甲1"]}',
        "第1次",
        first.hash,
    ]
    assert stored.hash == hashlib.sha256(orjson.dumps(content)).hexdigest()
    assert (stored.hash_algorithm, len(stored.hash)) == ("sha256", 64)


def test_sm3_is_the_gmt_0004_digest_from_openssl_and_from_gmssl_alike():
    expected = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"  # GM/T 0004 example 1
    assert chain.digest("sm3", b"abc") == expected
    assert chain.gmssl_sm3(b"abc") == expected
    row = orjson.dumps(["2026-12-01T08:00:00.123456", "login.failed", None, "张三", "10.0.0.1", "", "{}", ""])
    assert chain.digest("sm3", row) == chain.gmssl_sm3(row)


def test_the_chain_is_sm3_when_configured_and_verifies(world, settings, capsys):
    settings.ZONEDESK_AUDIT_HASH = "sm3"
    first, second, third = _three_changes(world)
    assert [ObjectChange.objects.get(pk=r.pk).hash_algorithm for r in (first, second, third)] == ["sm3"] * 3
    expected = chain.row_hash(
        "sm3",
        chain.canonical(chain.OBJECTCHANGE_COLUMNS, ObjectChange.objects.filter(pk=third.pk).values()[0]),
        second.hash,
    )
    assert third.hash == expected
    code, out = _verify_output(capsys)
    assert code == 0 and out.endswith("）\n") and "完整（" in out.splitlines()[-1]


def test_verify_says_complete_when_nothing_was_changed(world, capsys):
    _three_changes(world)
    history = ObjectChange.objects.count()
    events = SecurityEvent.objects.count()
    code, out = _verify_output(capsys)
    lines = out.splitlines()
    last_change = ObjectChange.objects.order_by("-pk").first()
    assert code == 0
    assert lines[0] == f"core_objectchange：完整（{history} 行，末行 {last_change.pk}：{last_change.hash}）"
    assert lines[1].startswith(f"core_securityevent：完整（{events} 行，末行 ")
    assert lines[2].startswith("完整（")


def test_an_edited_row_is_the_first_broken_link(world, capsys):
    first, second, _third = _three_changes(world)
    append_only.uninstall(
        connection
    )  # as a forger with the database's owner rights would (rolled back with the test)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_objectchange SET actor_label = %s WHERE id = %s", ["officer_b", second.pk]
        )
    row = ObjectChange.objects.filter(pk=second.pk).values()[0]
    expected = chain.row_hash("sha256", chain.canonical(chain.OBJECTCHANGE_COLUMNS, row), first.hash)
    code, out = _verify_output(capsys)
    assert code == 1
    assert out.splitlines()[:3] == [
        f"断链：core_objectchange 第 {second.pk} 行（{chain.time_text(row['time'])}）：内容哈希不符（该行被修改）",
        f"  应为 {expected}",
        f"  实为 {second.hash}",
    ]
    [status, _events] = chain.verify()
    assert (status.broken.id, status.broken.what, status.broken.stored) == (second.pk, "hash", second.hash)


def test_a_deleted_row_is_found_at_the_row_after_it(world, capsys):
    first, second, third = _three_changes(world)
    append_only.uninstall(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_objectchange WHERE id = %s", [second.pk])
    code, out = _verify_output(capsys)
    assert code == 1
    assert out.splitlines()[:3] == [
        f"断链：core_objectchange 第 {third.pk} 行（{chain.time_text(third.time)}）：前一行哈希不符（前面的行被删除或修改）",
        f"  应为 {first.hash}",
        f"  实为 {second.hash}",
    ]


def test_verify_since_a_date_checks_the_link_to_the_row_before_it(world, capsys):
    _first, second, third = _three_changes(world)
    append_only.uninstall(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_objectchange WHERE id = %s", [second.pk])
    code, out = _verify_output(capsys, since=timezone.localdate().isoformat())
    assert code == 1 and f"第 {third.pk} 行" in out
    assert cmd_verify(argparse.Namespace(since="2026-13-01")) == 2
    assert capsys.readouterr().err == "错误：--since 应为日期 YYYY-MM-DD，而不是“2026-13-01”\n"


def test_the_database_refuses_update_and_delete_of_audit_rows(world):
    [row, *_rest] = _three_changes(world)
    event = SecurityEvent.objects.order_by("pk").first()
    attempts = [
        lambda: ObjectChange.objects.filter(pk=row.pk).update(actor_label="forged"),
        lambda: ObjectChange.objects.get(pk=row.pk).delete(),
        lambda: SecurityEvent.objects.filter(pk=event.pk).update(username="forged"),
        lambda: SecurityEvent.objects.filter(pk=event.pk).delete(),
        lambda: connection.cursor().execute("UPDATE core_objectchange SET note = 'x'"),
        lambda: connection.cursor().execute("DELETE FROM core_securityevent"),
    ]
    messages = []
    for attempt in attempts:
        with pytest.raises(DatabaseError) as caught, transaction.atomic():
            attempt()
        messages.append("审计记录只可追加" in str(caught.value))
    assert messages == [True] * len(attempts)
    assert ObjectChange.objects.get(pk=row.pk).actor_label == "admin"
    assert SecurityEvent.objects.get(pk=event.pk).username == event.username
    kinds = ("no_update", "no_delete") if connection.vendor == "sqlite" else ("append_only", "no_truncate")
    assert append_only.installed(connection) == {f"{t}_{k}" for t in append_only.TABLES for k in kinds}


def test_a_user_with_history_cannot_be_deleted(world):
    from django.db.models import ProtectedError

    _three_changes(world)
    with pytest.raises(ProtectedError), transaction.atomic():
        world.admin.delete()


def test_an_import_of_50_rows_chains_its_history_and_verifies(world):
    from zonedesk.ledgerio.importer import apply_import
    from zonedesk.ledgerio.tests.zone_ledgers import simple_rows, simple_workbook

    before = ObjectChange.objects.count()
    plan, _batch = apply_import(
        simple_workbook(simple_rows(50)), user=world.officer_a, zone=world.zone_a, file_name="台账.xlsx"
    )
    assert plan.counts["created"] == 50
    rows = list(ObjectChange.objects.filter(pk__gt=0).order_by("pk").values("prev_hash", "hash"))
    assert len(rows) - before >= 50
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(rows))
    changed = [[*r[:3], r[3] + 1, *r[4:]] for r in simple_rows(50)]
    apply_import(simple_workbook(changed), user=world.officer_a, zone=world.zone_a, file_name="台账2.xlsx")
    [history, events] = chain.verify()
    assert (history.broken, events.broken) == (None, None)
    assert history.checked == ObjectChange.objects.count()
    assert ObjectChange.objects.filter(action="update", content_type__model="project").count() == 50


def test_security_log_records_carry_their_columns_and_chain(world, client):
    logging.getLogger("zonedesk.security").warning(
        "account.locked",
        extra={
            "event": "account.locked",
            "username": "own",
            "user_id": world.own_user.pk,
            "address": "10.0.0.9",
            "failures": 5,
        },
    )
    event = SecurityEvent.objects.order_by("-pk").first()
    assert (event.event, event.username, event.user_id, event.address, event.detail) == (
        "account.locked",
        "own",
        world.own_user.pk,
        "10.0.0.9",
        {"failures": 5, "level": "warning"},
    )
    client.post("/login/", {"username": "own", "password": "wrong"})
    failed = SecurityEvent.objects.order_by("-pk").first()
    assert (failed.event, failed.username, failed.address, failed.prev_hash) == (
        "login.failed",
        "own",
        "127.0.0.1",
        event.hash,
    )


def test_grant_export_and_bulletin_events_are_recorded(world, client):
    assert SecurityEvent.objects.filter(event="grant.created", username="officer_a").count() == 1
    client.force_login(world.officer_a)
    response = client.get("/ledger-io/export/", {"zone": world.zone_a.pk, "format": "csv"})
    assert response.status_code == 200
    exported = SecurityEvent.objects.filter(event="data.exported").get()
    assert (
        exported.username,
        exported.detail["format"],
        exported.detail["rows"],
        exported.detail["via"],
    ) == (
        "officer_a",
        "csv",
        0,
        "web",
    )


def test_the_audit_page_is_for_the_security_log_readers_only(world, client):
    assert client.get("/audit/").status_code == 302  # to the login page
    for user in (world.officer_a, world.nogrant, world.city_officer):
        client.force_login(user)
        assert [client.get(p).status_code for p in ("/audit/", "/audit/export.csv")] == [404, 404]
    assert not SecurityEvent.objects.filter(event="audit.exported").exists()
    client.force_login(world.admin)
    page = client.get(
        "/audit/", {"event": "grant.created", "page": "99999999999999999999", "start": "0000-01-01"}
    )
    assert page.status_code == 200
    assert (
        page.context["page"].paginator.count
        == SecurityEvent.objects.filter(event="grant.created").count()
        == 6
    )
    assert page.context["errors"] == ["起始日期应为 1990–2100 年间的日期 YYYY-MM-DD"]
    verified = client.get("/audit/", {"verify": "1"})
    assert [c.intact for c in verified.context["chains"]] == [True, True]
    assert "完整" in verified.content.decode()


def test_the_exported_log_escapes_formula_cells(world, client):
    record_event("login.failed", username='=HYPERLINK("http://x")', address="10.0.0.1", detail={})
    client.force_login(world.admin)
    response = client.get("/audit/export.csv", {"event": "login.failed"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "编号,时间,事件,用户名,来源地址,请求编号,详情,前一行哈希,哈希,算法"
    assert '\'=HYPERLINK(""http://x"")' in lines[1]
    assert SecurityEvent.objects.filter(event="audit.exported", username="admin").get().detail["rows"] == 1


def test_retention_is_never_below_180_days(settings):
    settings.ZONEDESK_AUDIT_RETENTION_DAYS = 30
    assert chain.retention_days() == 180
    settings.ZONEDESK_AUDIT_RETENTION_DAYS = 400
    assert chain.retention_days() == 400


@pytest.mark.django_db(transaction=True)
def test_purge_of_an_old_prefix_leaves_a_checkpoint_and_an_unbroken_chain(capsys):
    now = timezone.now()
    old = now - dt.timedelta(days=200)
    ct = ContentType.objects.get_for_model(Zone)
    with acting_as(None, "test", label="测试"):
        olds = [
            ObjectChange.objects.create(
                time=old + dt.timedelta(minutes=i),
                content_type=ct,
                object_id=1,
                object_repr="旧",
                action="update",
                actor_label="测试",
                source="test",
                changes={"n": [i, i + 1]},
            )
            for i in range(3)
        ]
        recent = ObjectChange.objects.create(
            time=now, content_type=ct, object_id=1, object_repr="新", action="update", actor_label="测试",
            source="test", changes={"n": [3, 4]},
        )  # fmt: skip
    [record_event("login.succeeded", username="admin", time=old + dt.timedelta(minutes=i)) for i in range(2)]
    record_event("login.succeeded", username="admin", time=now)
    with pytest.raises(DatabaseError), transaction.atomic():
        ObjectChange.objects.filter(pk=olds[0].pk).delete()  # old, but no purge and no checkpoint
    assert cmd_purge(argparse.Namespace()) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert out[0].startswith("core_objectchange：已清理 3 行（早于 ") and out[0].endswith(
        f"保留 180 天），检查点：第 {olds[2].pk} 行 {olds[2].hash}"
    )
    assert out[1].startswith("core_securityevent：已清理 2 行")
    assert list(ObjectChange.objects.values_list("pk", flat=True)) == [recent.pk]
    checkpoints = list(
        AuditCheckpoint.objects.order_by("table_name").values_list("table_name", "last_id", "removed")
    )
    assert checkpoints[0] == ("core_objectchange", olds[2].pk, 3)
    assert checkpoints[1][0::2] == ("core_securityevent", 2)
    assert ObjectChange.objects.get(pk=recent.pk).prev_hash == olds[2].hash
    [history, events] = chain.verify()
    assert (history.broken, history.checked, history.since_checkpoint) == (None, 1, olds[2].pk)
    assert (events.broken, events.checked) == (None, 3)  # today's login and the two purge records
    assert SecurityEvent.objects.filter(event="audit.purged").count() == 2
    assert cmd_verify(argparse.Namespace(since=None)) == 0


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_writers_leave_one_unbroken_chain():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers by its IMMEDIATE transactions; the race is PostgreSQL's")
    zone_ct = ContentType.objects.get_for_model(Zone)
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    class Target:
        pk = 1

        def __str__(self) -> str:
            return "目标"

    def writer(name: str) -> None:
        from django.db import connection as own

        try:
            barrier.wait()
            for i in range(20):
                with transaction.atomic(), acting_as(None, "test", label=name):
                    log_change(Target(), "update", {"n": i}, {"n": i + 1}, note=name)
        except BaseException as exc:  # noqa: BLE001 — reported by the assertion below
            failures.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("甲", "乙")]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ContentType.objects, "get_for_model", lambda model: zone_ct)
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert failures == []
    rows = list(ObjectChange.objects.order_by("pk").values_list("prev_hash", "hash"))
    assert len(rows) == 40
    assert [prev for prev, _h in rows] == ["", *[h for _p, h in rows[:-1]]]
    [history, _events] = chain.verify()
    assert (history.broken, history.checked) == (None, 40)
