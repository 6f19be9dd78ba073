"""Chinese full-text search: two-character words, words the segmenter cut differently, investors' names."""

import pytest

from zonedesk.projects import search
from zonedesk.projects.selectors import ProjectFilters, project_list


@pytest.fixture
def found(world):
    world.project(name="年产10万吨碳化硅衬底项目", construction_content="建设碳化硅长晶及衬底加工生产线")
    world.project(name="兴县经开区铝镁新材料项目", progress_note="已签约，正在办理用地手续")
    world.project(name="光伏组件项目", progress_note="洽谈中")
    world.project(world.zone_b, name="兴县绿电园区碳化硅项目")

    def names(user, q):
        return sorted(project_list(user, ProjectFilters(q=q)).values_list("name", flat=True))

    return names


def test_two_character_word_inside_a_longer_run_is_found(world, found):
    assert found(world.admin, "兴县") == ["兴县经开区铝镁新材料项目", "兴县绿电园区碳化硅项目"]
    assert found(world.admin, "签约") == ["兴县经开区铝镁新材料项目"]


def test_three_character_word_matches_as_a_phrase_not_scattered_characters(world, found):
    assert found(world.admin, "碳化硅") == ["兴县绿电园区碳化硅项目", "年产10万吨碳化硅衬底项目"]
    assert found(world.admin, "硅碳化") == []


def test_every_word_of_the_query_must_match(world, found):
    assert found(world.admin, "兴县 碳化硅") == ["兴县绿电园区碳化硅项目"]
    assert found(world.admin, "兴县碳化硅") == ["兴县绿电园区碳化硅项目"]


def test_search_stays_inside_the_users_scope(world, found):
    assert found(world.officer_a, "碳化硅") == ["年产10万吨碳化硅衬底项目"]


def test_traditional_and_full_width_queries_match_simplified_text(world, found):
    assert found(world.admin, "簽約") == ["兴县经开区铝镁新材料项目"]
    assert found(world.admin, "１０万吨") == ["年产10万吨碳化硅衬底项目"]


def test_operator_characters_in_a_query_are_only_text(world, found):
    assert found(world.admin, '"碳化硅" * ( ) : ^') == ["兴县绿电园区碳化硅项目", "年产10万吨碳化硅衬底项目"]
    assert found(world.admin, "'); DROP TABLE x; --") == []


def test_renaming_an_investor_reindexes_its_projects(world):
    from zonedesk.core.audit import acting_as
    from zonedesk.enterprises.services import enterprise_update
    from zonedesk.projects.services import project_update

    project = world.project(name="衬底项目")
    enterprise = world.enterprise(name="山西烁科晶体有限公司")
    with acting_as(world.admin, source="test"):
        project_update(
            user=world.admin, project=project, data={"investors": [enterprise.pk]}, expected_version=None
        )
        assert list(project_list(world.admin, ProjectFilters(q="烁科")).values_list("pk", flat=True)) == [
            project.pk
        ]
        enterprise_update(
            user=world.admin,
            enterprise=enterprise,
            data={"name": "山西天成半导体有限公司"},
            expected_version=None,
        )
    assert list(project_list(world.admin, ProjectFilters(q="天成")).values_list("pk", flat=True)) == [
        project.pk
    ]
    assert list(project_list(world.admin, ProjectFilters(q="烁科")).values_list("pk", flat=True)) == []


def test_document_holds_bigrams_and_latin_words():
    assert search.document_tokens("碳化硅项目", "SiC-2", "兴县") == "碳化 化硅 硅项 项目 sic 2 sic2 兴县"


def test_query_is_cut_into_words_by_the_segmenter():
    assert search.query_terms("兴县碳化硅项目") == [
        ("phrase", ["兴县"]),
        ("phrase", ["碳化", "化硅"]),
        ("phrase", ["项目"]),
    ]
    assert search.query_terms("已签约 硅 SiC") == [
        ("phrase", ["已签", "签约"]),
        ("prefix", ["硅"]),
        ("prefix", ["sic"]),
    ]
