"""columns.toml is edited by zone staff: a broken file must say what is wrong, in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

from zonedesk.ledgerio.config import CONFIG_PATH, ConfigError, load_config


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "columns.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _shipped_with(tmp_path: Path, extra: str) -> Path:
    return _write(tmp_path, CONFIG_PATH.read_text(encoding="utf-8") + "\n" + extra)


def test_shipped_file_loads_and_maps_stage_words():
    config = load_config()
    assert config.stage_words["已投产"] == "in_production"
    assert config.stage_words["试生产"] == "in_production"
    assert config.stage_words["跟踪中"] == "negotiating"
    assert config.status_words["暂停"] == "paused"
    assert config.header_units["㎡"] == "平方米"
    assert config.fields["total_investment_wan"].unit == "万元"
    assert config.fields["land_area_mu"].verbose_name == "用地面积（亩）"


def test_toml_syntax_error_is_reported_with_file_name(tmp_path):
    with pytest.raises(ConfigError, match=r"^导入列配置文件 columns.toml 有误：格式错误"):
        load_config(_write(tmp_path, "[fields.name\nsynonyms = ["))


def test_field_that_project_lacks_is_refused(tmp_path):
    path = _shipped_with(
        tmp_path, '[fields.budget_wan]\nsynonyms = ["预算"]\nkind = "money"\nunit = "万元"\n'
    )
    with pytest.raises(ConfigError, match="字段 budget_wan 不是项目（Project）的字段"):
        load_config(path)


def test_unknown_kind_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="kind“number”无效"):
        load_config(
            _shipped_with(
                tmp_path, '[fields.stage_entered_on]\nsynonyms = ["进入阶段日期"]\nkind = "number"\n'
            )
        )


def test_money_field_needs_a_known_unit(tmp_path):
    text = CONFIG_PATH.read_text(encoding="utf-8").replace(
        'synonyms = ["固定资产投资", "固投"]\nkind = "money"\nunit = "万元"',
        'synonyms = ["固定资产投资", "固投"]\nkind = "money"\nunit = "万块"',
    )
    with pytest.raises(ConfigError, match="字段 fixed_asset_investment_wan 的金额单位“万块”无法识别"):
        load_config(_write(tmp_path, text))


def test_same_stage_word_for_two_stages_is_refused(tmp_path):
    text = CONFIG_PATH.read_text(encoding="utf-8").replace(
        'at_capacity = ["达产"', 'at_capacity = ["在建", "达产"'
    )
    with pytest.raises(ConfigError, match="“在建”同时对应 started 和 at_capacity"):
        load_config(_write(tmp_path, text))


def test_same_header_for_two_fields_is_refused(tmp_path):
    text = CONFIG_PATH.read_text(encoding="utf-8").replace(
        '"固定资产投资", "固投"', '"固定资产投资", "总投资"'
    )
    with pytest.raises(ConfigError, match="表头“总投资”同时出现在字段"):
        load_config(_write(tmp_path, text))


def test_unknown_stage_code_is_refused(tmp_path):
    text = CONFIG_PATH.read_text(encoding="utf-8").replace("at_capacity = [", "full_output = [")
    with pytest.raises(ConfigError, match="代码“full_output”无效"):
        load_config(_write(tmp_path, text))


def test_a_zone_can_add_a_synonym_without_code(tmp_path):
    text = CONFIG_PATH.read_text(encoding="utf-8").replace('"包联领导", ', '"包抓领导", "包联领导", ')
    config = load_config(_write(tmp_path, text))
    from zonedesk.ledgerio.reader import match_header

    assert match_header("包抓领导", config) == ("leader_name", None)
