"""Probe-runner overhead: `run_scorer` on a set vs the bare scorer encoding the same unique texts.

The set shares texts between items (as graded sets do: the same positive under several anchors,
the same distractor in several items), so the runner must encode each unique text once; what it
adds on top (collecting unique texts, mapping scores back, building items) is its overhead.
Both sides run in this process, alternately, best of ``--repeats``; target: overhead under 15%.

    .venv/bin/python benchmarks/bench_probe_runner.py [--items 2000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from negatives.records import Distractor, Record  # noqa: E402
from probes.runner import candidates, run_scorer  # noqa: E402
from probes.scorers.base import anchor_value  # noqa: E402
from probes.scorers.biencoder import BiencoderScorer  # noqa: E402

ADJ = ["red", "small", "old", "wooden", "striped", "happy", "wet", "tall"]
NOUN = ["dog", "cat", "man", "woman", "bus", "horse", "child", "bird", "train", "boat"]
VERB = ["standing", "sitting", "running", "sleeping", "waiting", "walking"]
PLACE = ["grass", "street", "beach", "table", "bed", "road", "field"]


def synthetic_set(n: int, seed: int) -> list[Record]:
    rng = random.Random(seed)
    pool = sorted({f"a {rng.choice(ADJ)} {rng.choice(NOUN)} {rng.choice(VERB)} on the {rng.choice(PLACE)}" for _ in range(n)})
    records = []
    for i in range(n):
        anchor, positive, *negatives = rng.sample(pool, 5)
        ds = [Distractor(text=t, engine="bench", op="sample", level=k) for k, t in enumerate(negatives)]
        records.append(Record(id=str(i), task="text", anchor={"text": anchor}, positive=positive, distractors=ds))
    return records


def bare(scorer: BiencoderScorer, records: list[Record], batch: int) -> float:
    texts = sorted({t for r in records for t in (anchor_value(r.anchor, "bench"), *candidates(r))})
    start = time.perf_counter()
    for i in range(0, len(texts), batch):
        scorer.encode_texts(texts[i : i + batch])
    return time.perf_counter() - start


def runner(scorer: BiencoderScorer, records: list[Record], batch: int) -> float:
    start = time.perf_counter()
    run_scorer(records, scorer, batch_size=batch, progress=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    records = synthetic_set(args.items, args.seed)
    scorer = BiencoderScorer()
    scorer.encode_texts(["warm-up"])
    unique = len({t for r in records for t in (r.anchor["text"], *candidates(r))})
    texts = sum(2 + len(r.distractors) for r in records)
    print(f"{len(records)} items, {texts} anchor+candidate texts, {unique} unique", flush=True)
    bare_times, runner_times = [], []
    for _ in range(args.repeats):
        bare_times.append(bare(scorer, records, args.batch_size))
        runner_times.append(runner(scorer, records, args.batch_size))
    b, r = min(bare_times), min(runner_times)
    print(f"bare scorer on the unique texts: {b:.2f} s ({unique / b:.0f} texts/s)")
    print(f"probe runner on the set:         {r:.2f} s")
    print(f"runner / bare = {r / b:.3f} (overhead {100 * (r / b - 1):+.1f}%; target < +15%)")


if __name__ == "__main__":
    main()
