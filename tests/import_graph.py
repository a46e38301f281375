"""The import graph of the onetlocal package, read from the source with `ast` (nothing is imported): for the
layering test (`test_layers.py`) and for the test database's cache key (the build code is the ingest package and
every module it imports, see `build_code`)."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "onetlocal"


@cache
def module_files() -> dict[str, Path]:
    """Dotted module name -> source file, for every module of the package (a package is its __init__.py)."""
    out = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _resolve(name: str) -> str | None:
    """The module of the package that `name` (a module or a name inside one) refers to."""
    modules = module_files()
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


@cache
def imports(module: str) -> frozenset[str]:
    """The package's modules that `module` imports, anywhere in its body (also inside functions)."""
    path = module_files()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from pkg import mod` imports the module pkg.mod; `from mod import name` imports mod.
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in module_files() else base for alias in node.names
            ]
        else:
            continue
        found.update(m for n in names if n.split(".")[0] == PACKAGE and (m := _resolve(n)))
    found.discard(module)
    return frozenset(found)


def unit(module: str) -> str:
    """The top-level module or subpackage a module belongs to: onetlocal.http.routing -> onetlocal.http."""
    return ".".join(module.split(".")[:2])


def closure(roots: list[str]) -> set[str]:
    """`roots` and every module they import, directly or not (with the packages that hold them)."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        parts = module.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # importing a.b.c runs a and a.b
        todo.extend(imports(module))
    return seen


def build_code() -> list[Path]:
    """The source files `onetlocal build` runs: the ingest package and every module it imports."""
    modules = module_files()
    roots = [m for m in modules if m == f"{PACKAGE}.ingest" or m.startswith(f"{PACKAGE}.ingest.")]
    return sorted(modules[m] for m in closure(roots))
