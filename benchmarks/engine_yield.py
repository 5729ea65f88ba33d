"""Yield per engine and operator on real captions, and a seeded sample of distractors to read.

    python benchmarks/engine_yield.py [PATH] [--limit N] [--samples 20] [--per-engine 2] [--seed 0]

PATH defaults to ../shared/data/coco/captions_val2017.json (skips cleanly when absent). Runs the
four rule engines through ``generate`` (the corpus statistics first, as the CLI does) and prints the
statistics table (candidates proposed, removed by each check, kept, yield) and ``--samples``
distractors per engine drawn at random, each as "positive -> distractor [op]".
"""

from __future__ import annotations

import argparse
import random
from collections import defaultdict
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "coco" / "captions_val2017.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--samples", type=int, default=20)
    ap.add_argument("--per-engine", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if not args.path.is_file():
        print(f"skip: {args.path} not found")
        return

    from rich.console import Console

    from negatives.generate import GenerationStats, build_corpus_stats, generate, DEFAULT_ENGINES
    from negatives.readers import Reject, read_records

    records = [r for r in read_records(args.path) if not isinstance(r, Reject)][: args.limit]
    stats = GenerationStats(DEFAULT_ENGINES)
    by_engine: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for record in generate(records, per_engine=args.per_engine, seed=args.seed,
                           corpus_stats=build_corpus_stats(records), stats=stats):
        for d in record.distractors:
            by_engine[d.engine].append((record.positive, d.text, d.op))
    Console(width=160).print(stats.table())
    rng = random.Random(args.seed)
    for engine in DEFAULT_ENGINES:
        print(f"\n## {engine}: {args.samples} random distractors of {len(by_engine[engine])}")
        for positive, text, op in rng.sample(by_engine[engine], min(args.samples, len(by_engine[engine]))):
            print(f"- {positive.strip()!r} -> {text.strip()!r} [{op}]")


if __name__ == "__main__":
    main()
