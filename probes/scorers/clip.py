"""``clip``: open_clip image-text cosine similarity.

``--scorer clip:MODEL,pretrained=TAG_OR_CHECKPOINT``: MODEL is an open_clip architecture name or
the path of a JSON model config (custom small models); ``pretrained`` is an open_clip tag or a local
checkpoint. Without MODEL, the built-in small CLIP (``negatives.clip_train.default_world_clip()`` ->
``(config, checkpoint)``) is used. The anchor is an image and the candidates texts, or the other
way round.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from probes.scorers.base import EmbeddingScorer, l2_normalise


class ClipScorer(EmbeddingScorer):
    """Image and text embeddings from one open_clip model."""

    kind = "clip"
    loads_model = True
    anchors = frozenset({"text", "image"})
    candidates = frozenset({"text", "image"})

    def __init__(self, model: str | None = None, pretrained: str | None = None) -> None:
        super().__init__(model=model, pretrained=pretrained)
        self._loaded = None

    @property
    def loaded(self):  # noqa: ANN201 - (model, preprocess, tokenizer), imported lazily
        if self._loaded is None:
            from negatives import models
            from negatives.clip_train import default_world_clip

            name, pretrained = self.options["model"], self.options["pretrained"]
            if name is None:
                name, pretrained = default_world_clip()
            model, preprocess, tokenizer = models.load_open_clip(name, pretrained)
            model.eval()
            self._loaded = (model, preprocess, tokenizer)
        return self._loaded

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        import torch

        model, _, tokenizer = self.loaded
        with torch.inference_mode():
            return l2_normalise(model.encode_text(tokenizer(list(texts))).float().numpy())

    def encode_images(self, paths: Sequence[str]) -> np.ndarray:
        import torch

        from negatives.images import load_image

        model, preprocess, _ = self.loaded
        batch = [preprocess(load_image(path)) for path in paths]
        with torch.inference_mode():
            return l2_normalise(model.encode_image(torch.stack(batch)).float().numpy())
