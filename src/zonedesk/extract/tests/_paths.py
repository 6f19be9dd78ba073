"""Where the tests find texts: the shared corpus beside the checkout, and our own texts."""

from pathlib import Path

# src/zonedesk/extract/tests/_paths.py → parents[4] is the repository root
REPO = Path(__file__).resolve().parents[4]
SHARED = (REPO / ".." / "shared").resolve()
CORPUS_TEXTS = SHARED / "corpus" / "texts"
CORPUS_GOLD = SHARED / "corpus" / "gold"
OWN_TEXTS = Path(__file__).resolve().parent / "texts"
SHARED_MISSING = "shared/corpus is not beside the checkout (expected ../shared/corpus/{texts,gold})"
