"""Hostile reports: a .docx is a zip under the same limits; each refused on the API and the page with its
Chinese message, nothing stored, under the memory bound."""

from __future__ import annotations

import functools
import itertools
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zonedesk.core import uploads
from zonedesk.core.errors import ValidationFailed
from zonedesk.core.uploads import MB, UploadRefused
from zonedesk.intake.models import SourceDocument
from zonedesk.intake.readers import read_upload
from zonedesk.testing import hostile

from .makefiles import make_docx

BOUND = 300 * MB
BASE = "/api/v1/intake"


@functools.cache
def bomb(name: str) -> bytes:
    return {
        "docx_3gb": lambda: hostile.docx_expanding(3),
        "docx_lying_header": lambda: hostile.docx_expanding(0.1, lie_to=5 * MB),
        "xxe": hostile.docx_xxe,
        "nested": hostile.docx_nested,
        "members": lambda: hostile.zip_members(2000),
    }[name]()


BOMBS = [
    ("docx_3gb", 422, "报告.docx：解压后超过 300 MB 上限（本文件解压后约 3 GB）"),
    (
        "xxe",
        422,
        "报告.docx：文件中的“word/document.xml”含有 DTD 或实体声明（<!DOCTYPE>），出于安全原因不予读取",
    ),
    ("nested", 422, "报告.docx：文件中的“word/document.xml” XML 嵌套层数过深，超过解析器上限"),
    ("members", 422, "报告.docx：压缩包内文件数超过 1000 个上限（本文件 2000 个）"),
]


@pytest.mark.parametrize(("name", "status", "message"), BOMBS, ids=[b[0] for b in BOMBS])
def test_each_docx_bomb_is_refused_under_the_memory_bound(name, status, message):
    with hostile.measure() as used, pytest.raises(UploadRefused) as caught:
        read_upload("报告.docx", bomb(name))
    assert (caught.value.status, caught.value.message) == (status, message)
    assert used.peak_bytes < BOUND and used.rss_delta_bytes < BOUND


def test_a_header_that_understates_the_size_reads_no_more_than_it_says():
    # zipfile stops at the declared 5 MB; the check of the CRC then finds the lie.
    with hostile.measure() as used, pytest.raises(ValidationFailed) as caught:
        read_upload("报告.docx", bomb("docx_lying_header"))
    assert caught.value.message == "报告.docx：不是有效的 Word（.docx）文档，或文件已损坏"
    assert used.peak_bytes < BOUND


@pytest.mark.parametrize(("name", "status", "message"), BOMBS, ids=[b[0] for b in BOMBS])
def test_the_api_answers_each_bomb_with_json_and_stores_nothing(
    api_client, world, token_for, name, status, message
):
    upload = SimpleUploadedFile("报告.docx", bomb(name))
    r = api_client.post(
        f"{BASE}/documents", {"zone": world.zone_a.pk, "file": upload}, **token_for(world.officer_a)
    )
    assert r.status_code == status
    assert r.json() == {"detail": message, "code": "upload_limit", "fields": {"file": [message]}}
    assert SourceDocument.objects.count() == 0


def test_the_api_answers_413_over_the_upload_size(api_client, world, token_for, settings):
    settings.ZONEDESK_UPLOAD_LIMITS = {"INTAKE_UPLOAD_MB": 1}
    upload = SimpleUploadedFile("大.txt", b"x" * (2 * MB))
    r = api_client.post(
        f"{BASE}/documents", {"zone": world.zone_a.pk, "file": upload}, **token_for(world.officer_a)
    )
    assert r.status_code == 413
    assert r.json()["detail"] == "大.txt：文件大小超过 1 MB 上限（本文件 2.0 MB）"


@pytest.mark.parametrize(("name", "status", "message"), BOMBS[:2], ids=[b[0] for b in BOMBS[:2]])
def test_the_page_shows_the_refusal_and_stores_nothing(client, world, name, status, message):
    client.force_login(world.officer_a)
    r = client.post(
        reverse("intake:home"), {"zone": world.zone_a.pk, "file": SimpleUploadedFile("报告.docx", bomb(name))}
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert escape(message) in html
    assert SourceDocument.objects.count() == 0


def test_reading_a_long_document_stops_at_the_time_limit(monkeypatch):
    counter = itertools.count()
    monkeypatch.setattr(uploads, "clock", lambda: float(next(counter)))
    data = make_docx(["长治高新区项目签约。"] * 200)
    with pytest.raises(UploadRefused) as caught:
        read_upload("报告.docx", data)
    assert caught.value.limit == "seconds"
    assert caught.value.message.startswith("报告.docx：读取时间超过 60 秒上限（已读到")


def test_a_document_with_too_many_elements_is_refused_before_python_docx_builds_it(settings):
    settings.ZONEDESK_UPLOAD_LIMITS = {"XML_ELEMENTS": 1000}
    with pytest.raises(UploadRefused) as caught:
        read_upload("报告.docx", make_docx(["一段。"] * 400))
    assert caught.value.message.startswith(
        "报告.docx：文件中的“word/document.xml”元素超过 1000 个上限（已读到 "
    )


def test_an_ordinary_docx_is_still_read():
    kind, text = read_upload("报告.docx", make_docx(["长治高新区项目签约。"]))
    assert (kind, text.strip()) == ("docx", "长治高新区项目签约。")
