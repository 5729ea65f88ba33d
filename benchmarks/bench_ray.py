"""`negatives generate --backend ray` beside the forked pool: throughput of the whole command, same bytes.

    .venv/bin/python benchmarks/bench_ray.py [PATH] [--limit N] [--cpus N] [-- EXTRA GENERATE ARGS]

PATH defaults to ../shared/data/coco/captions_val2017.json (skips cleanly when absent); --limit to
the first 10,000 captions; --cpus to 2. In one run, each a fresh process: a warm-up (fills the
embeddings cache, so every run embeds nothing and times the same work), then ``--workers 1``,
``--workers N``, ``--backend ray --workers N`` (a Ray of N CPUs on 127.0.0.1, started and shut down
by the command, start-up included) and ``--workers 1`` again (bracketing, so a drift in the machine
shows). Printed: captions/s of each and its ratio to ``--workers 1``, each run's stage timings (from
its manifest), peak RSS of the command's process, of the whole process tree and of its three largest
other processes, by name (forked workers, Ray actors and daemons; the tree is sampled every 0.2 s),
whether the outputs are byte-identical (they must be), and the load average.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil

from bench_generate_cli import CLI, arguments, timed


@contextmanager
def tree_rss(every: float = 0.2) -> Iterator[dict[str, Any]]:
    """Peak RSS in MB of this process's descendants, sampled while the block runs: ``"tree"``, all of
    them at once, and ``"others"``, each one that is no child of this process (a forked worker, a
    Ray actor or daemon) as ``(MB, name)``, the largest first."""
    peaks: dict[str, Any] = {"tree": 0.0, "others": []}
    seen: dict[int, tuple[float, str]] = {}
    done = threading.Event()

    def sample() -> None:
        me = os.getpid()
        while not done.wait(every):
            total = 0.0
            for proc in psutil.Process().children(recursive=True):
                try:
                    rss, parent, name = proc.memory_info().rss / 2**20, proc.ppid(), proc.name()
                except psutil.Error:  # ended meanwhile
                    continue
                total += rss
                if parent != me:
                    seen[proc.pid] = max(seen.get(proc.pid, (0.0, name)), (rss, name))
            peaks["tree"] = max(peaks["tree"], total)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peaks
    finally:
        done.set()
        thread.join()
        peaks["others"] = sorted(seen.values(), reverse=True)


def main() -> None:
    parsed = arguments(__doc__, 10_000, ("--cpus", {"type": int, "default": 2}))
    if parsed is None:
        return
    args, extra = parsed
    n = str(args.cpus)
    runs = [("warm-up", ["--workers", n]), ("--workers 1", ["--workers", "1"]), (f"--workers {n}", ["--workers", n]),
            (f"--backend ray ({n} CPUs)", ["--workers", n, "--backend", "ray"]), ("--workers 1", ["--workers", "1"])]
    results: list[tuple[str, float, bytes]] = []
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        env = {**os.environ, "NEGATIVES_CACHE": str(work / "cache"), "NEGATIVES_PROGRESS_EVERY": "60"}
        for k, (label, options) in enumerate(runs):
            out = work / f"set{k}.jsonl"
            command = [CLI, "generate", str(args.path), "--format", "coco", "--limit", str(args.limit),
                       "--out", str(out), *options, *extra]
            with tree_rss() as peaks:
                wall, rss, _ = timed(command, env, work / f"run{k}.log")
            timings = json.loads(Path(f"{out}.manifest.json").read_text()).get("timings") or {}
            largest = ", ".join(f"{name} {mb:.0f}" for mb, name in peaks["others"][:3]) or "none"
            print(f"  {label:<22} {wall:6.1f} s  stages: " + ", ".join(f"{s} {t:.1f}" for s, t in timings.items()))
            print(f"  {'':<22} peak RSS (MB): command {rss:.0f}, all {peaks['tree']:.0f}, largest others: {largest}",
                  flush=True)
            if k:
                results.append((label, wall, out.read_bytes()))
    one = [wall for label, wall, _ in results if label == "--workers 1"]
    base = sum(one) / len(one)
    print(f"captions: {args.limit}   generate {' '.join(extra) or '(defaults)'}")
    print(f"  --workers 1 {'':<14} {args.limit / base:7.0f} captions/s  1.00  ({one[0]:.1f} s before, {one[1]:.1f} s after)")
    for label, wall, _ in results[1:-1]:
        print(f"  {label:<26} {args.limit / wall:7.0f} captions/s  {base / wall:4.2f}  ({wall:.1f} s)")
    print(f"byte-identical outputs: {len({out for *_, out in results}) == 1}")
    print(f"load average (1, 5, 15 min) at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
