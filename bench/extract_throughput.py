"""Throughput of zonedesk.extract on one core: `python bench/extract_throughput.py [--mb 4]`.

Builds a corpus of a few MB from the shared corpus texts and the extractor's own test texts,
varied so no two documents are identical (digits shifted, traditional/full-width copies),
warms up, then times extract() over every document and prints chars/s and MB processed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_SOURCES = [
    ROOT.parent / "shared" / "corpus" / "texts",
    ROOT / "src" / "zonedesk" / "extract" / "tests" / "texts",
]
_TO_FULL_WIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")
_TO_TRADITIONAL = str.maketrans("亿万亩区开发园项目产业资总投", "億萬畝區開發園項目產業資總投")


def _variants(text: str, i: int) -> str:
    # Shift digits so figures differ between copies; every third copy in full-width digits,
    # every fifth in traditional characters: the extractor's slow paths get exercised too.
    shifted = text.translate(str.maketrans("123456789", "234567891")) if i % 2 else text
    if i % 3 == 0:
        shifted = shifted.translate(_TO_FULL_WIDTH)
    if i % 5 == 0:
        shifted = shifted.translate(_TO_TRADITIONAL)
    return shifted


def build_corpus(target_chars: int) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for d in _SOURCES if d.is_dir() for p in sorted(d.glob("*.txt"))]
    if not texts:
        raise SystemExit("no corpus texts found (expected shared/corpus/texts beside the checkout)")
    docs: list[str] = []
    total = 0
    i = 0
    while total < target_chars:
        doc = _variants(texts[i % len(texts)], i)
        docs.append(doc)
        total += len(doc)
        i += 1
    return docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=4.0, help="corpus size in millions of characters")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes; the best is reported")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))  # runnable from a checkout without installing
    from zonedesk.extract import extract

    docs = build_corpus(int(args.mb * 1_000_000))
    chars = sum(len(d) for d in docs)
    size_mb = sum(len(d.encode("utf-8")) for d in docs) / 1_000_000
    for doc in docs[:20]:  # warm up regex caches and imports
        extract(doc)
    best = float("inf")
    projects = facts = 0
    for _ in range(args.rounds):
        started = time.perf_counter()
        facts = projects = 0
        for doc in docs:
            result = extract(doc)
            facts += len(result.facts)
            projects += len(result.projects)
        best = min(best, time.perf_counter() - started)
    print(f"documents: {len(docs)}  characters: {chars:,}  UTF-8: {size_mb:.2f} MB")
    print(f"facts: {facts:,}  projects: {projects:,}")
    print(f"best of {args.rounds}: {best:.2f} s  →  {chars / best:,.0f} chars/s  ({size_mb / best:.2f} MB/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
