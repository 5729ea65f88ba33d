"""``crossencoder``: a sentence-transformers CrossEncoder scoring (anchor text, candidate) pairs.

No cross-encoder ships offline: pass a local directory (or, with ``NEGATIVES_ALLOW_DOWNLOADS=1``,
a hub name such as ``cross-encoder/ms-marco-MiniLM-L6-v2``). A name that cannot be loaded raises
``ModelNotAvailable`` with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from probes.scorers.base import Anchor, PairScorer


class CrossEncoderScorer(PairScorer):
    """Score = the cross-encoder's output for (anchor text, candidate)."""

    kind = "crossencoder"

    def __init__(self, model: str | None = None, batch_size: int = 32) -> None:
        if not model:
            raise ValueError("crossencoder needs a model: --scorer crossencoder:NAME_OR_PATH")
        super().__init__(model=model, batch_size=int(batch_size))
        self._model = None

    @property
    def model(self):  # noqa: ANN201 - a CrossEncoder, imported lazily
        if self._model is None:
            from negatives.models import ModelNotAvailable  # sets the offline switches first

            from sentence_transformers import CrossEncoder

            try:
                self._model = CrossEncoder(self.options["model"], device="cpu")
            except (OSError, ValueError) as exc:
                raise ModelNotAvailable(f"cross-encoder {self.options['model']!r} cannot be loaded offline: {exc}") from exc
        return self._model

    def score_pairs(self, anchors: Sequence[Anchor], candidates: Sequence[str]) -> list[float]:
        if any("text" not in a for a in anchors):
            raise ValueError("the crossencoder scorer needs a text anchor")
        pairs = [(a["text"], c) for a, c in zip(anchors, candidates)]
        scores = self.model.predict(pairs, batch_size=self.options["batch_size"], show_progress_bar=False)
        return [float(s) for s in scores]
