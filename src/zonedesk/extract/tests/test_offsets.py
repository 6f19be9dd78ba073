"""Every fact's text is exactly the input between its offsets, on every text we have."""

import pytest

from zonedesk.extract import extract
from zonedesk.textnorm import normalize

from ._paths import CORPUS_TEXTS, OWN_TEXTS

_FULL = str.maketrans("0123456789.%,()", "０１２３４５６７８９．％，（）")
_TRAD = str.maketrans("亿万亩区开发园项目产业资总投签约", "億萬畝區開發園項目產業資總投簽約")


def _texts():
    paths = sorted(OWN_TEXTS.glob("*.txt"))
    if CORPUS_TEXTS.is_dir():
        paths += sorted(CORPUS_TEXTS.glob("*.txt"))
    return [pytest.param(p.read_text(encoding="utf-8"), id=p.name) for p in paths]


@pytest.mark.parametrize("text", _texts())
@pytest.mark.parametrize("variant", ["as-is", "full-width", "traditional", "crlf"])
def test_fact_text_equals_input_slice(text, variant):
    if variant == "full-width":
        text = text.translate(_FULL)
    elif variant == "traditional":
        text = text.translate(_TRAD)
    elif variant == "crlf":
        text = text.replace("\n", "\r\n")
    result = extract(text)
    assert result.facts
    for f in result.facts:
        assert text[f.start : f.end] == f.text, f
    for p in result.projects:
        assert text[p.start : p.end] == p.sentence, p


@pytest.mark.parametrize("text", _texts())
def test_variants_give_the_same_figures(text):
    # full-width digits and traditional characters change nothing but the evidence text
    plain = [(f.kind, f.start, f.value) for f in extract(text).facts if f.kind in ("money", "area")]
    for table in (_FULL, _TRAD):
        varied = [
            (f.kind, f.start, f.value)
            for f in extract(text.translate(table)).facts
            if f.kind in ("money", "area")
        ]
        assert varied == plain


def test_normalize_is_what_makes_offsets_safe():
    text = "總投資２２．２２億元"
    assert len(normalize(text)) == len(text)
    [fact] = [f for f in extract(text).facts if f.kind == "money"]
    assert (fact.start, fact.end, fact.text) == (3, 10, "２２．２２億元")
