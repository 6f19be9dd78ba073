"""Facts and projects from Chinese zone reports and news (standard library only, no Django).

    >>> r = extract("兴县经济技术开发区与某某材料有限公司年产5万吨铝材项目签约，总投资约3.2亿元，占地120亩。")
    >>> [(f.kind, f.text, str(f.value)) for f in r.facts if f.kind in ("money", "area")]
    [('money', '约3.2亿元', '32000'), ('area', '120亩', '120')]
    >>> p = r.projects[0]
    >>> p.name, p.enterprise, str(p.investment_wan), str(p.land_mu), p.stage
    ('年产5万吨铝材项目', '某某材料有限公司', '32000', '120', 'signed')

Every fact's offsets index the ORIGINAL text: fact.text == text[fact.start:fact.end].
"""

from __future__ import annotations

from datetime import date

from .entities import find_enterprises, find_stages, find_zones
from .facts import find_dates, find_quantities
from .model import Fact, Project, Result
from .projects import assign_zones, find_mentions, merge, tie
from .segment import SentenceIndex, sentence_spans, working_text
from .tables import find_tables

__all__ = ["Fact", "Project", "Result", "extract"]


def extract(text: str, published: date | None = None) -> Result:
    """Extract facts and projects from text; published resolves 今年, 10月24日 … to a year."""
    work = working_text(text)
    sents = SentenceIndex(sentence_spans(work))
    dates = find_dates(work, text, published)
    quantities = find_quantities(work, text, dates)
    zones = find_zones(work, text)
    # Figures and dates end a company name's left context; a zone does not, since many
    # companies are named after theirs ("某某经济开发区投资建设有限公司").
    enterprises = find_enterprises(work, text, [f.end for f in quantities + dates])
    stages = find_stages(work, text)
    table = find_tables(work, text, quantities)
    facts = dates + quantities + table.facts + zones + enterprises + stages
    facts.sort(key=lambda f: (f.start, -f.end, f.kind))

    mentions = find_mentions(work, sents, facts, table.spans)
    tie(work, sents, mentions, [f for f in facts if not table.covers(f.start)])
    mentions = sorted(mentions + table.mentions(sents), key=lambda m: m.start)
    assign_zones(mentions, zones, sents, work)
    return Result(facts=facts, projects=merge(mentions, sents, text))
