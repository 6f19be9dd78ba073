"""The pages (upload → preview → apply → undo, export) and the commands, with their permissions."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from zonedesk.ledgerio.models import ImportBatch
from zonedesk.projects.models import Project
from zonedesk.testing.world import PASSWORD

from .zone_ledgers import messy_rows, messy_zone_workbook


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _upload(client, world, data, name="台账.xlsx"):
    return client.post(
        reverse("ledgerio:upload"), {"zone": world.zone_a.pk, "file": SimpleUploadedFile(name, data)}
    )


def test_upload_preview_apply_undo(world, client):
    _login(client, world.officer_a)
    assert client.get(reverse("ledgerio:home")).status_code == 200
    response = _upload(client, world, messy_zone_workbook())
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("ledgerio:batch", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert 'id="count-created">3<' in page and "确认导入" in page
    assert Project.objects.count() == 0
    client.post(reverse("ledgerio:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "applied" and Project.objects.count() == 3
    assert "撤销本次导入" in client.get(reverse("ledgerio:batch", args=[batch.pk])).content.decode()
    client.post(reverse("ledgerio:undo", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "undone" and Project.objects.count() == 0


def test_preview_with_errors_offers_the_annotated_file_and_cannot_apply(world, client):
    _login(client, world.officer_a)
    rows = messy_rows()
    rows[1][4] = "待定"  # 总投资 of row 6
    _upload(client, world, messy_zone_workbook(rows))
    batch = ImportBatch.objects.get()
    page = client.get(reverse("ledgerio:batch", args=[batch.pk])).content.decode()
    assert "第6行 E列（总投资（亿元））：无法识别的金额“待定”" in page and "确认导入" not in page
    client.post(reverse("ledgerio:apply", args=[batch.pk]))
    assert Project.objects.count() == 0
    response = client.get(reverse("ledgerio:annotated", args=[batch.pk]))
    ws = load_workbook(io.BytesIO(response.content))["项目台账"]
    assert ws.cell(row=3, column=17).value == "错误说明"
    assert ws["Q6"].value == "第6行 E列（总投资（亿元））：无法识别的金额“待定”"
    assert ws["E6"].fill.fgColor.rgb.endswith("FFC7CE") and "无法识别的金额" in ws["E6"].comment.text
    assert ws["E5"].comment is None


def test_sibling_zone_user_can_neither_import_into_nor_export_zone_a(world, client):
    world.project(name="甲区项目")
    _login(client, world.officer_b)
    _upload(client, world, messy_zone_workbook())
    assert ImportBatch.objects.count() == 0
    assert client.get(reverse("ledgerio:export"), {"zone": world.zone_a.pk}).status_code == 404
    content = client.get(reverse("ledgerio:export"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "甲区项目" not in content


def test_other_users_batches_are_not_found(world, client):
    _login(client, world.officer_a)
    _upload(client, world, messy_zone_workbook())
    batch = ImportBatch.objects.get()
    client.logout()
    _login(client, world.centre_user)
    assert client.get(reverse("ledgerio:batch", args=[batch.pk])).status_code == 404
    assert client.post(reverse("ledgerio:apply", args=[batch.pk])).status_code == 404


def test_export_uses_the_ledger_filters(world, client):
    world.project(name="储备的项目")
    world.project(name="另一个储备项目")
    _login(client, world.officer_a)
    response = client.get(
        reverse("ledgerio:export"), {"zone": world.zone_a.pk, "q": "另一个", "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and "另一个储备项目" in lines[1]
    xlsx = client.get(reverse("ledgerio:export"), {"zone": world.zone_a.pk, "template": "重点项目调度表"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws.title == "重点项目调度表" and ws["B2"].value == "项目名称"


def test_cli_import_json_and_export(world, tmp_path, capsys):
    from zonedesk.cli import main

    path = tmp_path / "台账.xlsx"
    rows = messy_rows()
    rows[3][11] = "不存在的招商局"
    path.write_bytes(messy_zone_workbook(rows))
    assert main(["import", str(path), "--zone", "长治高新区", "--user", "officer_a", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert (out["created"], out["applied"], Project.objects.count()) == (2, False, 0)
    assert out["errors"] == [
        {
            "sheet": "项目台账",
            "row": 8,
            "column": "L",
            "message": "第8行 L列（责任单位）：未找到单位“不存在的招商局”（须为系统中已有且您有权查看的单位，按全称或简称匹配）",
        }
    ]

    path.write_bytes(messy_zone_workbook())
    assert (
        main(
            [
                "import",
                str(path),
                "--zone",
                str(world.zone_a.pk),
                "--user",
                "officer_a",
                "--dry-run",
                "--json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["created"] == 3 and Project.objects.count() == 0
    assert (
        main(["import", str(path), "--zone", "长治高新技术产业开发区", "--user", "officer_a", "--json"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert (out["created"], out["updated"], out["unchanged"], out["errors"]) == (3, 0, 0, [])
    assert ImportBatch.objects.get().source == "cli"

    assert main(["import", str(path), "--zone", "长治高新区", "--user", "officer_b"]) == 2
    assert "开发区“长治高新区”不存在或您无权访问" in capsys.readouterr().err

    target = tmp_path / "out.xlsx"
    assert main(["export", "--zone", "长治高新区", "--user", "officer_a", "-o", str(target)]) == 0
    assert (
        main(["import", str(target), "--zone", "长治高新区", "--user", "officer_a", "--dry-run", "--json"])
        == 0
    )
    out = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert (out["created"], out["updated"], out["unchanged"]) == (0, 0, 3)
