"""The pages follow the user's language; the ledgers read and written stay Chinese forms."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from zonedesk.ledgerio import validate
from zonedesk.ledgerio.export import export_projects
from zonedesk.ledgerio.importer import apply_import
from zonedesk.ledgerio.models import ImportBatch
from zonedesk.projects.models import Project
from zonedesk.testing.world import PASSWORD

from .zone_ledgers import messy_zone_workbook


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def _english(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    client.post("/language/", {"language": "en", "next": "/"})
    return client


def test_an_english_user_imports_a_chinese_ledger_through_english_pages(world, client):
    _english(client, world.officer_a)
    home = client.get(reverse("ledgerio:home")).content.decode()
    assert "Ledger import and export" in home and "台账导入导出" not in home
    client.post(
        reverse("ledgerio:upload"),
        {"zone": world.zone_a.pk, "file": SimpleUploadedFile("台账.xlsx", messy_zone_workbook())},
    )
    batch = ImportBatch.objects.get()
    page = client.get(reverse("ledgerio:batch", args=[batch.pk])).content.decode()
    assert 'id="count-created">3<' in page and ">Import<" in page and "确认导入" not in page
    client.post(reverse("ledgerio:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "applied"
    # 正式合同 and 已落地 in the file were matched by their Chinese labels
    first = Project.objects.get(name="年产10万吨铝基新材料项目")
    assert (first.agreement_type, first.stage, first.total_investment_wan) == (
        "formal",
        "landed",
        Decimal("222200"),
    )


def test_choice_labels_are_remembered_in_chinese_whoever_asks_first(monkeypatch):
    monkeypatch.setattr(validate, "_CHOICES", {})
    with translation.override("en"):
        labels = dict(validate._ledger_labels(Project._meta.get_field("agreement_type").choices))
    assert labels["formal"] == "正式合同"


def test_an_export_made_for_an_english_user_has_chinese_headers_and_drop_downs(world):
    apply_import(messy_zone_workbook(), user=world.officer_a, zone=world.zone_a)
    with translation.override("en"):
        content, name, _type = export_projects(
            Project.objects.filter(zone=world.zone_a), zone_label="长治高新区"
        )
    assert name.endswith(".xlsx")
    ws = load_workbook(io.BytesIO(content)).active
    texts = {str(c.value) for row in ws.iter_rows(max_row=4) for c in row if c.value is not None}
    assert any("项目名称" in t for t in texts) and not any("Project name" in t for t in texts)
    lists = " ".join(str(dv.formula1) for dv in ws.data_validations.dataValidation)
    assert "签约" in lists and "Signed" not in lists
