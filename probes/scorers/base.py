"""The scorer protocol: ``scorer(anchor, candidates) -> one float per candidate`` (higher = better).

``anchor`` is ``{"text": str}``, ``{"image": path}`` or ``{}``; candidates are texts, or
:class:`ImagePath` strings for image candidates. Any callable with that signature is a scorer.
Built-in scorers also expose a batch primitive the runner uses to do each unit of work once per run:

* :class:`EmbeddingScorer` — ``encode_texts`` / ``encode_images`` return L2-normalised vectors and
  the score is the cosine similarity of anchor and candidate (each unique text/image encoded once);
* :class:`PairScorer` — ``score_pairs(anchors, candidates)`` scores (anchor, candidate) pairs
  independently of the other candidates (each unique pair scored once);
* :class:`ItemScorer` — ``score_items(items)`` scores whole items at once (each unique item once).

A scorer may define ``prepare(records)`` (called once by the runner before scoring, e.g. to fit
a blind n-gram model on the set) and ``describe() -> dict`` (recorded in the report). A built-in
scorer names the anchor kinds (``text``, ``image``, ``none``) and candidate kinds (``text``,
``image``) it can score, so a set it does not fit is refused before any model loads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

Anchor = dict[str, str]


class ImagePath(str):
    """A candidate that is an image file path rather than a text."""


@runtime_checkable
class Scorer(Protocol):
    def __call__(self, anchor: Anchor, candidates: Sequence[str]) -> Sequence[float]: ...


def anchor_key(anchor: Anchor) -> tuple[tuple[str, str], ...]:
    """A hashable, order-independent form of an anchor."""
    return tuple(sorted(anchor.items()))


class BuiltinScorer:
    """Common ground of the built-in scorers: a kind, options, a description."""

    kind = "scorer"
    loads_model = False  # True: describe() lists the models loaded (names, versions)
    anchors: frozenset[str] = frozenset({"text", "image", "none"})  # anchor kinds it can score
    candidates: frozenset[str] = frozenset({"text"})  # candidate kinds it can score

    def __init__(self, **options: Any) -> None:
        self.options = options

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "options": dict(sorted(self.options.items()))}
        if self.loads_model:
            from negatives.manifest import loaded_models

            out["models"] = loaded_models()
        return out

    def __repr__(self) -> str:
        opts = ",".join(f"{k}={v}" for k, v in sorted(self.options.items()))
        return f"{type(self).__name__}({opts})"


class EmbeddingScorer(BuiltinScorer):
    """Cosine similarity between an anchor embedding and candidate embeddings."""

    anchors = frozenset({"text"})

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError(f"{self.kind} cannot encode texts")

    def encode_images(self, paths: Sequence[str]) -> np.ndarray:
        raise NotImplementedError(f"{self.kind} cannot encode images")

    def encode(self, values: Sequence[str]) -> np.ndarray:
        """Encode texts and :class:`ImagePath` values, in order."""
        images = [i for i, v in enumerate(values) if isinstance(v, ImagePath)]
        texts = [i for i, v in enumerate(values) if not isinstance(v, ImagePath)]
        parts = []
        if texts:
            parts.append((texts, self.encode_texts([values[i] for i in texts])))
        if images:
            parts.append((images, self.encode_images([values[i] for i in images])))
        dim = parts[0][1].shape[1]
        out = np.zeros((len(values), dim), dtype=np.float32)
        for index, vectors in parts:
            out[index] = vectors
        return out

    def __call__(self, anchor: Anchor, candidates: Sequence[str]) -> list[float]:
        vectors = self.encode([anchor_value(anchor, self.kind), *candidates])
        return [float(x) for x in vectors[1:] @ vectors[0]]


def anchor_value(anchor: Anchor, kind: str) -> str:
    """The anchor as an encodable value: its text, or its image as an :class:`ImagePath`."""
    if "text" in anchor:
        return anchor["text"]
    if "image" in anchor:
        return ImagePath(anchor["image"])
    raise ValueError(f"the {kind} scorer compares candidates with an anchor, and this item has none")


class PairScorer(BuiltinScorer):
    """Scores each (anchor, candidate) pair on its own."""

    def score_pairs(self, anchors: Sequence[Anchor], candidates: Sequence[str]) -> list[float]:
        raise NotImplementedError

    def __call__(self, anchor: Anchor, candidates: Sequence[str]) -> list[float]:
        return self.score_pairs([anchor] * len(candidates), list(candidates))


class ItemScorer(BuiltinScorer):
    """Scores all candidates of an item together (the score of one depends on the others)."""

    def score_items(self, items: Sequence[tuple[Anchor, Sequence[str]]]) -> list[list[float]]:
        raise NotImplementedError

    def __call__(self, anchor: Anchor, candidates: Sequence[str]) -> list[float]:
        return self.score_items([(anchor, candidates)])[0]


def l2_normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1, norms)


def describe(scorer: Callable[..., Any]) -> dict[str, Any]:
    """A scorer's description: its own ``describe()``, else its Python name."""
    if hasattr(scorer, "describe"):
        return dict(scorer.describe())
    name = getattr(scorer, "__qualname__", type(scorer).__qualname__)
    return {"kind": "callable", "callable": f"{getattr(scorer, '__module__', '?')}.{name}"}
