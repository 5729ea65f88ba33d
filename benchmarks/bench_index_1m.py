"""Index 1,000,000 synthetic clustered 384-d vectors: build time, queries/s, recall@10, peak memory.

    .venv/bin/python benchmarks/bench_index_1m.py [--n 1000000] [--kind auto] [--parallel]

The vectors are Gaussian clusters around 1,000 random centres, L2-normalised (cosine geometry like
sentence embeddings). ``--kind auto`` picks what ``negatives mine`` would pick for that size (IVF with
8-bit scalar quantisation at 1M). Recall@10 against exact search is measured twice: by the index itself on 1,000 sampled
vectors while it tunes its search breadth (the number ``negatives mine`` reports), and again here on
the first ``--check`` of the timed queries, a sample drawn independently of the tuning one. Target: recall@10 >= 0.95.
Also printed: build time, tuning time, queries/s for a batch of ``--queries``, peak memory (max RSS)
and the load average. ``--twice`` builds the index a second time and checks that it returns the same
neighbours (deterministic). ``--parallel`` builds HNSW (``--kind hnsw``) on all threads (faster, not
bit-reproducible); its default is the deterministic single-thread build.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import faiss
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from negatives.index import build_index, recall_at_k  # noqa: E402


def clustered(n: int, d: int, centres: int, noise: float, seed: int) -> np.ndarray:
    """``n`` normalised vectors around ``centres`` random centres, generated in chunks (low peak memory)."""
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((centres, d)).astype(np.float32)
    c /= np.linalg.norm(c, axis=1, keepdims=True)
    out = np.empty((n, d), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        block = c[rng.integers(0, centres, m)] + noise * rng.standard_normal((m, d), dtype=np.float32) / np.sqrt(d)
        out[start : start + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--kind", default="auto", choices=["auto", "exact", "hnsw", "ivf"])
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--check", type=int, default=2_000, help="timed queries whose recall is checked here")
    parser.add_argument("--noise", type=float, default=1.0, help="cluster spread relative to the centre norm")
    parser.add_argument("--parallel", action="store_true", help="multi-threaded (non-deterministic) HNSW build")
    parser.add_argument("--twice", action="store_true", help="build again and compare the neighbours")
    args = parser.parse_args()

    print(f"load average (1, 5, 15 min) at start: {os.getloadavg()} on {os.cpu_count()} CPUs", flush=True)
    start = time.perf_counter()
    x = clustered(args.n, args.dim, 1000, args.noise, seed=0)
    print(f"data: {args.n:,} x {args.dim} clustered vectors in {time.perf_counter() - start:.1f} s", flush=True)

    start = time.perf_counter()
    index = build_index(x, args.kind, recall_k=10, deterministic=not args.parallel)  # type: ignore[arg-type]
    total = time.perf_counter() - start
    report = index.report
    print(f"index: {report.kind} {report.params}; build {report.build_seconds:.1f} s "
          f"(+ recall measurement/tuning: {total - report.build_seconds:.1f} s)", flush=True)

    queries = x[np.random.default_rng(1).choice(args.n, args.queries, replace=False)]
    start = time.perf_counter()
    _, found = index.search(queries, 10)
    qps = args.queries / (time.perf_counter() - start)
    print(f"queries/s (k=10, batch of {args.queries:,}): {qps:,.0f}")
    if report.recall is not None:
        check = min(args.check, args.queries)
        _, truth = faiss.knn(queries[:check], x, 10, metric=faiss.METRIC_INNER_PRODUCT)
        held_out = recall_at_k(truth, found[:check])
        print(f"recall@10 vs exact: {report.recall:.4f} on the index's {report.recall_sample} tuning queries, "
              f"{held_out:.4f} on {check:,} independently drawn queries (target >= 0.95: "
              f"{'met' if min(report.recall, held_out) >= 0.95 else 'NOT met'})")
    if args.twice:
        again = build_index(x, args.kind, recall_k=10, deterministic=not args.parallel)  # type: ignore[arg-type]
        same = np.array_equal(again.search(queries, 10)[1], found) and again.report.params == report.params
        print(f"second build: {'the same neighbours and parameters' if same else 'DIFFERENT neighbours'}")
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2:.2f} GB")
    print(f"load average (1, 5, 15 min) at end: {os.getloadavg()}")

if __name__ == "__main__":
    main()
