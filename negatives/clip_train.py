"""The built-in small CLIP: an open_clip custom config trained on the scene world.

No pretrained CLIP weights exist offline, so the toolkit trains its own on first use and caches it
under ``negatives.cache.cache_dir()`` (16,000 image-caption steps, about two minutes on 2 idle CPU
cores; nothing is shipped in the package).  The cache directory is named by a hash of the model and
training configs, so changing either trains a new model.  Training is the standard CLIP recipe: in-batch contrastive loss over
(image, caption) pairs with a learned temperature, AdamW, linear warm-up then cosine decay.
"""

from __future__ import annotations

import hashlib
import json
import random
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, NamedTuple

from negatives.cache import build_once, cache_dir
from negatives.world.captions import captions
from negatives.world.render import render
from negatives.world.scene import Scene, sample_scenes
from negatives.world.truth import parse, truth_of

MODEL_NAME = "negatives-world-clip"
IMAGE_SIZE = 64
MODEL_CONFIG: dict[str, Any] = {
    "embed_dim": 64,
    "vision_cfg": {"image_size": IMAGE_SIZE, "layers": 3, "width": 64, "head_width": 32, "patch_size": 8,
                   "mlp_ratio": 2.0},
    "text_cfg": {"context_length": 32, "vocab_size": 49408, "width": 64, "heads": 2, "layers": 2,
                 "mlp_ratio": 2.0},
}
CHECKPOINT = "open_clip_model.safetensors"
VALIDATION_START = 1_000_000  # held-out scenes are drawn from ids at and above this


class BuiltinClip(NamedTuple):
    """The model config file (its stem is the open_clip model name) and the checkpoint.

    ``negatives.models.load_open_clip(config, pretrained)`` loads it.
    """

    config: str
    pretrained: str


@dataclass(frozen=True)
class TrainConfig:
    scenes: int = 4000
    epochs: int = 4
    batch_size: int = 32
    lr: float = 2e-3
    weight_decay: float = 0.05
    warmup: float = 0.1  # share of steps with linear warm-up
    seed: int = 0

    def key(self) -> str:
        blob = json.dumps({"model": MODEL_CONFIG, "train": asdict(self), "version": 1}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]


