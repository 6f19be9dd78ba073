"""A person uploading a hostile ledger in Chromium: the refusal in Chinese on the page, the batch marked
failed, and the same message when the batch is opened again."""

import pytest

from zonedesk.ledgerio.models import ImportBatch
from zonedesk.testing import hostile

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(page, url, name, data):
    page.goto(f"{url}/ledger-io/")
    page.set_input_files(
        "input[name=file]", {"name": name, "mimeType": "application/octet-stream", "buffer": data}
    )
    page.click("form[action$='/upload/'] button[type=submit]")
    page.wait_for_load_state()


def test_bombs_are_refused_on_the_page_in_chinese(world, open_as, live_server, screenshot):
    page = open_as(world.officer_a)
    _upload(page, live_server.url, "炸弹.xlsx", hostile.xlsx_expanding(3))
    assert (
        "炸弹.xlsx：解压后超过 300 MB 上限（本文件解压后约 3 GB）" in page.locator(".msg.error").inner_text()
    )
    screenshot(page, "ledgerio-upload-refused")

    _upload(page, live_server.url, "长单元格.xlsx", hostile.xlsx_huge_cell(1_000_000))
    message = "工作表“Sheet1”第1行 A列的文字超过 32767 字上限（约 1000000 字）"
    assert page.locator("[role=alert]").inner_text() == message
    assert "读取失败" in page.locator("h1 + p").inner_text()
    screenshot(page, "ledgerio-batch-failed")
    page.reload()
    assert page.locator("[role=alert]").inner_text() == message
    assert sorted(ImportBatch.objects.values_list("status", flat=True)) == ["failed", "failed"]
