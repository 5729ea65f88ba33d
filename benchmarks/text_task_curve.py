"""The text-task curve: generate a graded set from question/answer items, sweep it, print accuracy per level.

    .venv/bin/python benchmarks/text_task_curve.py [--data benchmarks/data/qa100.jsonl] [--out DIR]
        [--scorers lm,blind,biencoder] [--no-question-lm]

Runs, in one go, the default ``negatives generate DATA --text-field answer --context-field question``
and the same with ``--question-lm`` (distractors graded by SmolLM2's likelihood given the question),
then ``negatives sweep`` of each set with ``--scorers``, and prints per set:

* per level: items, distractors, and per scorer the item accuracy (the positive above every
  distractor of the level, ties fail, as the report says) and the pairwise accuracy with ties
  counted as half (a blind scorer that cannot tell "Six legs." from "Ten legs." by length is at
  chance, not below it), with its 95% Wilson interval;
* the items with a rule edit (any engine but ``neighbours`` and ``random``), what the question checks
  removed, and, with ``--question-lm``, the share of candidates the LM prefers to the positive per
  operator (a validity warning: still-correct answers or the strongest lures; the judged sample says
  which, see ``benchmarks/judge_sample.py --mode qa``).

The ``lm`` scorer and ``--question-lm`` use the same model (with another prompt): its curve on the
``--question-lm`` set is partly made by construction. The blind panel and ``biencoder``
(all-MiniLM-L6-v2, question against answer) are the independent checks.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench_generate_cli import CLI, ROOT

from probes.metrics import wilson

RULE_EXEMPT = ("neighbours", "random")


def cli(*args: str) -> None:
    subprocess.run([CLI, *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def curve(records: dict[str, dict[str, Any]], items: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Per level: items, distractors, and per scorer item wins and pairwise wins (ties half)."""
    out: dict[int, dict[str, Any]] = defaultdict(lambda: {"items": 0, "pairs": 0, "item": defaultdict(int), "pair": defaultdict(float)})
    for item in items:
        levels = [d["level"] for d in records[item["id"]]["distractors"]]
        for level in sorted(set(levels)):
            at = [k + 1 for k, lv in enumerate(levels) if lv == level]
            row = out[level]
            row["items"] += 1
            row["pairs"] += len(at)
            for scorer, scores in item["scores"].items():
                row["item"][scorer] += all(scores[0] > scores[k] for k in at)
                row["pair"][scorer] += sum(1.0 if scores[0] > scores[k] else 0.5 if scores[0] == scores[k] else 0.0 for k in at)
    return dict(sorted(out.items()))


def report(name: str, set_path: Path, sweep: Path) -> None:
    records = {r["id"]: r for r in map(json.loads, set_path.read_text(encoding="utf-8").splitlines())}
    items = [json.loads(line) for line in (sweep / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    table = curve(records, items)
    scorers = list(items[0]["scores"])
    print(f"\n## {name}: {set_path}\n")
    print("item accuracy (ties fail) / pairwise accuracy (ties half) [95% CI]\n")
    print("| level | items | distractors | " + " | ".join(scorers) + " |")
    print("|---" * (3 + len(scorers)) + "|")
    for level, row in table.items():
        cells = []
        for s in scorers:
            lo, hi = wilson(row["pair"][s], row["pairs"])
            cells.append(f"{row['item'][s] / row['items']:.2f} / {row['pair'][s] / row['pairs']:.2f} [{lo:.2f}, {hi:.2f}]")
        print(f"| {level} | {row['items']} | {row['pairs']} | " + " | ".join(cells) + " |")
    manifest = json.loads(set_path.with_name(set_path.name + ".manifest.json").read_text(encoding="utf-8"))
    ruled = sum(any(d["engine"] not in RULE_EXEMPT for d in r["distractors"]) for r in records.values())
    checks = manifest["question_checks"]
    print(f"\nitems with a rule edit: {ruled} of {len(records)}")
    print(f"question checks removed: rule candidates {checks['generator']['removed']}, neighbours {checks['neighbours']}")
    if checks.get("lm"):
        shares = {op: f"{v['share']:.0%} of {v['scored']}" for op, v in checks["lm"]["preferred_to_positive"].items()}
        print(f"candidates the LM (given the question) prefers to the positive: {shares}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT / "benchmarks/data/qa100.jsonl")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/out/text_task_curve")
    ap.add_argument("--scorers", default="lm,blind,biencoder")
    ap.add_argument("--no-question-lm", action="store_true", help="only the default set")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    runs = [("default", [])] + ([] if args.no_question_lm else [("question-lm", ["--question-lm"])])
    for name, extra in runs:
        set_path, sweep = args.out / f"{name}.jsonl", args.out / f"sweep-{name}"
        cli("generate", str(args.data), "--text-field", "answer", "--context-field", "question",
            "--out", str(set_path), "--overwrite", *extra)
        scorers = [x for s in args.scorers.split(",") for x in ("--scorer", s)]
        cli("sweep", str(set_path), *scorers, "--out", str(sweep), "--overwrite")
        report(name, set_path, sweep)


if __name__ == "__main__":
    main()
