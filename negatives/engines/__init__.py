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


OVERGENERATION: dict[str, Any] = {"alternatives": 8, "closest": 50, "swaps": 10}
"""Engine options for the candidate pool a selector (``--debias``) chooses from: up to 8
replacements per edited slot (nouns among the 50 first options, counts, prepositions, verbs) and 10
noun pairs to swap. A varied pool is what lets a selection find, for many items, a distractor a
blind scorer prefers over the positive."""
POOL_OPS = frozenset({"count.plural", "count.multiply"})
"""Operators added to the defaults for a selector's pool: a plural shortens where a numeral
lengthens, and "a dog" -> "two dogs" (off by default, judged less fluent) gives most captions a
count edit: with stated numerals alone the blind LM prior prefers the positive for almost every
item and the selection keeps a sixth of the yield (`benchmarks/audit_sugarcrepe_vs_ours.py --seed 0`: 17%)."""


def overgeneration(engines: Sequence[str]) -> dict[str, Any]:
    """The :data:`OVERGENERATION` options that at least one of the rule ``engines`` takes."""
    taken = {p for name in engines if name in ENGINES for p in inspect.signature(ENGINES[name]).parameters}
    return {k: v for k, v in OVERGENERATION.items() if k in taken}


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
