"""What the review page and the API show: the text with its evidence marked, and candidates."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from zonedesk.extract.cli import _KIND_LABEL, _STAGE_LABEL

from .matching import find_candidates
from .models import SourceDocument

SHOWN_KINDS = ("money", "area", "capacity", "count", "rate", "date", "zone", "enterprise", "stage")
STAGE_LABEL = _STAGE_LABEL
KIND_LABEL = _KIND_LABEL


def fact_label(f: dict[str, Any]) -> str:
    value = f.get("value")
    if isinstance(value, dict):
        value = f"{value.get('from')} 至 {value.get('to')}"
    if f["kind"] == "money":
        unit = "万元" if f.get("currency", "CNY") == "CNY" else f"万{f.get('currency')}"
        return f"{value} {unit}{'（约）' if f.get('approx') else ''}"
    if f["kind"] == "stage":
        return STAGE_LABEL.get(str(value), str(value))
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
        label = "、".join(f"候选{i + 1}" for i in indexes)
        opens.setdefault(start, []).append(
            f'<mark class="ev" id="ev-{indexes[0]}" tabindex="-1" title="{escape(label)}的依据">'
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
        title = f"{KIND_LABEL.get(f['kind'], f['kind'])}：{fact_label(f)}"
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
            user, document.zone_id, name=p.get("name") or "", enterprise=p.get("enterprise"),
            investment_wan=None if inv is None else Decimal(str(inv)), currency=p.get("currency") or "CNY",
        )
        out.append({
            "index": i,
            "extracted": p,
            "currency": p.get("currency") or "CNY",
            "stage_label": STAGE_LABEL.get(p.get("stage") or "", ""),
            "decision": (document.decisions or {}).get(str(i)),
            "matches": matches,
        })
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
                "index": c["index"], **c["extracted"], "currency": c["currency"],
                "decision": c["decision"], "candidates": [m.to_json() for m in c["matches"]],
            }
            for c in candidates_for(user, document)
        ],
    }
