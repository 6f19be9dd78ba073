"""What the review page and the API show: the text with its evidence marked, and candidates."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zonedesk.extract.model import KIND_LABELS
from zonedesk.projects.rules import get_rules

from .matching import find_candidates
from .models import SourceDocument

SHOWN_KINDS = ("money", "area", "capacity", "count", "rate", "date", "zone", "enterprise", "stage")
# The extractor's kind labels are Chinese (its command line prints them); pages show them in the reader's
# language. Listed so that makemessages puts the ones that are no field name in the catalogue.
_EXTRACTOR_LABELS = (
    gettext_noop("金额"),
    gettext_noop("面积"),
    gettext_noop("产能/规模"),
    gettext_noop("数量"),
    gettext_noop("比率"),
    gettext_noop("日期"),
    gettext_noop("企业"),
    gettext_noop("阶段"),
    gettext_noop("开发区"),
)


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def stage_label(code: str) -> str:
    """The ledger's name for a stage code, in the reader's language; "" for none or an unknown code."""
    rules = get_rules()
    return rules.label(code) if code in rules.stages else ""


def fact_label(f: dict[str, Any]) -> str:
    value = f.get("value")
    if isinstance(value, dict):
        value = _("%(low)s 至 %(high)s") % {"low": value.get("from"), "high": value.get("to")}
    if f["kind"] == "money":
        if f.get("currency", "CNY") == "CNY":
            unit = _("万元")
        else:
            unit = _("万%(currency)s") % {"currency": f.get("currency")}
        return f"{value} {unit}{_('（约）') if f.get('approx') else ''}"
    if f["kind"] == "stage":
        return stage_label(str(value)) or str(value)
    unit = f.get("unit") or ""
    return f"{value} {unit}".strip()


def marked_text(document: SourceDocument) -> SafeString:
    """The document's text as HTML: each candidate's sentence in <mark id="ev-N">, each fact
    in <span id="f-N">, by character offset. Spans that would cross each other are left out."""
    text = document.text
    extraction = document.extraction or {}
    sentences: dict[tuple[int, int], list[int]] = {}
    for i, p in enumerate(extraction.get("projects", [])):
        sentences.setdefault((p["start"], p["end"]), []).append(i)
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    taken: list[tuple[int, int]] = []
    for (start, end), indexes in sorted(sentences.items()):
        if any(s < end and start < e for s, e in taken):
            continue
        taken.append((start, end))
        label = _("、").join(_("候选%(n)s") % {"n": i + 1} for i in indexes)
        title = _("%(candidates)s的依据") % {"candidates": label}
        opens.setdefault(start, []).append(
            f'<mark class="ev" id="ev-{indexes[0]}" tabindex="-1" title="{escape(title)}">'
        )
        closes.setdefault(end, []).insert(0, "</mark>")
    fact_spans: list[tuple[int, int]] = []
    for n, f in enumerate(extraction.get("facts", [])):
        start, end = f["start"], f["end"]
        if f["kind"] not in SHOWN_KINDS or end <= start:
            continue
        if any(s < end and start < e for s, e in fact_spans):
            continue
        if any(not (end <= s or start >= e or (s <= start and end <= e)) for s, e in taken):
            continue  # would cross a sentence mark
        fact_spans.append((start, end))
        title = _("%(kind)s：%(value)s") % {"kind": kind_label(f["kind"]), "value": fact_label(f)}
        opens.setdefault(start, []).append(
            f'<span class="fact k-{f["kind"]}" id="f-{n}" title="{escape(title)}">'
        )
        closes.setdefault(end, []).insert(0, "</span>")
    points = sorted(set(opens) | set(closes))
    out: list[str] = []
    last = 0
    for pos in points:
        out.append(escape(text[last:pos]))
        out.extend(closes.get(pos, []))
        out.extend(opens.get(pos, []))
        last = pos
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def candidates_for(user: Any, document: SourceDocument) -> list[dict[str, Any]]:
    """Each extracted project with its decision and the existing projects it may be."""
    out = []
    for i, p in enumerate((document.extraction or {}).get("projects", [])):
        inv = p.get("investment_wan")
        matches = find_candidates(
            user,
            document.zone_id,
            name=p.get("name") or "",
            enterprise=p.get("enterprise"),
            investment_wan=None if inv is None else Decimal(str(inv)),
            currency=p.get("currency") or "CNY",
        )
        out.append(
            {
                "index": i,
                "extracted": p,
                "currency": p.get("currency") or "CNY",
                "stage_label": stage_label(p.get("stage") or ""),
                "decision": (document.decisions or {}).get(str(i)),
                "matches": matches,
            }
        )
    return out


def document_json(user: Any, document: SourceDocument) -> dict[str, Any]:
    extraction = document.extraction or {}
    return {
        "id": document.pk,
        "title": document.title,
        "kind": document.kind,
        "filename": document.filename,
        "zone": document.zone_id,
        "published": document.published.isoformat() if document.published else None,
        "text": document.text,
        "facts": extraction.get("facts", []),
        "projects": [
            {
                "index": c["index"],
                **c["extracted"],
                "currency": c["currency"],
                "decision": c["decision"],
                "candidates": [m.to_json() for m in c["matches"]],
            }
            for c in candidates_for(user, document)
        ],
    }
