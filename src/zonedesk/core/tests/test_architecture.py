"""The import rules that keep every app a kit the hubs collect (issue 12), checked on the real import graph.

1. No import cycle between modules of different apps.
2. No app imports a hub: ``zonedesk.api``, ``zonedesk.web``, ``zonedesk.cli``, ``zonedesk.config.urls``. The hubs
   import the apps (they collect what each AppConfig declares, see ``core/contributions.py``), never the reverse.
3. No module imports another app's private name (``_name``, or a module ``_name``): what one app offers another
   has a public name, usually in ``core``.
4. Domain code never reaches API or page code: no module of an app except its API, schema, view, URL, form,
   admin, command and page modules imports one of those, directly or through other modules. That covers the
   models, services and selectors, and just as well the KPIs, the importer and the bulletin.

Function-level imports count. grimp reads every ``import`` statement of a module at any depth, and so do these
rules: an import inside a function is deferred, not removed. The dependency is there the first time the
function runs, a cycle through it still ties the two apps together (neither can be read, tested or changed
alone), and moving an import into a function to quiet this test would hide the problem, not fix it. Only
imports under ``if TYPE_CHECKING:`` are left out: they never run.

The hubs load what the apps declare by name (``core/contributions.py``: ``"zonedesk.dispatch.api:router"``), which
no import graph sees. That cannot hide a cycle: a cycle through a hub needs an app that imports the hub, and
rule 2 forbids exactly that. (Before the hubs only collected, ``api/v1.py`` mounted ``dispatch/api.py`` by a
string while ``dispatch/api.py`` imported ``api/v1.py``: a cycle grimp could not see, and rule 2 names it.)

Rules 1, 2 and 4 are about the product's code and leave out the test modules, which drive the product end to
end through its hubs (``zonedesk.cli.main``, the API, the pages); rule 3 holds for tests too.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import grimp
import pytest

PACKAGE = "zonedesk"
ROOT = Path(__file__).resolve().parents[2]  # src/zonedesk
# The packages that are not apps (the rules do not apply to them), and the hub modules no app may import: of
# config, only the URLs (the settings are read by everyone, through django.conf.settings).
HUBS = ("zonedesk.api", "zonedesk.web", "zonedesk.cli", "zonedesk.config")
HUB_MODULES = ("zonedesk.api", "zonedesk.web", "zonedesk.cli", "zonedesk.config.urls")
# The API, page and command modules of an app (a module or package of that name, at any depth).
UI_MODULES = {
    "api",
    "schemas",
    "views",
    "urls",
    "forms",
    "cli",
    "__main__",
    "admin",
    "templatetags",
    # the projects app's page modules
    "board",
    "dashboard",
    "ledger",
    "directory",
    "fieldgroups",
}


@cache
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(PACKAGE, exclude_type_checking_imports=True)


def app_of(module: str) -> str:
    """The app (top-level package under zonedesk) a module belongs to; the root modules are their own."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def is_test(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or parts[-1] == "conftest" or module.startswith("zonedesk.testing")


def is_hub(module: str) -> bool:
    return any(module == h or module.startswith(h + ".") for h in HUB_MODULES)


def product_modules() -> list[str]:
    return sorted(m for m in graph().modules if not is_test(m))


def lines(importer: str, imported: str) -> str:
    details = graph().get_import_details(importer=importer, imported=imported)
    return "; ".join(f"{importer}:{d['line_number']} {d['line_contents']}" for d in details)


def strongly_connected(modules: list[str]) -> list[list[str]]:
    """Tarjan's strongly connected components of the import graph among ``modules`` (size > 1 only)."""
    inside = set(modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in modules:
        if root in index:
            continue
        # iterative depth-first search: (module, iterator over what it imports)
        work = [(root, iter(sorted(graph().find_modules_directly_imported_by(root) & inside)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph().find_modules_directly_imported_by(child) & inside)))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _kind(module: str, kinds: set[str]) -> bool:
    parts = module.split(".")
    return len(parts) > 2 and any(part in kinds for part in parts[2:])


def cross_app_cycles() -> list[str]:
    """Each import cycle whose modules belong to more than one app, with the imports that cross apps."""
    crossing = []
    for component in strongly_connected(product_modules()):
        if len({app_of(m) for m in component}) < 2:
            continue
        edges = [
            lines(m, other)
            for m in component
            for other in sorted(graph().find_modules_directly_imported_by(m) & set(component))
            if app_of(other) != app_of(m)
        ]
        crossing.append(f"cycle through {', '.join(component)}\n    " + "\n    ".join(edges))
    return crossing


def in_hub(module: str) -> bool:
    return any(module == h or module.startswith(h + ".") for h in HUBS)


def hub_imports() -> list[str]:
    """Each import of a hub module by a module of an app."""
    return [
        lines(m, imported)
        for m in product_modules()
        if not in_hub(m) and app_of(m) != m
        for imported in sorted(graph().find_modules_directly_imported_by(m))
        if is_hub(imported)
    ]


def domain_reaching_ui() -> list[str]:
    """Each chain of imports from an app's domain code to API, page or command code."""
    modules = product_modules()
    ui = {m for m in modules if _kind(m, UI_MODULES)}
    found = []
    for domain in (m for m in modules if m not in ui and app_of(m) != m and not in_hub(m)):
        for reached in sorted(graph().find_upstream_modules(domain) & ui):
            chain = graph().find_shortest_chain(importer=domain, imported=reached)
            found.append(" -> ".join(chain or (domain, reached)))
    return found


def test_no_import_cycle_between_modules_of_different_apps():
    found = cross_app_cycles()
    assert not found, "import cycles between apps:\n" + "\n".join(found)


def test_no_app_imports_a_hub():
    found = hub_imports()
    assert not found, "apps importing a hub (use the public helpers in zonedesk.core):\n" + "\n".join(found)


def test_domain_code_never_reaches_api_or_page_code():
    found = domain_reaching_ui()
    assert not found, "domain modules importing API or page code:\n" + "\n".join(found)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module an ``from … import`` names (relative imports resolved against ``module``)."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_name_uses(module: str, source: str, is_package: bool = False) -> list[str]:
    """Where a module's source uses another app's private name: ``from zonedesk.other.x import _name``, an
    import of another app's private module, or ``alias._name`` on a module of another app it imported."""
    tree = ast.parse(source, filename=module)
    own = app_of(module)
    found = []
    aliases: dict[str, str] = {}  # local name -> what of another app it is bound to

    def foreign(target: str) -> bool:
        return target.startswith(PACKAGE + ".") and app_of(target) != own

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _absolute(module, is_package, node)
            if not foreign(source):
                continue
            if any(_private(part) for part in source.split(".")):
                found.append(f"{module}:{node.lineno} imports the private module {source}")
            for alias in node.names:
                if _private(alias.name):
                    found.append(f"{module}:{node.lineno} imports {source}.{alias.name}")
                aliases[alias.asname or alias.name] = f"{source}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if not foreign(alias.name):
                    continue
                if any(_private(part) for part in alias.name.split(".")):
                    found.append(f"{module}:{node.lineno} imports the private module {alias.name}")
                if alias.asname:
                    aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and _private(node.attr)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and aliases[node.value.id] in graph().modules  # a module, not a class (Model._meta is public)
        ):
            found.append(f"{module}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}")
    return found


