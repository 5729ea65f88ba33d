"""Import contract: no module imports itself back (function-level imports included), and the layers hold.

Layers, bottom up: the core of ``negatives`` (records, readers, engines, plausibility, generation,
difficulty, grading ...) imports nothing from ``probes``; ``probes`` (scorers, metrics, reports)
builds on that core; the application layer of ``negatives`` (:data:`APPLICATION`: the CLI and its
commands, the audit, debiasing, the browser) may use both, and nothing below imports it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("negatives", "probes")
APPLICATION = ("negatives.cli", "negatives.commands", "negatives.audit", "negatives.debias", "negatives.browse")


def modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            out[name.removesuffix(".__init__")] = path
    return out


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports anywhere in its body (a package import counts as
    its ``__init__``; ``from package import module`` as that module)."""
    mods = modules()

    def resolve(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for target in targets:
                found = resolve(target)
                if found and found != name:
                    graph[name].add(found)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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


def application(name: str) -> bool:
    return any(name == a or name.startswith(a + ".") for a in APPLICATION)


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_core_of_negatives_never_imports_probes():
    wrong = sorted(f"{m} -> {t}" for m, targets in import_graph().items() if m.startswith("negatives")
                   and not application(m) for t in targets if t.startswith("probes"))
    assert wrong == []


def test_nothing_below_the_application_layer_imports_it():
    wrong = sorted(f"{m} -> {t}" for m, targets in import_graph().items() if not application(m) and m != "negatives"
                   for t in targets if application(t))
    assert wrong == []
