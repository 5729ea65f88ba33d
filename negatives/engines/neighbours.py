"""The ``neighbours`` engine: embedding neighbours from the input corpus, retrieved with FAISS.

Unlike the rule engines it works on the whole corpus at once: every positive of the input is a
candidate for every other item. What makes a neighbour *false* is that it was written for another
item; the guards in :mod:`negatives.mining` drop the ones that may still be true (the item's own
siblings, near-duplicates of the positive, anything within the relative margin of the positive).
Distractors carry ``engine="neighbours"``, ``op="retrieve"``, no edit, and ``meta`` with the
similarity ``score`` to the query, its ``rank`` among retrieved texts and the ``source`` item id.
"""

from __future__ import annotations

from typing import Any

from negatives.mining import MiningStats, mine_neighbours
from negatives.records import Distractor, Record


class NeighboursEngine:
    """Corpus-level engine: ``mine(records)`` returns each record's mined distractors by id."""

    name = "neighbours"

    def __init__(self, embedder: Any | None = None, **options: Any) -> None:
        """``options`` are those of :func:`negatives.mining.mine_neighbours` (k, guards, window, index, model)."""
        self.options = options
        self.embedder = embedder
        self.stats: MiningStats | None = None

    def mine(self, records: list[Record], seed: int = 0) -> dict[str, list[Distractor]]:
        mined, self.stats = mine_neighbours(records, embedder=self.embedder, seed=seed, **self.options)
        return mined
