"""Generation speed and memory: bare ``nlp.pipe`` vs the full ``generate`` with all four engines.

    python benchmarks/bench_generate.py [PATH] [--limit N] [--memory-sizes 5000,25014]

PATH defaults to ../shared/data/coco/captions_val2017.json (skips cleanly when absent). In one
run it parses the captions with stock spaCy (``spacy.load`` of the default pipeline, NER off),
then with our parse pipeline (the same model with the indexed attribute ruler and lemmatizer, which give
identical annotations; checked here), and then runs generation (parse + engines + validators, as
``generate`` streams it) over the same captions. The three take turns chunk by chunk (``--chunk``
captions each), so a drift in the machine's speed during the run hits all three alike, and all
three run with the garbage collector set as ``negatives generate`` sets it (``pipeline.batch_gc``). It prints captions/s of all three, the ratio generate / stock parse
(target >= 0.7: generating costs at most 40% more than parsing with spaCy) and the share of
generate's time spent outside the parse. The corpus-statistics first pass is timed separately.
Peak memory (max RSS) is measured in fresh subprocesses for two input sizes: equal peaks show
that generation streams.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import subprocess
import sys
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "coco" / "captions_val2017.json"


def load(path: Path, limit: int | None) -> list:
    from negatives.readers import Reject, read_records

    rows = read_records(path, fmt="coco")
    return [r for r in itertools.islice(rows, limit) if not isinstance(r, Reject)]


def _annotations(doc) -> list[tuple[str, ...]]:
    return [(t.tag_, t.pos_, t.lemma_, t.dep_, str(t.morph)) for t in doc]


def timed(fn) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def peak_rss(path: Path, n: int) -> float:
    """Max RSS (MB) of a fresh process that generates over the first ``n`` captions."""
    out = subprocess.run(
        [sys.executable, __file__, str(path), "--limit", str(n), "--memory-probe"],
        check=True, capture_output=True, text=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int, default=None, help="use the first N captions")
    ap.add_argument("--memory-sizes", default="5000,25014", help="input sizes for the peak-memory runs")
    ap.add_argument("--chunk", type=int, default=2500, help="captions per interleaved timing round")
    ap.add_argument("--memory-probe", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if not args.path.is_file():
        print(f"skip: {args.path} not found")
        return

    from negatives import models, wordnet_index
    from negatives.generate import Generator, build_corpus_stats, generate
    from negatives.pipeline import batch_gc, batches, freeze_alive

    records = load(args.path, args.limit)
    nlp = models.load_spacy()
    wordnet_index.load()
    if args.memory_probe:
        stats = build_corpus_stats(records)
        with batch_gc():
            freeze_alive()
            for _ in generate(iter(records), corpus_stats=stats, nlp=nlp):
                pass
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return

    import spacy

    stock = spacy.load(models.DEFAULT_SPACY, exclude=["ner"])
    texts = [r.positive for r in records]
    n = len(texts)
    for pipeline in (stock, nlp):
        list(pipeline.pipe(texts[:256]))  # warm-up
    stats_wall, stats_cpu, corpus = timed(lambda: build_corpus_stats(records))
    gen = Generator(corpus_stats=corpus, nlp=nlp)
    totals = {"stock": [0.0, 0.0], "ours": [0.0, 0.0], "generate": [0.0, 0.0]}
    identical, out = True, 0
    with batch_gc():  # the garbage collector as `negatives generate` runs it, for all three
        freeze_alive()
        for k in range(0, n, args.chunk):  # interleaved, so that drift in machine speed hits all three alike
            chunk_texts, chunk = texts[k : k + args.chunk], records[k : k + args.chunk]
            runs = {
                "stock": lambda: list(stock.pipe(chunk_texts, batch_size=256)),
                "ours": lambda: list(nlp.pipe(chunk_texts, batch_size=256)),
                "generate": lambda: sum(len(r.distractors) for b in batches(chunk, 256) for r in gen(b)),
            }
            results = {}
            for name, fn in runs.items():
                wall, cpu, results[name] = timed(fn)
                totals[name][0] += wall
                totals[name][1] += cpu
                if name == "ours":  # compare, then free the parses before generation runs
                    identical &= all(map(lambda a, b: _annotations(a) == _annotations(b), results.pop("stock"), results.pop("ours")))
            out += results["generate"]
    (pipe_wall, pipe_cpu), (ours_wall, ours_cpu), (gen_wall, gen_cpu) = totals.values()

    print(f"captions: {n}")
    print(f"stock spaCy nlp.pipe:   {n / pipe_wall:8.0f} captions/s wall  {n / pipe_cpu:8.0f} captions/s cpu  (NER off)")
    print(f"our parse pipeline:     {n / ours_wall:8.0f} captions/s wall  {n / ours_cpu:8.0f} captions/s cpu"
          f"  (annotations identical: {'yes' if identical else 'NO'})")
    print(f"generate (4 engines):   {n / gen_wall:8.0f} captions/s wall  {n / gen_cpu:8.0f} captions/s cpu"
          f"  ({out} distractors)")
    print(f"ratio generate/stock:   {pipe_wall / gen_wall:8.2f} wall          {pipe_cpu / gen_cpu:8.2f} cpu"
          "   (target >= 0.70)")
    print(f"outside the parse:      {1 - ours_wall / gen_wall:8.0%} wall          {1 - ours_cpu / gen_cpu:8.0%} cpu"
          "   (engines, validators, bookkeeping)")
    print(f"corpus stats pass:      {n / stats_wall:8.0f} captions/s wall")
    sizes = [int(s) for s in args.memory_sizes.split(",") if s]
    for size in sizes:
        print(f"peak RSS, {size:6d} captions: {peak_rss(args.path, size):8.0f} MB")


if __name__ == "__main__":
    main()
