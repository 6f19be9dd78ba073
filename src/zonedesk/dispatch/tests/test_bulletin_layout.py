import datetime as dt
import io
import tomllib

import pytest
from docx import Document

from zonedesk.dispatch.bulletin import (
    BulletinConfigError,
    build_bulletin_data,
    get_layout,
    load_layout,
    parse_layout,
    render_docx,
    sections,
)
from zonedesk.dispatch.bulletin.layout import LAYOUT_FILE
from zonedesk.dispatch.metrics import Window, get_config

OCT = Window.parse("2026-10")


def _layout_data():
    return tomllib.loads(LAYOUT_FILE.read_text(encoding="utf-8"))


def test_the_shipped_layout_lists_every_kpi_in_the_kpi_files_order():
    layout = get_layout()
    assert layout.kpis == tuple(get_config().kpis)
    assert [s.kind for s in layout.sections][:4] == ["kpis", "ranking", "red_list", "black_list"]
    assert (layout.list_limit, layout.charts) == (20, True)


def _refused(data) -> dict:
    with pytest.raises(BulletinConfigError) as exc:
        parse_layout(data)
    assert exc.value.message == "通报配置有误"
    return exc.value.fields


def test_a_wrong_layout_is_refused_in_chinese_naming_the_key():
    data = _layout_data()
    data["section"][1]["kind"] = "rankings"
    assert list(_refused(data)) == ["section[2].kind"]
    assert _refused(data)["section[2].kind"][0].endswith("之一：rankings")

    data = _layout_data()
    data["section"][0]["kpis"] = ["signed_count", "no_such_kpi"]
    assert _refused(data) == {"section[1].kpis": ["kpis.toml 中没有这些指标：no_such_kpi"]}

    data = _layout_data()
    data["section"][2]["kpis"] = ["signed_count"]
    assert _refused(data) == {"section[3].kpis": ['只有 kind = "kpis" 的一节可以列出指标（此节为 red_list）']}

    data = _layout_data()
    data["section"][3]["heading"] = "二、{zone}综合排名"
    assert _refused(data) == {"section[4].heading": ["标题中只能使用 {entity}：二、{zone}综合排名"]}

    data = _layout_data()
    data["section"][4]["colour"] = "red"
    assert _refused(data) == {"section[5]": ["未知的键：colour"]}

    assert _refused({**_layout_data(), "list_limit": 0}) == {
        "list_limit": ["list_limit 应为 1–1000 的整数：0"]
    }
    assert _refused({**_layout_data(), "charts": "yes"}) == {"charts": ["charts 应为 true 或 false：yes"]}
    assert _refused({"list_limit": 5}) == {"section": ["缺少 [[section]] 各节定义"]}


def test_a_layout_file_that_is_not_toml_is_refused_naming_the_file(tmp_path):
    bad = tmp_path / "bulletin.toml"
    bad.write_text("[[section]\nkind = 'kpis'\n", encoding="utf-8")
    with pytest.raises(BulletinConfigError) as exc:
        load_layout(bad)
    assert list(exc.value.fields) == ["bulletin.toml"]
    assert exc.value.fields["bulletin.toml"][0].startswith("TOML 格式错误")


def test_the_bulletin_shows_the_sections_and_kpis_its_layout_lists(dw):
    layout = parse_layout(
        {
            "list_limit": 1,
            "charts": False,
            "section": [
                {"kind": "overdue", "heading": "一、超时限未开工"},
                {"kind": "kpis", "heading": "二、{entity}指标", "kpis": ["closure_rate", "signed_count"]},
                {"kind": "open_issues", "heading": "三、在办事项"},
            ],
        }
    )
    data = build_bulletin_data(
        dw.w.admin, OCT, issued_on=dt.date(2026, 11, 21), layout=layout
    )  # the province
    tables = sections(data)
    assert [heading for heading, _header, _rows in tables] == [
        "一、超时限未开工",
        "二、开发区指标",
        "三、在办事项",
    ]
    assert tables[1][2] == [["办结率", "50.00", "%"], ["签约项目数", "3", "个"]]
    assert [row[0] for row in tables[2][2]] == [
        "乙项目用地指标",
        "另有1件在办事项，详见调度工作台",
    ]  # limit 1 of 2
    assert data.charts == []
    text = "\n".join(p.text for p in Document(io.BytesIO(render_docx(data))).paragraphs)
    assert "二、开发区指标" in text and "附图" not in text and "综合排名" not in text
