import json

import pytest

from zonedesk.enterprises.uscc import check_uscc


@pytest.mark.parametrize(
    "code",
    [
        "91110108551385082Q",
        "91110000600037341L",
        "９１１１００００６０００３７３４１Ｌ",
        " 91110000600037341l ",
    ],
)
def test_valid_codes_pass_and_are_normalised(code):
    result = check_uscc(code)
    assert (result.ok, result.checksum_ok, result.message) == (True, True, "")
    assert result.code in {"91110108551385082Q", "91110000600037341L"}


def test_wrong_length_is_rejected():
    result = check_uscc("9111010855138508")
    assert (result.ok, result.message) == (False, "统一社会信用代码应为 18 位，实为 16 位")


def test_letters_outside_the_charset_are_rejected():
    result = check_uscc("91110108551385082I")
    assert (result.ok, result.message) == (False, "统一社会信用代码含非法字符：I（不使用 I、O、Z、S、V）")


def test_legacy_code_failing_the_checksum_is_accepted_with_a_warning():
    result = check_uscc("91110108551385082A")
    assert (result.ok, result.checksum_ok) == (True, False)
    assert result.message == "统一社会信用代码校验位不符（应为 Q），按早期赋码保留，请核实"


def test_api_keeps_legacy_code_with_warning_and_rejects_malformed(world, client, token_for):
    headers = token_for(world.officer_a)
    ok = client.post(
        "/api/v1/enterprises",
        data=json.dumps({"name": "早期赋码企业", "uscc": "91110108551385082A", "zone": world.zone_a.pk}),
        content_type="application/json",
        **headers,
    )
    assert ok.status_code == 201
    assert (ok.json()["uscc"], ok.json()["uscc_warning"]) == (
        "91110108551385082A",
        "统一社会信用代码校验位不符（应为 Q），按早期赋码保留，请核实",
    )
    bad = client.post(
        "/api/v1/enterprises",
        data=json.dumps({"name": "代码错误企业", "uscc": "123"}),
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422
    assert bad.json()["fields"] == {"uscc": ["统一社会信用代码应为 18 位，实为 3 位"]}
