"""Every app's English catalogue is complete, and the committed .mo is what its .po compiles to."""

import ast
import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]  # src/zonedesk
CATALOGUES = sorted(PACKAGE.glob("*/locale/en/LC_MESSAGES/django.po"))


def _entries(po: Path) -> list[dict]:
    """The entries of a .po file: flags, msgid and every msgstr (a small reader; the format is simple)."""
    entries, current, key = [], None, None
    for line in po.read_text(encoding="utf-8").splitlines() + [""]:
        starts = line.startswith(("#", "msgctxt ", "msgid ")) and current is not None and current["msgstr"]
        if not line.strip() or starts:
            if current is not None and "msgid" in current:
                entries.append(current)
            current, key = None, None
            if not line.strip():
                continue
        current = current or {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            current["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            target = current["msgstr"] if key.startswith("msgstr") else current
            target[key] += ast.literal_eval(line)
        else:
            key, _, quoted = line.partition(" ")
            if key.startswith("msgstr"):
                current["msgstr"][key] = ast.literal_eval(quoted)
            else:
                current[key] = ast.literal_eval(quoted)
    return entries


def test_every_workspace_app_has_an_english_catalogue():
    apps = {po.parents[3].name for po in CATALOGUES}
    assert {"access", "core", "enterprises", "geo", "intake", "ledgerio", "projects", "web"} <= apps


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parents[3].name)
def test_catalogue_is_complete_and_nothing_is_fuzzy(po):
    entries = _entries(po)
    assert entries and entries[0]["msgid"] == ""  # the header
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    empty = [e["msgid"] for e in entries[1:] if not all(s.strip() for s in e["msgstr"].values())]
    assert (fuzzy, empty) == ([], [])
    assert "Language: en\n" in entries[0]["msgstr"]["msgstr"]


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parents[3].name)
def test_compiled_catalogue_is_up_to_date(po, tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (Debian package gettext) is not installed: cannot recompile the .po to compare")
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po)], check=True, capture_output=True)
    committed = po.with_suffix(".mo")
    assert committed.exists(), f"{committed} is missing: run msgfmt -o {committed} {po}"
    # Compared as catalogues, not bytes: another gettext version may lay the same file out differently.
    with fresh.open("rb") as a, committed.open("rb") as b:
        assert gettext.GNUTranslations(b)._catalog == gettext.GNUTranslations(a)._catalog, (
            f"{committed.relative_to(PACKAGE)} is older than its .po: run msgfmt -o {committed} {po}"
        )
