"""Layers point one way (issue 20 item 4), read from the source (`import_graph`, nothing is imported):

    ingest (the importer)   services -> http -> ui -> app (the server's application) -> cli
            \\                  |
             +-> top-level modules both sides share: errors, schema, sql, vocabulary, search_terms, places, ...

- Only the CLI (`build`, `fetch`) imports the importer package; what the serving code shares with it (table
  vocabularies, search terms, SQL quoting, the schema version, code rules) lives in a top-level module both import.
- The importer imports none of the serving layers; services know nothing of HTTP; http nothing of the web UI; the
  app is composed in one place (`onetlocal.app`) above http and ui.
- No cycle between the package's top-level modules and subpackages.
"""

from __future__ import annotations

from itertools import pairwise

import pytest

from import_graph import PACKAGE, imports, module_files, unit

INGEST, SERVICES, HTTP, UI, APP, CLI = (f"{PACKAGE}.{n}" for n in ("ingest", "services", "http", "ui", "app", "cli"))

#: unit -> the units it must not import.
FORBIDDEN = {
    INGEST: {SERVICES, HTTP, UI, APP, CLI, f"{PACKAGE}.db", f"{PACKAGE}.context", f"{PACKAGE}.keys"},
    SERVICES: {INGEST, HTTP, UI, APP, CLI},
    HTTP: {INGEST, UI, APP, CLI},
    UI: {INGEST, APP, CLI},
    APP: {INGEST, CLI},
}
#: Modules that may import the importer: the CLI's build and fetch commands (and the importer itself).
IMPORTS_INGEST = {CLI, INGEST}


def _unit_graph() -> dict[str, dict[str, list[str]]]:
    """unit -> {unit it imports: [the module edges that make it]}."""
    graph: dict[str, dict[str, list[str]]] = {}
    for module in module_files():
        for target in imports(module):
            a, b = unit(module), unit(target)
            if a != b:
                graph.setdefault(a, {}).setdefault(b, []).append(f"{module} -> {target}")
    return graph


def test_the_graph_is_read():
    """The reader sees the imports it must judge (a broken reader would pass every test below)."""
    assert f"{PACKAGE}.services.search" in module_files()
    assert f"{PACKAGE}.search_terms" in imports(f"{PACKAGE}.services.search")
    assert f"{PACKAGE}.ingest.search_index" in imports(f"{PACKAGE}.ingest")
    assert f"{PACKAGE}.ui" in imports(APP)  # `from onetlocal import ui`: the module, not the package root


def test_only_the_cli_imports_the_importer():
    offenders = [
        f"{module} -> {target}"
        for module in module_files()
        for target in imports(module)
        if unit(target) == INGEST and unit(module) not in IMPORTS_INGEST
    ]
    assert not offenders, "serving code imports the importer; move the shared name to a top-level module"


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_point_one_way(layer):
    edges = _unit_graph().get(layer, {})
    offenders = [edge for target, found in sorted(edges.items()) if target in FORBIDDEN[layer] for edge in found]
    assert not offenders


def test_no_cycle_between_top_level_modules():
    graph = _unit_graph()
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            cycle = path[path.index(node) :] + [node]
            edges = [graph[a][b][0] for a, b in pairwise(cycle)]
            pytest.fail("import cycle: " + " ; ".join(edges))
        if node in done:
            return
        for target in sorted(graph.get(node, {})):
            visit(target, [*path, node])
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
