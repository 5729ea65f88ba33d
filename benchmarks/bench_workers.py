"""`negatives generate --workers N` against `--workers 1`: throughput of the whole command, same bytes.

    .venv/bin/python benchmarks/bench_workers.py [PATH] [--limit N] [--workers N] [-- EXTRA GENERATE ARGS]

PATH defaults to ../shared/data/coco/captions_val2017.json (skips cleanly when absent); --limit
defaults to 10,000 captions, --workers to every core. In one run, each a fresh process: a warm-up
run (fills the embeddings cache, so both sides embed nothing and time the same work), then
``--workers 1``, ``--workers N``, ``--workers 1`` again (bracketing, so a drift in the machine
shows). Printed: captions/s of each, the speed-up N / 1 (target >= 1.7 on 2 cores), each run's
stage timings and peak RSS (of the parent process; workers are forked from it), and whether the
outputs are byte-identical (they must be).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from bench_generate_cli import CLI, ROOT, arguments, timed

sys.path.insert(0, str(ROOT))
from negatives.parallel import available_workers


def main() -> None:
    parsed = arguments(__doc__, 10_000, ("--workers", {"type": int, "default": available_workers()}))
    if parsed is None:
        return
    args, extra = parsed
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        env = {**os.environ, "NEGATIVES_CACHE": str(work / "cache")}
        results: list[tuple[int, float, float, dict[str, float], bytes]] = []
        for k, workers in enumerate((args.workers, 1, args.workers, 1)):
            out = work / f"set{k}.jsonl"
            command = [CLI, "generate", str(args.path), "--format", "coco", "--limit", str(args.limit),
                       "--out", str(out), "--workers", str(workers), *extra]
            wall, rss, _ = timed(command, env, work / f"run{k}.log")
            timings = json.loads(Path(f"{out}.manifest.json").read_text()).get("timings") or {}
            label = "warm-up" if k == 0 else f"--workers {workers}"
            print(f"  {label:<12} {wall:6.1f} s  peak RSS {rss:5.0f} MB  "
                  + ", ".join(f"{s} {t:.1f}" for s, t in timings.items()), flush=True)
            if k:
                results.append((workers, wall, rss, timings, out.read_bytes()))
    one = [wall for w, wall, *_ in results if w == 1]
    many = [wall for w, wall, *_ in results if w != 1]
    one_wall, many_wall = sum(one) / len(one), sum(many) / len(many)
    print(f"captions: {args.limit}   generate {' '.join(extra) or '(defaults)'}")
    print(f"--workers 1:  {args.limit / one_wall:7.0f} captions/s  ({one[0]:.1f} s before, {one[1]:.1f} s after)")
    print(f"--workers {args.workers}:  {args.limit / many_wall:7.0f} captions/s  ({many_wall:.1f} s)")
    print(f"speed-up:     {one_wall / many_wall:7.2f}   (target >= 1.7 on 2 cores)")
    print(f"byte-identical outputs: {len({out for *_, out in results}) == 1}")
    print(f"load average (1, 5, 15 min) at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
