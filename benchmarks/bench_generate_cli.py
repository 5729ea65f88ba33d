"""What a user runs: the full default `negatives generate` vs stock spaCy parsing of the same captions.

    .venv/bin/python benchmarks/bench_generate_cli.py [PATH] [--limit N] [--warm] [-- EXTRA GENERATE ARGS]

PATH defaults to ../shared/data/coco/captions_val2017.json (25,014 captions; skips cleanly when
absent). In one run, each in a fresh process of its own: stock spaCy (``spacy.load`` of the default
pipeline, NER off, ``nlp.pipe`` over the captions the reader yields), then ``negatives generate PATH
--format coco`` with every default (rule engines, FAISS neighbours, random captions, difficulty,
levels), then stock spaCy again (the two spaCy runs bracket generate, so a drift in the machine's
speed shows). Whole processes are timed, start-up and model loading included, on both sides.

Printed: captions/s of each, the ratio generate / stock spaCy (target >= 0.5: the whole command at
half the speed of its parse or better), the peak RSS of each process (``os.wait4``), the stage
timings the run recorded in its manifest, and the load average. The run uses a fresh embeddings
cache (everything else of the negatives cache is shared), so the corpus is embedded as on a first
run; ``--warm`` keeps the user's cache. Arguments after ``--`` go to ``negatives generate``
(e.g. ``-- --model sentence-transformers`` for the previous embedder).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "coco" / "captions_val2017.json"
CLI = str(Path(sys.executable).parent / "negatives")

STOCK = """
import json, sys, spacy
from negatives import models
from negatives.readers import Reject, read_records
texts = [r.positive for r in read_records(sys.argv[1], fmt="coco") if not isinstance(r, Reject)][: int(sys.argv[2])]
nlp = spacy.load(models.DEFAULT_SPACY, exclude=["ner"])
print(sum(1 for _ in nlp.pipe(texts, batch_size=256)))
"""


def timed(args: list[str], env: dict[str, str], log: Path) -> tuple[float, float, str]:
    """Run ``args``; returns (wall seconds, peak RSS in MB, stdout). Its stderr goes to ``log``."""
    start = time.perf_counter()
    with open(log, "w") as err, tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(args, stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{log.read_text()[-3000:]}")
    return wall, usage.ru_maxrss / 1024, text


def cache_without_embeddings(work: Path) -> Path:
    """A negatives cache that shares every entry of the user's but ``embeddings``."""
    from negatives.cache import cache_dir

    cache = work / "cache"
    cache.mkdir()
    if cache_dir().is_dir():
        for entry in cache_dir().iterdir():
            if entry.name != "embeddings":
                (cache / entry.name).symlink_to(entry)
    return cache


def arguments(doc: str, limit: int | None, *options: tuple[str, dict[str, object]]) -> tuple[argparse.Namespace, list[str]] | None:
    """A benchmark's ``[PATH] [--limit N] [OPTIONS] [-- GENERATE ARGS]`` (PATH: the COCO captions by
    default) and the arguments for ``negatives generate``; None, after a skip line, when PATH is
    absent. Prints the load average first."""
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int, default=limit, help="use the first N captions")
    for flag, spec in options:
        ap.add_argument(flag, **spec)  # type: ignore[arg-type]
    args = ap.parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    if not args.path.is_file():
        print(f"skip: {args.path} not found")
        return None
    print(f"load average (1, 5, 15 min) at start: {os.getloadavg()} on {os.cpu_count()} CPUs", flush=True)
    return args, extra


def main() -> None:
    parsed = arguments(__doc__, None, ("--warm", {"action": "store_true", "help": "keep the user's embeddings cache"}))
    if parsed is None:
        return
    args, extra = parsed
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        env = {**os.environ, "NEGATIVES_PROGRESS_EVERY": "30"}
        if not args.warm:
            env["NEGATIVES_CACHE"] = str(cache_without_embeddings(work))
        limit = str(args.limit or 10**9)
        stock = [sys.executable, "-c", STOCK, str(args.path), limit]
        generate = [CLI, "generate", str(args.path), "--format", "coco", "--out", str(work / "set.jsonl"), *extra]
        if args.limit:
            generate += ["--limit", limit]
        runs: dict[str, list[tuple[float, float]]] = {"stock": [], "generate": []}
        n = 0
        for label, command in (("stock", stock), ("generate", generate), ("stock", stock)):
            wall, rss, out = timed(command, env, work / f"{label}.log")
            runs[label].append((wall, rss))
            if label == "stock":
                n = int(out.strip().splitlines()[-1])
            print(f"  {label}: {wall:.1f} s, peak RSS {rss:.0f} MB", flush=True)
        manifest = json.loads((work / "set.jsonl.manifest.json").read_text())
        tail = (work / "generate.log").read_text().strip().splitlines()[-1:]
    stock_wall = sum(w for w, _ in runs["stock"]) / 2
    gen_wall, gen_rss = runs["generate"][0]
    print(f"captions: {n}   generate {' '.join(extra) or '(defaults)'}")
    print(f"stock spaCy (NER off), whole process: {n / stock_wall:8.0f} captions/s  "
          f"({runs['stock'][0][0]:.1f} s before, {runs['stock'][1][0]:.1f} s after)  peak RSS {max(r for _, r in runs['stock']):.0f} MB")
    print(f"negatives generate, whole process:   {n / gen_wall:8.0f} captions/s  ({gen_wall:.1f} s)  peak RSS {gen_rss:.0f} MB")
    print(f"ratio generate / stock spaCy:        {stock_wall / gen_wall:8.2f}   (target >= 0.50)")
    for stage, seconds in (manifest.get("timings") or {}).items():
        print(f"  stage {stage:<12} {seconds:8.1f} s")
    print(f"written: {manifest['counts']['written']} records; {tail[0] if tail else ''}")
    print(f"load average (1, 5, 15 min) at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
