"""How closely the reference embedder's difficulties follow those of float32 all-MiniLM-L6-v2.

    .venv/bin/python benchmarks/embedder_agreement.py [PATH] [--limit N] [--set SET.jsonl] [--model minilm-int8]

Makes (or reads, with ``--set``) the graded set of PATH (default: the 25,014 COCO val2017 captions)
that ``negatives generate --model minilm`` writes, the float32 model's difficulties, then scores
every one of its (positive, distractor) pairs again with ``--model`` (default: the reference
embedder): the new similarity, and the difficulty from it and the pair's recorded signals
(changed, same_words, plausibility), by the documented formula. Printed: Spearman between the two
difficulties, overall and per engine; the share of distractors whose level is unchanged; the
similarity's mean change. Checked first: the recorded signals give back the recorded difficulty.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

from bench_generate_cli import CLI, DEFAULT


def pairs_of(path: Path) -> list[tuple[str, dict]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            out += [(record["positive"], d) for d in record["distractors"] if d.get("text") is not None]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--set", type=Path, default=None, help="a set made with --model minilm (else made here)")
    ap.add_argument("--model", default=None, help="the embedder to compare (default: the reference embedder)")
    args = ap.parse_args()
    from negatives.difficulty import combine, level_of
    from negatives.embeddings import Embedder
    from negatives.models import load_reference_embedder

    with tempfile.TemporaryDirectory() as work:
        made = args.set
        if made is None:
            if not args.path.is_file():
                print(f"skip: {args.path} not found")
                return
            made = Path(work) / "minilm.jsonl"
            command = [CLI, "generate", str(args.path), "--out", str(made), "--model", "minilm", "--device", "cpu"]
            if args.path.suffix == ".json":
                command += ["--format", "coco"]
            if args.limit:
                command += ["--limit", str(args.limit)]
            subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
        pairs = pairs_of(made)
        levels = json.loads(Path(f"{made}.manifest.json").read_text())["config"]["levels"]
    signals = [d["meta"]["signals"] for _, d in pairs]
    old = np.array([d["difficulty"] for _, d in pairs])
    again = np.array([combine(s["similarity"], s["changed"], s["same_words"], s["plausibility"]) for s in signals])
    assert np.allclose(old, again, atol=1e-3), "the recorded signals do not give the recorded difficulty"
    embedder = Embedder(load_reference_embedder(args.model, "cpu"))
    texts = sorted({t for p, d in pairs for t in (p, d["text"])})
    row = {t: i for i, t in enumerate(texts)}
    vectors = embedder.encode(texts)
    sim = np.einsum("ij,ij->i", vectors[[row[p] for p, _ in pairs]], vectors[[row[d["text"]] for _, d in pairs]])
    new = np.array([combine(x, s["changed"], s["same_words"], s["plausibility"]) for x, s in zip(sim.tolist(), signals)])
    same = np.array([level_of(a, levels) == level_of(b, levels) for a, b in zip(old, new)])
    engines = np.array([d["engine"] for _, d in pairs])
    print(f"{len(pairs):,} distractors of {made.name if args.set else args.path.name}; {embedder.id} vs float32 all-MiniLM-L6-v2")
    print(f"Spearman of difficulties: {spearmanr(old, new)[0]:.4f}   level unchanged: {same.mean():.1%}   "
          f"similarity change: mean {np.mean(sim - [s['similarity'] for s in signals]):+.4f}, "
          f"mean |change| {np.mean(np.abs(sim - [s['similarity'] for s in signals])):.4f}")
    for engine in sorted(set(engines)):
        m = engines == engine
        print(f"  {engine:<11} n={m.sum():>7,}  Spearman {spearmanr(old[m], new[m])[0]:.4f}  level unchanged {same[m].mean():.1%}")


if __name__ == "__main__":
    main()
