"""Search documents are cut the same way however fast the cutting, and reindex touches only its ids."""

from hypothesis import given, settings
from hypothesis import strategies as st

from zonedesk.projects import search
from zonedesk.projects.models import ProjectSearchDoc
from zonedesk.textnorm import normalize


def _reference_tokens(*parts: str | None) -> str:
    """The document as first specified: normalise, lower-case, then run by run."""
    text = normalize(" ".join(p for p in parts if p)).lower()
    tokens: list[str] = []
    for han, latin in search._SPLIT.findall(text):
        if han:
            tokens.extend(search._bigrams(han))
        else:
            pieces = search._LATIN_SEP.split(latin)
            tokens.extend(pieces)
            if len(pieces) > 1:
                tokens.append("".join(pieces))
    return " ".join(tokens)


_TEXT = st.text(
    alphabet=st.sampled_from(
        list("碳化硅衬底项目兴县山西長治經開區，。、（）()-.．ＡａSiCsic0123４５ \t\u3000")
        + ["\u3400", "\ufa00", "İ"]
    ),
    max_size=40,
)


@settings(max_examples=500, deadline=None)
@given(parts=st.lists(st.one_of(st.none(), _TEXT), max_size=6))
def test_document_tokens_equal_the_run_by_run_cut(parts):
    assert search.document_tokens(*parts) == _reference_tokens(*parts)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.one_of(st.none(), _TEXT), max_size=6))
def test_a_document_is_its_texts_cut_one_by_one(parts):
    # reindex cuts each distinct text once and joins the results
    one_by_one = " ".join([t for t in map(search.document_tokens, filter(None, parts)) if t])
    assert one_by_one == search.document_tokens(*parts)


def test_a_long_run_is_cut_into_all_its_bigrams():
    run = "碳" * 3 + "化硅" * 40
    assert search.document_tokens(run) == _reference_tokens(run)


def test_reindex_rewrites_only_the_projects_it_is_given(world):
    first = world.project(name="碳化硅衬底项目")
    middle = world.project(name="铝镁新材料项目")
    last = world.project(name="光伏组件项目")
    ProjectSearchDoc.objects.filter(project__in=[first, middle, last]).update(body="stale")

    assert search.reindex([first.pk, last.pk]) == 2

    bodies = dict(
        ProjectSearchDoc.objects.filter(project__in=[first, middle, last]).values_list("project_id", "body")
    )
    assert bodies[middle.pk] == "stale"
    assert bodies[first.pk].startswith("碳化 化硅 硅衬 衬底 底项 项目")
    assert bodies[last.pk].startswith("光伏 伏组 组件 件项 项目")
