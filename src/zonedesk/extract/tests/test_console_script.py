"""`zonedesk extract` reaches the extractor through the console script's dispatcher."""

import json

from zonedesk.cli import main


def test_zonedesk_extract_json_prints_one_object_per_file(tmp_path, capsys):
    first = tmp_path / "a.txt"
    first.write_text(
        "今年3月，兴县经济技术开发区与某公司年产120万件零部件项目签约，总投资3亿元。", encoding="utf-8"
    )
    second = tmp_path / "b.txt"
    second.write_text("盘活低效用地300余亩。", encoding="utf-8")
    assert main(["extract", "--json", str(first), str(second)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    docs = [json.loads(line) for line in lines]
    assert [d["source"] for d in docs] == [str(first), str(second)]
    money = [f for f in docs[0]["facts"] if f["kind"] == "money"]
    assert [(m["text"], m["value"], m["currency"]) for m in money] == [("3亿元", 30000, "CNY")]
    area = [f for f in docs[1]["facts"] if f["kind"] == "area"]
    assert [(a["text"], a["value"], a["unit"], a["approx"]) for a in area] == [("300余亩", 300, "亩", True)]
