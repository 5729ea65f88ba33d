"""Alternate names: the nouns the captions of one image use for one thing.

Annotators of one photo call one plate "a plate" or "a dish", one sofa "a couch" or "a sofa", one
pickup "a car" or "a truck". Such a pair never makes a false caption of a true one, so a
replacement of one by the other is no hard negative. Counted per image of the shipped reference
(:mod:`negatives.plausibility.reference`) from the nouns of each caption.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

ALTERNATE_SHARE, ALTERNATE_IMAGES = 0.2, 3
"""Nouns the captions of one image alternate between in this share of the rarer noun's images (and
at least this many) name one thing: plate and dish 0.57, couch and sofa 0.80, table and desk 0.35,
car and truck 0.23 (a pickup is either), against dog and cat 0, bus and train 0.03, man and woman
0.05, zebra and giraffe 0.10 (COCO val2017 captions of the shipped reference)."""


class Alternates:
    """Nouns the captions of one image use for one thing: "plate" in one caption, "dish" in another,
    never both in one. Per image, a pair counts when each noun is in a caption without the other and
    no caption has both; :meth:`share` is that count over the images of the rarer noun."""

    def __init__(self, pairs: Counter[tuple[str, str]] | None = None, images: Counter[str] | None = None) -> None:
        self.pairs: Counter[tuple[str, str]] = pairs or Counter()
        self.images: Counter[str] = images or Counter()

    def observe(self, captions: list[set[str]]) -> None:
        """Count one image from the nouns of each of its captions."""
        named = set().union(*captions) if captions else set()
        self.images.update(named)
        together = {(a, b) for nouns in captions for a in nouns for b in nouns if a < b}
        self.pairs.update((a, b) for a in named for b in named if a < b and (a, b) not in together)

    def share(self, a: str, b: str) -> float:
        """Images where ``a`` and ``b`` alternate, over the images that name the rarer of them."""
        least = min(self.images.get(a, 0), self.images.get(b, 0))
        return self.pairs.get((min(a, b), max(a, b)), 0) / least if least else 0.0

    def alternate(self, a: str, b: str) -> bool:
        """Whether people name one thing ``a`` or ``b`` (:data:`ALTERNATE_SHARE` of the rarer noun's
        images, at least :data:`ALTERNATE_IMAGES` of them): a replacement of one by the other may be true."""
        return self.pairs.get((min(a, b), max(a, b)), 0) >= ALTERNATE_IMAGES and self.share(a, b) >= ALTERNATE_SHARE

    def to_rows(self) -> list[list[Any]]:
        return [["image", w, n] for w, n in sorted(self.images.items())] + [
            ["pair", f"{a}|{b}", n] for (a, b), n in sorted(self.pairs.items()) if n > 1
        ]

    @classmethod
    def from_rows(cls, rows: Iterable[list[Any]]) -> Alternates:
        out = cls()
        for kind, key, n in rows:
            if kind == "image":
                out.images[key] = int(n)
            else:
                a, b = key.split("|")
                out.pairs[a, b] = int(n)
        return out
