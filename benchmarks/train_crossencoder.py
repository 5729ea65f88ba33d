"""Train the built-in cross-encoder from scratch and report what it learned on data it never saw.

Prints training time, then two-way accuracy (the true caption scores above the false one) of the
trained model next to the same body with an untrained head: on held-out world scenes (a one-word
edit, another scene's caption) and, when ../shared/data is present, on real COCO captions (anchor:
another caption of the same image; false: a caption of a random other image, or SugarCrepe's
negative for the caption, per category).

    .venv/bin/python benchmarks/train_crossencoder.py [--scenes N] [--threads T] [--coco N] [--sugarcrepe N]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from negatives import models  # noqa: E402
from probes import crossencoder_train  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
CATEGORIES = ("add_att", "add_obj", "replace_att", "replace_obj", "replace_rel", "swap_att", "swap_obj")
Triple = tuple[str, str, str]  # (anchor, true, false)


def world_triples(scenes: int) -> dict[str, list[Triple]]:
    out: dict[str, list[Triple]] = {"world: one-word edit": [], "world: other scene": []}
    for anchor, (true, edited, other) in crossencoder_train.held_out(scenes):
        out["world: one-word edit"].append((anchor, true, edited))
        out["world: other scene"].append((anchor, true, other))
    return out


def coco_triples(data: Path, n: int, per_category: int, seed: int) -> dict[str, list[Triple]]:
    """Real captions: ``n`` random other-image captions, and a seeded sample of SugarCrepe negatives."""
    coco = json.loads((data / "coco" / "captions_val2017.json").read_text(encoding="utf-8"))
    by_image: dict[int, list[str]] = defaultdict(list)
    for a in coco["annotations"]:
        by_image[a["image_id"]].append(a["caption"].strip())
    images = sorted(by_image)
    rng = random.Random(seed)
    out: dict[str, list[Triple]] = {"coco: random caption": []}
    for i, j in zip(rng.sample(images, n), rng.sample(images, n)):
        if i != j:
            out["coco: random caption"].append((by_image[i][0], by_image[i][1], by_image[j][1]))
    sibling = {c: o for caps in by_image.values() for c in caps for o in caps[::-1] if o != c}  # first other caption
    for category in CATEGORIES:
        rows = list(json.loads((data / "sugarcrepe" / f"{category}.json").read_text(encoding="utf-8")).values())
        rng.shuffle(rows)
        out[f"sugarcrepe: {category}"] = [(sibling[r["caption"].strip()], r["caption"].strip(), r["negative_caption"].strip())
                                          for r in rows if r["caption"].strip() in sibling][:per_category]
    return out


def accuracy(model, triples: list[Triple]) -> float:  # noqa: ANN001 - a CrossEncoder
    pairs = [(a, c) for a, t, f in triples for c in (t, f)]
    scores = model.predict(pairs, batch_size=64, show_progress_bar=False).tolist()
    return sum(scores[k] > scores[k + 1] for k in range(0, len(scores), 2)) / len(triples)


def main() -> None:
    from negatives import models  # noqa: F401 - offline switches first

    import torch
    from sentence_transformers import CrossEncoder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=crossencoder_train.TrainConfig.scenes)
    parser.add_argument("--held-out", type=int, default=200, help="held-out world scenes")
    parser.add_argument("--coco", type=int, default=1000, help="random-caption pairs from COCO (0: no real data)")
    parser.add_argument("--sugarcrepe", type=int, default=300, help="SugarCrepe items per category")
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    config = replace(crossencoder_train.TrainConfig(), scenes=args.scenes)
    print(f"config: {config} threads={args.threads}", flush=True)
    start = time.perf_counter()
    trained, losses = crossencoder_train.train(config, log=print)
    seconds = time.perf_counter() - start
    print(f"trained in {seconds:.1f} s ({len(losses)} steps, {seconds / len(losses):.2f} s/step); "
          f"loss {sum(losses[:10]) / 10:.3f} -> {sum(losses[-10:]) / 10:.3f} (first/last 10 steps)", flush=True)
    torch.manual_seed(config.seed)
    untrained = CrossEncoder(models.default_embedder_path(), num_labels=1, device="cpu")
    sets = world_triples(args.held_out)
    if args.coco and (DATA / "sugarcrepe" / "add_att.json").is_file():
        sets.update(coco_triples(DATA, args.coco, args.sugarcrepe, config.seed))
    print("\n| two-way accuracy (true above false) | n | untrained head | trained |\n|---|---|---|---|")
    for name, triples in sets.items():
        print(f"| {name} | {len(triples)} | {accuracy(untrained, triples) * 100:.1f} | {accuracy(trained, triples) * 100:.1f} |",
              flush=True)


if __name__ == "__main__":
    main()
