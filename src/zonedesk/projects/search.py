"""Full-text search of projects in Chinese: a bigram index in FTS5 (SQLite) or a tsvector (PostgreSQL),
queried word by word as the jieba segmenter cuts the query.

Chinese has no spaces, so neither engine can find words in it by itself. Each project gets one search
document (``ProjectSearchDoc.body``): a space-separated token string made of the overlapping character
bigrams of every run of Chinese characters, in order ("碳化硅衬底" → "碳化 化硅 硅衬 衬底"), and the
Latin letters and digits as words (project codes, "SiC", "10").

The query is cut into words by jieba (with the field's own words added: 经开区, 碳化硅…); every word
must match (AND): a Chinese word as a *phrase* of its bigrams, so its characters must stand together
in the text ("碳化硅" matches "碳化 化硅" adjacent, not 碳化 here and 化硅 there); a lone character or
a Latin/digit word as a prefix. "兴县 签约" finds projects that mention both.

Why bigrams in the index and the segmenter on the query: a word is found whatever the segmenter would
have done with the text around it (jieba cuts "已签约项目" and "签约" differently by context), and
indexing costs about 0.02 ms a project instead of 0.5 ms with jieba's words — which matched nothing
the bigram phrases do not — so a 100 000-row import can index in the same transaction.

The database keeps its index in step with the document table by itself: FTS5 through triggers,
PostgreSQL through a generated column (migration 0002).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from zonedesk.core.perf import gc_paused
from zonedesk.textnorm import normalize

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A run of Chinese characters, or a Latin/digit word (joined by . or -); the text is lower-cased first.
_SPLIT = re.compile(rf"([{_HAN}]+)|([0-9a-z]+(?:[.\-][0-9a-z]+)*)")
_LATIN_SEP = re.compile(r"[.\-]")


@cache
def _jieba():
    import jieba

    jieba.setLogLevel(60)  # its "Building prefix dict" chatter is not for our users
    jieba.initialize()
    # Words of the field the general dictionary lacks, so they stay whole.
    for word in (
        "经开区",
        "高新区",
        "综改区",
        "示范区",
        "开发区",
        "产业园",
        "招商引资",
        "碳化硅",
        "包联领导",
    ):
        jieba.add_word(word)
    return jieba


def _bigrams(run: str) -> list[str]:
    return list(map(str.__add__, run, run[1:])) if len(run) > 1 else [run]


_PAIRS = [[slice(i, i + 2) for i in range(n - 1)] for n in range(65)]  # n → the slices of n-1 bigrams


def _bigram_text(run: str) -> str:
    """``" ".join(_bigrams(run))``, cutting the bigrams with prepared slices (a third faster)."""
    n = len(run)
    if n < 2:
        return run
    pairs = _PAIRS[n] if n < len(_PAIRS) else [slice(i, i + 2) for i in range(n - 1)]
    return " ".join(map(run.__getitem__, pairs))


def document_tokens(*parts: str | None) -> str:
    """The search document for some texts: the bigrams of each Chinese run, Latin/digit words."""
    text = normalize(" ".join([p for p in parts if p]))
    pieces: list[str] = []  # each run's tokens, already space-separated
    add = pieces.append
    for han, latin in _SPLIT.findall(text.lower()):
        if han:
            add(_bigram_text(han))
        elif "." in latin or "-" in latin:
            words = _LATIN_SEP.split(latin)
            add(" ".join(words))
            add("".join(words))
        else:
            add(latin)
    return " ".join(pieces)


def query_terms(query: str) -> list[tuple[str, list[str]]]:
    """The words of a query, each as ("phrase", bigrams) or ("prefix", [token])."""
    text = normalize(query).lower()
    terms: list[tuple[str, list[str]]] = []
    for han, latin in _SPLIT.findall(text):
        if han:
            for word in _merge_single_characters(list(_jieba().cut(han))):
                terms.append(("phrase", _bigrams(word)) if len(word) > 1 else ("prefix", [word]))
        else:
            terms.extend(("prefix", [part]) for part in _LATIN_SEP.split(latin))
    return terms


def _merge_single_characters(words: list[str]) -> list[str]:
    """A character the segmenter left alone joins its neighbour: "已签约" stays one phrase rather
    than "已"-anything AND "签约", and "硅碳化" does not match a text holding 硅 and 碳化 apart."""
    merged: list[str] = []
    pending = ""
    for word in words:
        if len(word) == 1:
            if merged and not pending:
                merged[-1] += word
            else:
                pending += word
            continue
        merged.append(pending + word)
        pending = ""
    if pending:
        merged.append(pending)
    return merged


def _fts5_expression(terms: list[tuple[str, list[str]]]) -> str:
    out = []
    for kind, tokens in terms:
        if kind == "phrase":
            out.append('"' + " ".join(tokens) + '"')
        else:
            out.append('"' + tokens[0] + '"*')
    return " AND ".join(out)


def _tsquery_expression(terms: list[tuple[str, list[str]]]) -> str:
    out = []
    for kind, tokens in terms:
        if kind == "phrase":
            out.append("(" + " <-> ".join(f"'{t}'" for t in tokens) + ")")
        else:
            out.append(f"'{tokens[0]}':*")
    return " & ".join(out)


def filter_search(qs: QuerySet, query: str) -> QuerySet:
    """``qs`` narrowed to the projects whose search document matches every word of ``query``.

    The tokens are made of letters, digits and Chinese characters only (the regexes above), so the
    expression cannot carry the engines' operators or quotes from the user's text.
    """
    terms = query_terms(query)
    if not terms:
        return qs
    if connection.vendor == "postgresql":
        sql = "SELECT project_id FROM projects_projectsearchdoc WHERE vector @@ to_tsquery('simple', %s)"
        return qs.filter(pk__in=RawSQL(sql, [_tsquery_expression(terms)]))
    sql = "SELECT rowid FROM projects_search_fts WHERE projects_search_fts MATCH %s"
    return qs.filter(pk__in=RawSQL(sql, [_fts5_expression(terms)]))


def _id_filter(ids: list[int], field: str = "pk") -> Q:
    """``<field>__in=ids`` as ranges of consecutive ids when there are few (a bulk write's ids are
    one run): the same rows, without a query parameter per id."""
    runs: list[tuple[int, int]] = []
    for pk in sorted(set(ids)):
        if runs and runs[-1][1] == pk - 1:
            runs[-1] = (runs[-1][0], pk)
        else:
            runs.append((pk, pk))
    if not runs or len(runs) > 50:
        return Q(**{f"{field}__in": ids})
    where = Q()
    for low, high in runs:
        where |= Q(**{f"{field}__gte": low, f"{field}__lte": high})
    return where


def _texts_for(project_ids: Iterable[int], memo: dict[str, str] | None = None) -> dict[int, str]:
    from .models import Project, ProjectInvestor

    ids = list(project_ids)
    where = _id_filter(ids)
    names: dict[int, list[str]] = {}
    for pid, name, uscc in ProjectInvestor.objects.filter(_id_filter(ids, "project_id")).values_list(
        "project_id", "enterprise__name", "enterprise__uscc"
    ):
        names.setdefault(pid, []).extend([name, uscc or ""])
    rows = (
        Project.objects.filter(where)
        .order_by()
        .values_list(
            "pk",
            "name",
            "national_code",
            "zone__name",
            "zone__aliases",
            "park__name",
            "chain_node",
            "construction_content",
            "progress_note",
            "leader_name",
            "pursuing_unit__name",
            "industry__name",
        )
    )
    # A document is its texts' tokens, text by text (a space separates them either way), and
    # most texts repeat from project to project (zone, unit, leader, 建设内容…): each distinct
    # text is cut once per call.
    memo = {} if memo is None else memo

    def tokens(text: str) -> str:
        found = memo.get(text)
        if found is None:
            found = document_tokens(text)
            if len(memo) < 200_000:
                memo[text] = found
        return found

    out = {}
    for pk, name, code, zone, aliases, *rest in rows:
        parts = (name, code, zone, " ".join(aliases or []), *rest, *names.get(pk, []))
        out[pk] = " ".join([t for t in map(tokens, filter(None, parts)) if t])
    return out


def _write_documents(docs: list[tuple[int, str]]) -> None:
    """Insert (project id, body) rows, in ascending id order. On SQLite as multi-row INSERTs: FTS5
    appends rising rowids to its pending segment (a lower rowid than the last flushes a new
    segment), and its trigger costs far more per statement than per row (executemany: 4×)."""
    from .models import ProjectSearchDoc

    docs = sorted(docs)
    if connection.vendor != "sqlite":
        ProjectSearchDoc.objects.bulk_create(
            [ProjectSearchDoc(project_id=pk, body=body) for pk, body in docs], batch_size=2000
        )
        return
    table = ProjectSearchDoc._meta.db_table
    step = 400
    with connection.cursor() as cursor:
        for start in range(0, len(docs), step):
            chunk = docs[start : start + step]
            cursor.execute(
                f'INSERT INTO "{table}" ("project_id", "body") VALUES '
                + ", ".join(["(%s, %s)"] * len(chunk)),
                [value for doc in chunk for value in doc],
            )


def reindex(project_ids: Iterable[int] | None = None, *, batch: int = 5000) -> int:
    """Rebuild the search documents of some projects (all of them when ``project_ids`` is None).

    Services call it through signals; bulk writers (the demo builder, the Excel import) call it
    once with the ids they wrote. Returns the number of documents written.
    """
    from .models import Project

    if project_ids is None:
        ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(project_ids))
    # One transaction: the documents of a bulk write appear together (and FTS5 writes its pending
    # segment once, not at every chunk's commit). The cyclic garbage collector is paused meanwhile:
    # 100 000 documents' strings and rows would only make it walk them over and over.
    if len(ids) <= 1000:
        return _reindex(ids, batch)
    with gc_paused():
        return _reindex(ids, batch)


def _reindex(ids: list[int], batch: int) -> int:
    from .models import ProjectSearchDoc

    written = 0
    memo: dict[str, str] = {}  # text → its tokens, across chunks
    with transaction.atomic():
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            texts = _texts_for(chunk, memo)
            ProjectSearchDoc.objects.filter(_id_filter(chunk, "project_id")).delete()
            _write_documents(list(texts.items()))
            written += len(texts)
    return written
