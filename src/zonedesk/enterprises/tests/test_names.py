"""Enterprise names compare by their normalised form: width, spaces, brackets and legal forms do not count."""

import pytest

from zonedesk.enterprises.services import normalize_enterprise_name


@pytest.mark.parametrize("written", [
    "山西 华兴（集团）有限公司", "山西华兴集团", "山西华兴集团有限公司", "山西华兴有限公司", "山西华兴(集团)股份有限公司",
    "山西　华兴集团公司",
])
def test_every_way_of_writing_the_same_enterprise_normalises_alike(written):
    assert normalize_enterprise_name(written) == "山西华兴"


def test_a_legal_form_inside_the_name_is_kept():
    assert normalize_enterprise_name("中国有限公司山西分公司") == "中国有限公司山西分"
