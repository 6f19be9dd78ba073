from zonedesk.textnorm import normalize
from zonedesk.textnorm.charmap import TRAD_TO_SIMP


def test_normalize_keeps_length_so_offsets_survive():
    text = "總投資２２．２２億元，佔地１５００畝（一期）　ｍ²"
    assert len(normalize(text)) == len(text)


def test_normalize_maps_full_width_digits_letters_and_punctuation():
    assert normalize("２０２４年１０月，增长１５．３％：ＡＢＣ（一期）") == "2024年10月,增长15.3%:ABC(一期)"


def test_normalize_maps_traditional_characters_used_in_zone_reports():
    assert normalize("億萬畝圓區開發園項目產業電廠實體設備資金額與號書業務") == (
        "亿万亩圆区开发园项目产业电厂实体设备资金额与号书业务"
    )
    assert normalize("經濟技術開發區簽約落戶總投資") == "经济技术开发区签约落户总投资"


def test_normalize_keeps_ideographic_full_stop_and_simplified_text():
    assert normalize("已竣工。１２。５") == "已竣工。12。5"
    assert normalize("兴县经济技术开发区") == "兴县经济技术开发区"


def test_traditional_table_has_hundreds_of_one_to_one_pairs():
    assert len(TRAD_TO_SIMP) >= 300
    assert all(len(chr(k)) == 1 and len(chr(v)) == 1 and k != v for k, v in TRAD_TO_SIMP.items())
    # no simplified target is itself remapped (the table is idempotent)
    assert not set(TRAD_TO_SIMP.values()) & set(TRAD_TO_SIMP)
