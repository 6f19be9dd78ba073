"""Loads the GB/T 2260 region table shipped in ``data/`` (idempotent: codes are primary keys)."""

import json
from pathlib import Path

DATA = Path(__file__).with_name("data") / "regions_gbt2260.json"


def load_regions(Region) -> int:
    rows = json.loads(DATA.read_text(encoding="utf-8"))
    existing = set(Region.objects.values_list("code", flat=True))
    # Parents come first in code order, so a plain sorted insert satisfies the foreign keys.
    new = [
        Region(code=r["code"], name=r["name"], level=r["level"], parent_id=r["parent"])
        for r in sorted(rows, key=lambda r: (r["level"] != "province", r["level"] == "county", r["code"]))
        if r["code"] not in existing
    ]
    Region.objects.bulk_create(new, batch_size=500)
    return len(new)
