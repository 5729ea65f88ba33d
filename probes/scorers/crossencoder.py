"""``crossencoder``: a sentence-transformers CrossEncoder scoring (anchor text, candidate) pairs.

``--scorer crossencoder:NAME_OR_PATH`` loads any CrossEncoder through the ordinary library call (a
local directory, or a hub name such as ``cross-encoder/ms-marco-MiniLM-L6-v2`` from the local
Hugging Face cache or with ``NEGATIVES_ALLOW_DOWNLOADS=1``). Without a name, the built-in one:
MiniLM fine-tuned on the scene world's text task, trained on first use and cached
(:mod:`probes.crossencoder_train`). A model that cannot be loaded raises ``ModelNotAvailable``.
The score is the model's raw logit (no sigmoid), so confident pairs do not tie at 1.0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from probes.scorers.base import Anchor, PairScorer


class CrossEncoderScorer(PairScorer):
    """Score = the cross-encoder's logit for (anchor text, candidate)."""

    kind = "crossencoder"
    anchors = frozenset({"text"})

    def __init__(self, model: str | None = None, batch_size: int = 32) -> None:
        super().__init__(model=model, batch_size=int(batch_size))
        self._model = None
        self.source: str | None = None

    @property
    def model(self):  # noqa: ANN201 - a CrossEncoder, imported lazily
        if self._model is None:
            from negatives.models import ModelNotAvailable  # sets the offline switches first

            from sentence_transformers import CrossEncoder

            from probes.crossencoder_train import default_world_crossencoder

            self.source = self.options["model"] or default_world_crossencoder()
            try:
                self._model = CrossEncoder(self.source, device="cpu")
            except (OSError, ValueError) as exc:
                raise ModelNotAvailable(f"cross-encoder {self.source!r} cannot be loaded offline: {exc}") from exc
        return self._model

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "source": self.source}

    def score_pairs(self, anchors: Sequence[Anchor], candidates: Sequence[str]) -> list[float]:
        import torch

        if any("text" not in a for a in anchors):
            raise ValueError("the crossencoder scorer needs a text anchor")
        pairs = [(a["text"], c) for a, c in zip(anchors, candidates)]
        scores = self.model.predict(pairs, batch_size=self.options["batch_size"], show_progress_bar=False,
                                    activation_fn=torch.nn.Identity())
        return [float(s) for s in scores]
