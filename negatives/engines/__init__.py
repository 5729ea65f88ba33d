"""Perturbation engines behind one protocol (:class:`~negatives.engines.base.Engine`).

``ENGINES`` maps the ``engine`` names written into records to their classes;
:func:`build_engines` instantiates a selection, handing each option to the engines that take it.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

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
}


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
