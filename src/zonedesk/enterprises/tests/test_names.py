"""Enterprise names compare by their normalised form: width, spaces, brackets and legal forms do not count."""

import pytest

from zonedesk.enterprises.models import Enterprise
from zonedesk.enterprises.services import normalize_enterprise_name, renormalize_names


@pytest.mark.parametrize(
    "written",
    [
        "山西 华兴（集团）有限公司",
        "山西华兴集团",
        "山西华兴集团有限公司",
        "山西华兴有限公司",
        "山西华兴(集团)股份有限公司",
        "山西　华兴集团公司",
    ],
)
def test_every_way_of_writing_the_same_enterprise_normalises_alike(written):
    assert normalize_enterprise_name(written) == "山西华兴"


def test_a_legal_form_inside_the_name_is_kept():
    assert normalize_enterprise_name("中国有限公司山西分公司") == "中国有限公司山西分"


@pytest.mark.parametrize(
    "written", ["山西華興集團有限公司", "山西华兴集团有限公司", "山西華興（集團）股份有限公司"]
)
def test_traditional_and_simplified_names_normalise_alike(written):
    assert normalize_enterprise_name(written) == "山西华兴"


@pytest.mark.parametrize(
    ("stored", "asked"),
    [
        ("山西華興有限公司", "山西华兴有限公司"),
        ("山西华兴有限公司", "山西華興有限公司"),
    ],
)
def test_an_enterprise_is_found_by_its_name_in_the_other_script(world, stored, asked):
    enterprise = world.enterprise(stored)
    assert enterprise.normalized_name == "山西华兴"
    found = Enterprise.objects.filter(normalized_name=normalize_enterprise_name(asked))
    assert list(found.values_list("pk", flat=True)) == [enterprise.pk]


def test_renormalize_names_recomputes_every_stale_key_in_batches(world):
    traditional = world.enterprise("山西華興有限公司")
    simplified = world.enterprise("长治华兴铝业有限公司")
    bracketed = world.enterprise("晉城（集團）有限公司")
    # keys as the rule before 0004 stored them: traditional characters kept
    Enterprise.objects.filter(pk=traditional.pk).update(normalized_name="山西華興")
    Enterprise.objects.filter(pk=bracketed.pk).update(normalized_name="晉城")

    assert renormalize_names(Enterprise, batch_size=2) == 2

    keys = dict(Enterprise.objects.values_list("pk", "normalized_name"))
    assert keys == {traditional.pk: "山西华兴", simplified.pk: "长治华兴铝业", bracketed.pk: "晋城"}
    assert renormalize_names(Enterprise, batch_size=2) == 0
