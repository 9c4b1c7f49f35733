"""The package's shape: no import cycle, and no feature imports a speed-up."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "abp"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports (at any level)."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            found.update(t for t in targets if t in modules and t != name)
        graph[name] = found
    return graph


def test_features_never_import_a_speedup():
    for name, targets in imports().items():
        if not name.startswith("abp.speedups"):
            assert not [t for t in targets if t.startswith("abp.speedups")], name


def test_no_import_cycle():
    graph = imports()
    # a package's __init__ importing its own modules is how Python packages work: left out
    edges = {
        name: {t for t in targets if not name.startswith(t + ".") and not t.startswith(name + ".")}
        for name, targets in graph.items()
    }
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            raise AssertionError(" -> ".join([*path[path.index(name) :], name]))
        if name in done:
            return
        for target in edges.get(name, ()):
            visit(target, [*path, name])
        done.add(name)

    for name in edges:
        visit(name, [])


def test_tools_import_the_package_not_its_folder():
    for tool in (ROOT / "tools").glob("*.py"):
        text = tool.read_text(encoding="utf-8")
        assert "docs/_ext" not in text and '"_ext"' not in text, tool.name
