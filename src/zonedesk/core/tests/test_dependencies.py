"""`pip install .` alone must give a working installation: every package the code imports is declared."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]  # src/zonedesk
PYPROJECT = PACKAGE.parents[1] / "pyproject.toml"


def _runtime_files() -> list[Path]:
    # Tests and test helpers may import what requirements/test.txt adds (pytest, hypothesis, playwright).
    return [
        p
        for p in PACKAGE.rglob("*.py")
        if "tests" not in p.parts and p.parent.name != "testing" and p.name != "conftest.py"
    ]


def _top_level_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_third_party_import_is_declared_in_pyproject():
    declared = {
        _canonical(re.split(r"[\[<>=!~;\s]", spec, maxsplit=1)[0])
        for spec in tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    }
    distributions = importlib.metadata.packages_distributions()
    missing: dict[str, str] = {}
    for path in _runtime_files():
        for name in _top_level_imports(path):
            if name in sys.stdlib_module_names or name == "zonedesk":
                continue
            dists = {_canonical(d) for d in distributions.get(name, [name])}
            if not dists & declared:
                missing.setdefault(name, str(path.relative_to(PACKAGE)))
    assert missing == {}, f"imported but not in [project].dependencies: {missing}"


def test_the_check_sees_the_packages_the_bulletin_needs():
    # Guards the guard: the walk finds the imports the issue found missing from pyproject.
    found = set().union(*(_top_level_imports(p) for p in _runtime_files()))
    assert {"docx", "pypdf", "lxml", "xlrd", "chinese_calendar", "matplotlib", "reportlab", "orjson"} <= found
