"""The backend's import graph: no cycles, and imports only run downward through the
layers (rules and store → domain → web → commands). Read from the source with `ast`,
type-only imports included, so that a cycle cannot hide behind TYPE_CHECKING."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "seller_support"
# Lower layers know nothing of higher ones. rules and store are independent bases.
LAYERS = {"rules": 0, "store": 0, "domain": 1, "web": 2}
COMMANDS = 3  # serve, validate_rules, generate
WEB_FRAMEWORKS = ("flask", "flask_cors", "werkzeug", "waitress")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py") if "shared_rules" not in p.parts}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = importer if _is_package(importer) else importer.rsplit(".", 1)[0]
    for _ in range(node.level - 1):
        base = base.rsplit(".", 1)[0]
    return f"{base}.{node.module}" if node.module else base


def imports_of(name: str) -> set[str]:
    """Every module `name` imports: ours as module names, others as top-level names."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(name, node)
            submodules = {f"{target}.{a.name}" for a in node.names} & set(MODULES)
            found.update(submodules or {target})
    return {m if m.startswith("seller_support") else m.split(".")[0] for m in found}


GRAPH = {name: {m for m in imports_of(name) if m in MODULES} for name in MODULES}


def layer(name: str) -> int | None:
    parts = name.split(".")
    if len(parts) == 1:
        return None  # the package's own docstring module
    return LAYERS.get(parts[1], COMMANDS)


def test_no_import_cycle():
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            cycle = " -> ".join(path[path.index(name) :] + [name])
            pytest.fail(f"import cycle: {cycle}")
        if name in done:
            return
        for target in sorted(GRAPH[name]):
            visit(target, [*path, name])
        done.add(name)

    for name in sorted(GRAPH):
        visit(name, [])


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_run_downward(name):
    own = layer(name)
    for target in GRAPH[name]:
        theirs = layer(target)
        if own is None or theirs is None:
            continue
        assert theirs <= own, f"{name} (layer {own}) imports {target} (layer {theirs})"
        if own == LAYERS["rules"] and theirs == own:
            assert target.split(".")[1] == name.split(".")[1], f"{name} imports {target}"


@pytest.mark.parametrize(
    "name", sorted(n for n in MODULES if layer(n) is not None and layer(n) < LAYERS["web"])
)
def test_domain_rules_and_store_know_no_web_framework(name):
    used = imports_of(name) & set(WEB_FRAMEWORKS)
    assert not used, f"{name} imports {sorted(used)}"


def test_the_graph_is_read():
    """The checks above mean something only if the graph has the edges we know of."""
    assert "seller_support.domain.engine" in GRAPH["seller_support.web.extensions"]
    assert "seller_support.rules" in GRAPH["seller_support.domain.engine"]
    assert "flask" in imports_of("seller_support.web")
