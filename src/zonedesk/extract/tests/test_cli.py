import json

import pytest

from zonedesk.extract.__main__ import main as module_main
from zonedesk.extract.cli import main_eval, main_extract

from ._paths import CORPUS_GOLD, CORPUS_TEXTS, OWN_TEXTS, SHARED_MISSING

SAMPLE = "今年3月，兴安经济技术开发区与某某材料有限公司年产5万吨铝材项目签约，总投资约3.2亿元，占地120亩。"


def test_extract_json_prints_one_object_per_file(tmp_path, capsys):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(SAMPLE, encoding="utf-8")
    second.write_text("總投資４５００萬美元。", encoding="utf-8")
    assert main_extract(["--json", "--published", "2024-10-25", str(first), str(second)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    doc = json.loads(lines[0])
    assert doc["source"] == str(first)
    money = [f for f in doc["facts"] if f["kind"] == "money"]
    assert money == [
        {
            "kind": "money",
            "text": "约3.2亿元",
            "start": 38,
            "end": 44,
            "value": 32000,
            "unit": "万",
            "currency": "CNY",
            "approx": True,
        }
    ]
    assert SAMPLE[38:44] == "约3.2亿元"
    assert [f["value"] for f in doc["facts"] if f["kind"] == "date"] == ["2024-03"]
    assert doc["projects"] == [
        {
            "name": "年产5万吨铝材项目",
            "zone": "兴安经济技术开发区",
            "enterprise": "某某材料有限公司",
            "investment_wan": 32000,
            "land_mu": 120,
            "floor_area_m2": None,
            "stage": "signed",
            "sentence": SAMPLE,
            "start": 0,
            "end": len(SAMPLE),
        }
    ]
    assert isinstance(doc["projects"][0]["investment_wan"], int)
    usd = json.loads(lines[1])
    assert [(f["value"], f["currency"]) for f in usd["facts"] if f["kind"] == "money"] == [(4500, "USD")]
    assert "萬" in lines[1]  # ensure_ascii=False


def test_extract_reads_utf8_bom_and_gb18030(tmp_path, capsys):
    bom, gbk = tmp_path / "bom.txt", tmp_path / "gbk.txt"
    bom.write_bytes("\ufeff总投资2000万元。".encode())
    gbk.write_bytes("总投资3000万元。".encode("gb18030"))
    assert main_extract(["--json", str(bom), str(gbk)]) == 0
    values = [
        [f["value"] for f in json.loads(line)["facts"] if f["kind"] == "money"]
        for line in capsys.readouterr().out.splitlines()
    ]
    assert values == [[2000], [3000]]


def test_extract_without_json_prints_a_chinese_summary(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    assert main_extract([str(path)]) == 0
    out = capsys.readouterr().out
    assert "金额：1 处" in out
    assert "约3.2亿元 → 32000 万元（约）" in out
    assert "年产5万吨铝材项目 | 开发区 兴安经济技术开发区 | 企业 某某材料有限公司 | 投资 32000 万元" in out
    assert "阶段 签约" in out


def test_extract_reports_a_missing_file_and_goes_on(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    assert main_extract(["--json", str(tmp_path / "missing.txt"), str(path)]) == 1
    captured = capsys.readouterr()
    assert "missing.txt" in captured.err
    assert len(captured.out.splitlines()) == 1


def test_extract_rejects_a_bad_published_date(capsys):
    with pytest.raises(SystemExit):
        main_extract(["--published", "2024/10/25", "x.txt"])
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_module_dispatches_subcommands(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    assert module_main(["extract", "--json", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["source"] == str(path)
    assert module_main(["nonsense"]) == 2


def _figures(out):
    figures = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] in ("money", "area", "projects"):
            figures[parts[0]] = dict(p.split("=", 1) for p in parts[1:] if "=" in p and not p.startswith("("))
    return figures


@pytest.mark.skipif(not CORPUS_GOLD.is_dir(), reason=SHARED_MISSING)
def test_eval_on_the_corpus_gold_meets_the_targets(capsys):
    assert main_eval([str(CORPUS_GOLD), str(CORPUS_TEXTS)]) == 0
    figures = _figures(capsys.readouterr().out)
    assert float(figures["money"]["f1"]) >= 0.99
    assert float(figures["area"]["f1"]) >= 0.99
    assert float(figures["projects"]["recall"]) >= 0.9


def test_eval_on_our_own_texts_meets_the_targets(capsys):
    assert main_eval([str(OWN_TEXTS), str(OWN_TEXTS)]) == 0
    out = capsys.readouterr().out
    figures = _figures(out)
    assert float(figures["money"]["f1"]) >= 0.99
    assert float(figures["area"]["f1"]) >= 0.99
    assert float(figures["projects"]["recall"]) >= 0.9
    assert "traps     violated=0" in out


def test_eval_rejects_a_missing_directory(tmp_path, capsys):
    assert main_eval([str(tmp_path / "nope"), str(tmp_path)]) == 2
    assert "not a directory" in capsys.readouterr().err
