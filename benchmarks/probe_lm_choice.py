"""The Generative AI Paradox on identical items: the causal LM's likelihood (`lm`) against the same LM
picking a lettered option (`lm-choice`, plain and chat prompts), on a COCO text task.

Anchor: a COCO caption; positive: another caption of the same image; distractor: a caption of a
random other image (`random`, the obviously wrong control) or SugarCrepe's negative for the positive
(one row per category). Prints item accuracy % [Wilson 95% CI] per task and scorer.

    .venv/bin/python benchmarks/probe_lm_choice.py [--random 150] [--sample 40] [--model NAME]

Skips (exit 0) when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from probe_sugarcrepe import CATEGORIES, DATA, ROOT, coco_text_task, load_sugarcrepe, table  # noqa: E402

sys.path.insert(0, str(ROOT))

from negatives.readers import read_records  # noqa: E402
from negatives.records import Distractor, Record  # noqa: E402
from probes.api import evaluate  # noqa: E402
from probes.scorers import build_scorer  # noqa: E402


def random_task(coco: Path, n: int, seed: int) -> list[Record]:
    """Anchor: an image's first caption; positive: its second; distractor: another image's second caption."""
    images: dict[str, list[str]] = {}
    for r in read_records(coco, fmt="coco"):
        if isinstance(r, Record):
            images.setdefault(str(r.meta["image_id"]), [r.positive, *r.siblings])
    ids = sorted(images)
    rng = random.Random(seed)
    picked = rng.sample(ids, 2 * n)
    return [Record(id=f"random-{i}", task="text", anchor={"text": images[i][0]}, positive=images[i][1],
                   distractors=[Distractor(text=images[j][1], engine="coco", op="random")])
            for i, j in zip(picked[:n], picked[n:])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coco", type=Path, default=DATA / "coco" / "captions_val2017.json")
    parser.add_argument("--sugarcrepe", type=Path, default=DATA / "sugarcrepe")
    parser.add_argument("--random", type=int, default=150, help="items with a random other-image caption")
    parser.add_argument("--sample", type=int, default=40, help="SugarCrepe items per category (0: none)")
    parser.add_argument("--model", default=None, help="causal LM (default: the offline SmolLM2-135M-Instruct)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not args.coco.is_file():
        print(f"skipped: no COCO captions at {args.coco}")
        return
    records = random_task(args.coco, args.random, args.seed)
    if args.sample and (args.sugarcrepe / "add_att.json").is_file():
        records += coco_text_task(load_sugarcrepe(args.sugarcrepe, args.sample, args.seed), args.coco)
    model = f":{args.model}" if args.model else ""
    specs = {"lm-choice": f"lm-choice{model}", "lm-choice-chat": f"lm-choice{model},format=chat",
             "lm-mean": f"lm{model},reduction=mean", "lm-mutual-info": f"lm{model},reduction=mutual-info"}
    print(f"{len(records)} items; scorers: {specs}", flush=True)
    start = time.perf_counter()
    report = evaluate(records, {name: build_scorer(spec) for name, spec in specs.items()}, progress=False)
    print(f"scored in {time.perf_counter() - start:.0f} s\n\nitem accuracy % [Wilson 95% CI] (chance 50)\n")
    print(table(report, ops=("random", *CATEGORIES)))


if __name__ == "__main__":
    main()
