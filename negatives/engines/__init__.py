"""Perturbation engines behind one protocol (:class:`~negatives.engines.base.Engine`).

``ENGINES`` maps the ``engine`` names written into records to their classes;
:func:`build_engines` instantiates a selection, handing each option to the engines that take it.
Each engine class lists its operators (``OPS``) and the ones on by default (``DEFAULT_OPS``), named
``engine.op`` in :data:`ALL_OPS` and :data:`DEFAULT_OPS`; :func:`select_ops` reads ``--ops``.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

from negatives.engines.answer import AnswerEngine
from negatives.engines.base import Engine
from negatives.engines.binding import BindingEngine
from negatives.engines.count import CountEngine
from negatives.engines.entity import EntityEngine
from negatives.engines.relation import RelationEngine

ENGINES: dict[str, type] = {
    "entity": EntityEngine,
    "binding": BindingEngine,
    "count": CountEngine,
    "relation": RelationEngine,
    "answer": AnswerEngine,  # text tasks only
}


ALL_OPS: tuple[str, ...] = tuple(f"{name}.{op}" for name, cls in ENGINES.items() for op in cls.OPS)
DEFAULT_OPS: frozenset[str] = frozenset(f"{name}.{op}" for name, cls in ENGINES.items() for op in cls.DEFAULT_OPS)


def select_ops(spec: str | None) -> frozenset[str]:
    """The operators ``--ops`` turns on: comma-separated ``engine.op`` names (``engine.*`` for all
    of an engine's); names prefixed with ``+`` or ``-`` add to or remove from the defaults instead
    ("-relation.negation,+count.plural"). None or "" keeps the defaults."""
    items = [x.strip() for x in (spec or "").split(",") if x.strip()]
    relative = [x for x in items if x[0] in "+-"]
    if relative and len(relative) != len(items):
        raise ValueError("--ops takes either a list of operators or +/- changes to the defaults, not both")
    chosen = set(DEFAULT_OPS) if relative or not items else set()
    for item in items:
        sign, name = (item[0], item[1:]) if item[0] in "+-" else ("+", item)
        matched = [op for op in ALL_OPS if op == name or (name.endswith(".*") and op.startswith(name[:-1]))]
        if not matched:
            raise ValueError(f"unknown operator {name!r}; choose from {', '.join(ALL_OPS)} (or engine.*)")
        chosen = chosen | set(matched) if sign == "+" else chosen - set(matched)
    return frozenset(chosen)


def build_engines(names: Sequence[str], **options: Any) -> list[Engine]:
    """Engines by name, in order; each keyword option goes to every selected engine that takes it.

    An unknown name or an option no selected engine takes raises ValueError.
    """
    unknown = [n for n in names if n not in ENGINES]
    if unknown:
        raise ValueError(f"unknown engine(s) {', '.join(unknown)}; choose from {', '.join(ENGINES)}")
    engines, used = [], set()
    for name in names:
        accepted = inspect.signature(ENGINES[name]).parameters
        mine = {k: v for k, v in options.items() if k in accepted}
        used.update(mine)
        engines.append(ENGINES[name](**mine))
    unused = sorted(set(options) - used)
    if unused:
        raise ValueError(f"option(s) {', '.join(unused)} not taken by engine(s) {', '.join(names)}")
    return engines
