"""Loads the GB/T 4754-2017 industry tables shipped in ``data/`` (门类, 大类 and chosen 中类)."""

import json
from pathlib import Path

DATA = Path(__file__).with_name("data") / "industry_gbt4754_2017.json"


def load_industries(IndustryCode) -> int:
    doc = json.loads(DATA.read_text(encoding="utf-8"))
    version = doc["version"]
    if IndustryCode.objects.filter(version=version).exists():
        return 0
    count = 0
    for section in doc["sections"]:
        sec = IndustryCode.objects.create(
            version=version, code=section["code"], name=section["name"], level="section"
        )
        count += 1
        for division in section["divisions"]:
            div = IndustryCode.objects.create(
                version=version, code=division["code"], name=division["name"], level="division", parent=sec
            )
            count += 1
            groups = [
                IndustryCode(version=version, code=g["code"], name=g["name"], level="group", parent=div)
                for g in division.get("groups", [])
            ]
            IndustryCode.objects.bulk_create(groups)
            count += len(groups)
    return count
