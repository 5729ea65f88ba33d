"""Peak memory with one huge row: `negatives generate` and `negatives probe` on a file with one
100,000-character row vs the same file without it, side by side in one run.

Each command runs in its own process (the installed CLI) and its peak RSS is read from
``os.wait4``. `--max-chars 200000` lets the row past the character limit, so what bounds the work
is the token limit applied before any engine or scorer (the row becomes a rejected row). The last
line raises `--max-tokens` so the probe's language model really scores the row: its batches are
sized by their real token count and a sequence is cut to 1,024 tokens. Target: every ratio <= 1.5.

    .venv/bin/python benchmarks/bench_long_row.py [--rows 100] [--chars 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).parent / "negatives")
CAPTIONS = ROOT / "tests" / "data" / "captions.txt"


def peak_rss_mb(args: list[str], cwd: Path) -> float:
    """Run ``args`` (without the LM-score cache) and return its peak resident set size in MB (it must succeed)."""
    with tempfile.TemporaryFile() as err:
        env = {**os.environ, "NEGATIVES_LM_CACHE": "off"}  # each run scores: no run reads another's scores
        proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(args)} failed:\n{err.read().decode()[-2000:]}")
    return usage.ru_maxrss / 1024  # kB on Linux


def long_text(captions: list[str], chars: int) -> str:
    text, k = "", 0
    while len(text) < chars:
        text += captions[k % len(captions)].rstrip(".! ") + " and "
        k += 1
    return text[:chars]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100, help="short rows in the file")
    parser.add_argument("--chars", type=int, default=100_000, help="characters of the long row")
    args = parser.parse_args()

    captions = [line.strip() for line in CAPTIONS.read_text(encoding="utf-8").splitlines() if line.strip()][: args.rows]
    long = long_text(captions, args.chars)
    limits = ["--max-chars", str(2 * args.chars), "--on-error", "skip", "--overwrite"]
    rows: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        plain = [json.dumps({"id": str(i), "text": c}) for i, c in enumerate(captions)]
        with_long = [*plain[: len(plain) // 2], json.dumps({"id": "long", "text": long}), *plain[len(plain) // 2 :]]
        (work / "plain.jsonl").write_text("\n".join(plain) + "\n", encoding="utf-8")
        (work / "long.jsonl").write_text("\n".join(with_long) + "\n", encoding="utf-8")

        def both(label: str, command: list[str], inputs: tuple[str, str], outs: tuple[str, str]) -> None:
            mb = [peak_rss_mb([CLI, command[0], src, *command[1:], "--out", out, *limits], work) for src, out in zip(inputs, outs)]
            rows.append((label, mb[0], mb[1]))

        both("generate (all engines)", ["generate"], ("plain.jsonl", "long.jsonl"), ("set.jsonl", "set-from-long.jsonl"))
        graded = (work / "set.jsonl").read_text(encoding="utf-8").splitlines()
        first = json.loads(graded[0])
        huge = {**first, "id": "long", "positive": long, "distractors": [{**first["distractors"][0], "edit": None}]}
        (work / "set-long.jsonl").write_text("\n".join([*graded, json.dumps(huge)]) + "\n", encoding="utf-8")
        probe = ["probe", "--scorer", "blind-prior"]
        both("probe --scorer blind-prior", probe, ("set.jsonl", "set-long.jsonl"), ("report", "report-long"))
        both("probe --scorer blind-prior --max-tokens 100000", [*probe, "--max-tokens", "100000"],
             ("set.jsonl", "set-long.jsonl"), ("scored", "scored-long"))  # fmt: skip

    print(f"{args.rows} short rows; the long row has {args.chars:,} characters")
    print(f"{'command':<50} {'without':>10} {'with it':>10} {'ratio':>7}")
    for label, a, b in rows:
        print(f"{label:<50} {a:>8.0f} MB {b:>7.0f} MB {b / a:>7.2f}")


if __name__ == "__main__":
    main()
