"""Train the built-in world CLIP and report what it learned, on held-out scenes.

Prints training time and throughput, Recall@1 (image->text, text->image) on held-out scenes next to
the same untrained model (the ratio says how far training got above chance), and two-way accuracy
(true caption vs one hard negative) per kind of edit made by the project's engines, keeping only
negatives the world's ground truth says are false.

    .venv/bin/python benchmarks/train_world_clip.py [--scenes N] [--epochs E] [--held-out N] [--save DIR]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path


def edit_accuracy(model, preprocess, tokenizer, scenes: int, seed: int) -> dict[str, tuple[float, int]]:
    """Accuracy of image-caption similarity at preferring the positive, per (engine, op) and random."""
    import tempfile

    import torch
    import torch.nn.functional as F

    from negatives.difficulty import easy_random
    from negatives.generate import generate
    from negatives.images import load_image
    from negatives.readers import read_records
    from negatives.world.build import build_world, load_scenes
    from negatives.world.truth import CHECK, check_distractors

    with tempfile.TemporaryDirectory() as tmp:
        world = build_world(Path(tmp), scenes, seed=seed + 7)
        graphs = load_scenes(world.scenes)
        records = list(read_records(world.captions, fmt="coco", image_root=world.images))
        records = list(generate(records, per_engine=2, seed=seed))
        randoms = easy_random(records, seed=seed, n=2)
        for record in records:
            record.distractors.extend(randoms[record.id])
        outcomes: dict[str, list[bool]] = defaultdict(list)
        with torch.inference_mode():
            for record in records:
                check_distractors(record, graphs[record.meta["image_id"]])
                valid = [d for d in record.distractors if d.checks.get(CHECK) is True]
                if not valid:
                    continue
                image = F.normalize(model.encode_image(preprocess(load_image(record.anchor_image))[None]), dim=-1)
                texts = F.normalize(model.encode_text(tokenizer([record.positive, *[d.text for d in valid]])), dim=-1)
                sims = (image @ texts.T)[0]
                for d, s in zip(valid, sims[1:].tolist()):
                    outcomes[f"{d.engine}/{d.op}"].append(float(sims[0]) > s)
    return {k: (sum(v) / len(v), len(v)) for k, v in sorted(outcomes.items())}


def main() -> None:
    import torch

    from negatives import clip_train

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=clip_train.TrainConfig.scenes)
    parser.add_argument("--epochs", type=int, default=clip_train.TrainConfig.epochs)
    parser.add_argument("--held-out", type=int, default=500)
    parser.add_argument("--edit-scenes", type=int, default=120)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--save", type=Path, help="also save the trained model in this directory")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    config = replace(clip_train.TrainConfig(), scenes=args.scenes, epochs=args.epochs)
    print(f"config: {config} threads={args.threads}")
    start = time.perf_counter()
    model, preprocess, tokenizer, losses = clip_train.train(config, log=print)
    seconds = time.perf_counter() - start
    seen = config.epochs * (config.scenes // config.batch_size) * config.batch_size
    print(f"trained in {seconds:.1f} s ({seen / seconds:.0f} images/s); loss {losses[0]:.3f} -> {losses[-1]:.3f}")
    untrained = clip_train.new_model(config.seed)
    after = clip_train.retrieval_accuracy(model, preprocess, tokenizer, n=args.held_out)
    before = clip_train.retrieval_accuracy(*untrained, n=args.held_out)
    print(f"held-out scenes: {args.held_out} (chance R@1 {after['chance']:.4f})")
    for key in ("image_to_text_r1", "text_to_image_r1"):
        ratio = after[key] / max(before[key], 1e-9)
        print(f"  {key}: trained {after[key]:.3f}  untrained {before[key]:.3f}  ratio {ratio:.1f}x")
    print("two-way accuracy, positive vs one ground-truth-false negative (engine/op: accuracy, n):")
    for kind, (accuracy, n) in edit_accuracy(model, preprocess, tokenizer, args.edit_scenes, config.seed).items():
        print(f"  {kind:28s} {accuracy:.3f}  {n}")
    if args.save:
        print(f"saved: {clip_train.save(model, args.save)}")


if __name__ == "__main__":
    main()
