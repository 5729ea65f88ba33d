"""Batches sized by their padded token count, so one long text never inflates a whole batch.

A transformer's memory for a batch grows with ``batch size x longest sequence`` (attention and
logits even faster), so a fixed number of texts per batch is fine for captions and ruinous when one
text is a hundred times longer: it pads every other row to its length. :func:`token_batches` groups
items longest first and closes a group when one more item would pass the token budget.
"""

from __future__ import annotations

from collections.abc import Sequence


def token_batches(lengths: Sequence[int], budget: int, max_size: int | None = None) -> list[list[int]]:
    """Indices of ``lengths`` in groups of at most ``max_size`` whose ``size x longest length`` stays
    within ``budget`` (a single item longer than the budget is a group of its own)."""
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    groups: list[list[int]] = []
    for i in order:
        group = groups[-1] if groups else None
        if group and (max_size is None or len(group) < max_size) and (len(group) + 1) * lengths[group[0]] <= budget:
            group.append(i)
        else:
            groups.append([i])
    return groups
