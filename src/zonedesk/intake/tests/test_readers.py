import pytest

from zonedesk.core.errors import ValidationFailed
from zonedesk.intake.readers import MAX_UPLOAD_BYTES, read_upload

from .makefiles import encrypt_pdf, make_docx, make_pdf

LINE = "长治高新区年产５万吨铝材项目签约，总投资约3.2亿元，占地120亩。"


def _error(name, data, size=None):
    with pytest.raises(ValidationFailed) as exc:
        read_upload(name, data, size=size)
    return exc.value.fields["file"][0]


def test_utf8_and_gbk_text_files_read_the_same():
    assert read_upload("a.txt", ("\ufeff" + LINE).encode("utf-8")) == ("txt", LINE)
    assert read_upload("b.TXT", LINE.encode("gb18030")) == ("txt", LINE)


def test_windows_line_ends_become_newlines():
    assert read_upload("a.txt", "第一行\r\n第二行".encode()) == ("txt", "第一行\n第二行")


def test_docx_paragraphs_and_table_rows_in_document_order():
    data = make_docx(
        ["重点项目推进情况", LINE],
        table=[["序号", "项目名称", "总投资(万元)"], ["1", "智能农机装备产业园项目", "45000"]],
    )
    kind, text = read_upload("report.docx", data)
    assert kind == "docx"
    assert text == (
        "重点项目推进情况\n" + LINE + "\n序号\t项目名称\t总投资(万元)\n1\t智能农机装备产业园项目\t45000\n"
    )


def test_pdf_text_layer_round_trips_chinese():
    data = make_pdf([LINE, "投资12。5億元的江苏远航新材料项目"])
    assert read_upload("r.pdf", data) == ("pdf", LINE + "\n投资12。5億元的江苏远航新材料项目\n")


def test_encrypted_pdf_is_refused_in_chinese():
    data = encrypt_pdf(make_pdf([LINE]))
    assert _error("secret.pdf", data) == "secret.pdf：PDF 已加密，需要密码才能打开，请解除密码后上传"


def test_pdf_without_a_text_layer_is_refused():
    assert _error("scan.pdf", make_pdf([])) == (
        "scan.pdf：PDF 中没有可提取的文字（可能是扫描件），请上传带文字层的 PDF 或直接粘贴文本"
    )


def test_broken_files_are_refused_with_their_name():
    assert _error("bad.pdf", b"%PDF-1.4 not really") == "bad.pdf：不是有效的 PDF 文件，或文件已损坏"
    assert _error("bad.docx", b"PK\x03\x04garbage") == "bad.docx：不是有效的 Word（.docx）文档，或文件已损坏"
    assert (
        _error("old.doc", b"\xd0\xcf\x11\xe0")
        == "old.doc：不支持旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后上传"
    )
    assert _error("x.xlsx", b"PK") == "x.xlsx：仅支持 .txt、.docx、.pdf 文件"
    assert _error("empty.txt", b"") == "empty.txt：文件是空的"
    assert _error("blank.txt", b"  \n ") == "blank.txt：文件中没有文字"


def test_oversized_files_are_refused_before_reading_them():
    assert (
        _error("big.txt", b"x", size=MAX_UPLOAD_BYTES + 1)
        == "big.txt：文件大小超过 10 MB 上限（本文件 10.0 MB）"
    )
