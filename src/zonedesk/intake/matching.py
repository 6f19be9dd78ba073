"""Which existing projects an extracted one may be: similar name, same investor, same amount.

Candidates come only from ``restrict(user, "change", Project)`` in the chosen zone, so a
project in a sibling zone, or one the user may not change, is never offered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from zonedesk.access.scoping import restrict
from zonedesk.enterprises.services import normalize_enterprise_name
from zonedesk.projects.models import Project
from zonedesk.textnorm import normalize

MIN_NAME_SIMILARITY = 0.5  # character-bigram Dice coefficient
MIN_CONTAINED_CHARS = 4  # "铝材项目" inside another name says little; 4+ characters do
MAX_CANDIDATES = 5

_NOISE = re.compile(r"[\s\u200b()（）\[\]【】《》“”\"'·,，、.。:：;；\-—_/]")
_TAIL = re.compile(r"(?:建设)?项目$")


def name_key(name: str) -> str:
    """ "年产5万吨铝材（一期）项目" → "年产5万吨铝材一期": width, script, brackets and 项目 folded."""
    return _TAIL.sub("", _NOISE.sub("", normalize(name or "")))


def bigram_similarity(a: str, b: str) -> float:
    """Dice coefficient of the two strings' character bigrams (1.0 = same bigrams)."""
    if len(a) < 2 or len(b) < 2:
        return 1.0 if a and a == b else 0.0
    ba = {a[i : i + 2] for i in range(len(a) - 1)}
    bb = {b[i : i + 2] for i in range(len(b) - 1)}
    return 2 * len(ba & bb) / (len(ba) + len(bb))


@dataclass
class Candidate:
    project: Project
    score: float
    reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        p = self.project
        return {
            "id": p.pk,
            "name": p.name,
            "stage": p.stage,
            "total_investment_wan": None if p.total_investment_wan is None else str(p.total_investment_wan),
            "score": round(self.score, 3),
            "reasons": self.reasons,
        }


def _same_amount(p: Project, amount: Decimal | None, currency: str) -> bool:
    if amount is None:
        return False
    if currency == "USD":
        return p.foreign_investment_usd_wan == amount
    if currency != "CNY":
        return False
    return amount in (p.total_investment_wan, p.agreement_amount_wan)


def find_candidates(
    user: Any,
    zone: Any,
    *,
    name: str,
    enterprise: str | None = None,
    investment_wan: Decimal | None = None,
    currency: str = "CNY",
) -> list[Candidate]:
    key = name_key(name)
    investor_key = normalize_enterprise_name(enterprise) if enterprise else ""
    projects = (
        restrict(user, "change", Project)
        .filter(zone=zone)
        .only(
            "id",
            "name",
            "stage",
            "zone_id",
            "total_investment_wan",
            "agreement_amount_wan",
            "foreign_investment_usd_wan",
        )
        .prefetch_related("investors")
    )
    found: list[Candidate] = []
    for p in projects:
        reasons: list[str] = []
        score = 0.0
        other = name_key(p.name)
        short, long_ = sorted((key, other), key=len)
        if short and len(short) >= MIN_CONTAINED_CHARS and short in long_:
            score += 1.0
            reasons.append(_("名称相同") if short == long_ else _("名称包含"))
        else:
            similarity = bigram_similarity(key, other)
            if similarity >= MIN_NAME_SIMILARITY:
                score += similarity
                reasons.append(_("名称相近（相似度 %(similarity)s）") % {"similarity": f"{similarity:.2f}"})
        if investor_key and any(e.normalized_name == investor_key for e in p.investors.all()):
            score += 1.0
            reasons.append(_("投资方相同"))
        if _same_amount(p, investment_wan, currency):
            score += 0.5
            reasons.append(_("投资额相同"))
        if reasons:
            found.append(Candidate(p, score, reasons))
    found.sort(key=lambda c: (-c.score, c.project.pk))
    return found[:MAX_CANDIDATES]