def test_no_module_uses_another_apps_private_name():
    found = [
        use
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts
        for use in private_name_uses(
            _module_name(path), path.read_text(encoding="utf-8"), is_package=path.name == "__init__.py"
        )
    ]
    assert not found, "private names used across apps (give them a public name):\n" + "\n".join(found)


# The rules themselves, on a small made-up graph: each finds what it is meant to find.
def fake_graph(monkeypatch, imports: list[tuple[str, str]]) -> grimp.ImportGraph:
    fake = grimp.ImportGraph()
    for importer, imported in imports:
        fake.add_module(importer)
        fake.add_module(imported)
        fake.add_import(
            importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}"
        )
    monkeypatch.setattr(f"{__name__}.graph", lambda: fake)
    return fake


def test_cycle_rule_names_a_cycle_across_apps_and_not_one_inside_an_app(monkeypatch):
    fake_graph(
        monkeypatch,
        [
            ("zonedesk.a.x", "zonedesk.b.y"),
            ("zonedesk.b.y", "zonedesk.b.z"),
            ("zonedesk.b.z", "zonedesk.a.x"),
            ("zonedesk.c.w", "zonedesk.a.x"),
            ("zonedesk.c.p", "zonedesk.c.q"),
            ("zonedesk.c.q", "zonedesk.c.p"),
        ],
    )
    assert cross_app_cycles() == [
        "cycle through zonedesk.a.x, zonedesk.b.y, zonedesk.b.z\n"
        "    zonedesk.a.x:1 import zonedesk.b.y\n"
        "    zonedesk.b.z:1 import zonedesk.a.x"
    ]


def test_hub_rule_names_an_app_importing_a_hub_and_not_a_hub_importing_an_app(monkeypatch):
    fake_graph(
        monkeypatch,
        [
            ("zonedesk.dispatch.api", "zonedesk.api.v1"),
            ("zonedesk.api.v1", "zonedesk.dispatch.api"),
            ("zonedesk.cli", "zonedesk.ledgerio.cli"),
            ("zonedesk.ledgerio.cli", "zonedesk.core.cli"),
        ],
    )
    assert hub_imports() == ["zonedesk.dispatch.api:1 import zonedesk.api.v1"]


def test_domain_rule_names_the_chain_from_domain_code_to_a_view(monkeypatch):
    fake_graph(
        monkeypatch,
        [
            ("zonedesk.a.services", "zonedesk.a.helpers"),
            ("zonedesk.a.helpers", "zonedesk.b.views"),
            ("zonedesk.b.views", "zonedesk.b.selectors"),
        ],
    )
    assert domain_reaching_ui() == [
        "zonedesk.a.helpers -> zonedesk.b.views",
        "zonedesk.a.services -> zonedesk.a.helpers -> zonedesk.b.views",
    ]


@pytest.mark.parametrize(
    "source,expected",
    [
        (
            "from zonedesk.projects.services import _resolve_fk\n",
            ["imports zonedesk.projects.services._resolve_fk"],
        ),
        ("from ..projects.services import _apply as apply\n", ["imports zonedesk.projects.services._apply"]),
        (
            "from zonedesk.projects import services\nservices._ensure_within(1)\n",
            ["uses zonedesk.projects.services._ensure_within"],
        ),
        ("import zonedesk.projects.services as s\ns._apply()\n", ["uses zonedesk.projects.services._apply"]),
        (
            "from zonedesk.projects._internal import x\n",
            ["imports the private module zonedesk.projects._internal"],
        ),
        ("from .services import _own\nfrom zonedesk.dispatch.kpis import _own_too\n", []),
        ("from zonedesk.projects.services import EDITABLE_FIELDS, __doc__\n", []),
    ],
)
def test_private_name_finder_finds_each_way_of_reaching_another_apps_private_name(source, expected):
    found = private_name_uses("zonedesk.dispatch.example", source)
    assert [f.split(" ", 1)[1] for f in found] == expected