def write_config(directory: Path) -> Path:
    """Write the model config as ``<MODEL_NAME>.json`` and register it with open_clip."""
    import open_clip

    path = Path(directory) / f"{MODEL_NAME}.json"
    path.write_text(json.dumps(MODEL_CONFIG, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    open_clip.add_model_config(path)
    return path


def new_model(seed: int) -> tuple[Any, Any, Any]:
    """A freshly initialised (model, preprocess, tokenizer), the same weights for the same seed."""
    import torch

    from negatives import models

    with tempfile.TemporaryDirectory() as tmp, torch.random.fork_rng():
        write_config(Path(tmp))
        torch.manual_seed(seed)
        return models.load_open_clip(MODEL_NAME)


def examples(scenes: list[Scene], preprocess: Callable, seed: int) -> tuple[Any, list[list[str]]]:
    """Image tensor (N, 3, H, W) through the model's own preprocessing, and each scene's captions."""
    import torch

    images = torch.stack([preprocess(render(s, IMAGE_SIZE)) for s in scenes])
    return images, [captions(s, seed=seed) for s in scenes]


def contrastive_loss(image_features: Any, text_features: Any, logit_scale: Any) -> Any:
    """Symmetric cross-entropy over the in-batch image-text similarity matrix."""
    import torch
    import torch.nn.functional as F

    logits = logit_scale * F.normalize(image_features, dim=-1) @ F.normalize(text_features, dim=-1).T
    target = torch.arange(len(logits))
    return (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2


def train(config: TrainConfig, log: Callable[[str], None] | None = None) -> tuple[Any, Any, Any, list[float]]:
    """Train on ``config.scenes`` world scenes; returns (model, preprocess, tokenizer, loss per step)."""
    import math

    import torch

    model, preprocess, tokenizer = new_model(config.seed)
    images, texts = examples(sample_scenes(config.scenes, config.seed), preprocess, config.seed)
    rng = random.Random(config.seed)
    steps_per_epoch = max(1, len(images) // config.batch_size)
    total = steps_per_epoch * config.epochs
    warmup = max(1, int(total * config.warmup))
    # Sparse gradients for the 49k-row token table: only rows of tokens in the batch are updated,
    # which keeps an optimiser step cheap (a dense Adam step over the table dominates small batches).
    model.token_embedding.sparse = True
    dense = [p for n, p in model.named_parameters() if n != "token_embedding.weight"]
    optimisers = [
        torch.optim.AdamW(dense, lr=config.lr, weight_decay=config.weight_decay),
        torch.optim.SparseAdam([model.token_embedding.weight], lr=config.lr),
    ]

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, total - warmup)))

    schedules = [torch.optim.lr_scheduler.LambdaLR(o, factor) for o in optimisers]
    losses: list[float] = []
    model.train()
    for epoch in range(config.epochs):
        order = list(range(len(images)))
        rng.shuffle(order)
        for step in range(steps_per_epoch):
            batch = order[step * config.batch_size:(step + 1) * config.batch_size]
            tokens = tokenizer([rng.choice(texts[i]) for i in batch])
            image_features, text_features, logit_scale = model(images[batch], tokens)[:3]
            loss = contrastive_loss(image_features, text_features, logit_scale)
            for optimiser in optimisers:
                optimiser.zero_grad()
            loss.backward()
            for optimiser, schedule in zip(optimisers, schedules):
                optimiser.step()
                schedule.step()
            with torch.no_grad():
                model.logit_scale.clamp_(0, math.log(100))
            losses.append(loss.item())
        if log:
            log(f"epoch {epoch + 1}/{config.epochs}: loss {sum(losses[-steps_per_epoch:]) / steps_per_epoch:.3f}")
    model.token_embedding.sparse = False
    model.eval()
    return model, preprocess, tokenizer, losses


def save(model: Any, directory: Path) -> BuiltinClip:
    """Write config and weights into ``directory``."""
    from safetensors.torch import save_file

    directory.mkdir(parents=True, exist_ok=True)
    config = write_config(directory)
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(directory / CHECKPOINT))
    return BuiltinClip(str(config), str(directory / CHECKPOINT))


def default_world_clip(config: TrainConfig = TrainConfig(), log: Callable[[str], None] | None = None) -> BuiltinClip:
    """The cached built-in CLIP, training it first if this config has no cache entry yet."""
    target = cache_dir() / f"world-clip-{config.key()}"

    def build(directory: Path) -> None:
        if log:
            log(f"training the built-in world CLIP (first use; cached in {target})")
        model, *_ = train(config, log)
        save(model, directory)

    build_once(target, CHECKPOINT, build)
    return BuiltinClip(str(target / f"{MODEL_NAME}.json"), str(target / CHECKPOINT))


def retrieval_accuracy(model: Any, preprocess: Callable, tokenizer: Callable, n: int = 500,
                       seed: int = 0) -> dict[str, float]:
    """Recall@1 both ways on ``n`` held-out scenes (one caption each, drawn from unseen scene ids)."""
    import torch
    import torch.nn.functional as F

    scenes = sample_scenes(n, seed, start=VALIDATION_START)
    images, texts = examples(scenes, preprocess, seed)
    rng = random.Random(seed)
    chosen = [rng.choice(t) for t in texts]
    with torch.inference_mode():
        img = F.normalize(model.encode_image(images), dim=-1)
        txt = F.normalize(model.encode_text(tokenizer(chosen)), dim=-1)
    sims = img @ txt.T
    target = torch.arange(n)
    # a caption true of several scenes counts as retrieved when any scene it is true of is chosen
    parsed = [parse(text) for text in chosen]
    same = torch.tensor([[truth_of(parsed[j], scene) is True for j in range(n)] for scene in scenes])
    i2t = same[target, sims.argmax(1)].float().mean()
    t2i = same[sims.argmax(0), target].float().mean()
    return {"image_to_text_r1": float(i2t), "text_to_image_r1": float(t2i), "n": float(n),
            "chance": 1.0 / n}
