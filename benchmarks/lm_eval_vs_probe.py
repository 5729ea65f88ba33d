"""lm-evaluation-harness on an exported set vs our own ``lm`` probe, same model, same items.

    .venv/bin/python benchmarks/lm_eval_vs_probe.py [--set SET.jsonl] [--items 50]
        [--coco ../shared/data/coco/captions_val2017.json]

Without ``--set``, the first COCO val2017 captions (by annotation id) become unanchored text items
and get distractors from ``negatives.generate``; the first ``--items`` items with distractors are
exported with ``negatives export --to lm-eval`` and evaluated twice with the offline SmolLM2:

* lm-eval's ``hf`` backend on ``causal_lm_dir()``: ``acc`` (summed log-likelihood) and
  ``acc_norm`` (log-likelihood divided by the choice's character length);
* the ``lm`` probe with ``reduction=sum`` (its ``acc``) and the same sums divided by character
  length (``acc_norm``), scored by ``probes.runner`` and counted by ``probes.metrics`` per
  (engine, level) group, which is what one lm-eval task holds.

The continuations match: items have no anchor, so the task's ``doc_to_text`` is empty and its
``target_delimiter`` is "", lm-eval scores each choice after a single prefix token, and we pass
``prefix_token_id`` = the probe's document-start token. A ``--set`` with anchors (or images) is
compared on its sentences alone: lm-eval encodes a non-empty context without a start token while
the probe's default prompt begins with one (the lm scorer's ``start=false`` option removes that
difference; ``tests/test_consumers_cli.py`` checks anchored items). lm-eval picks the first of tied maxima while
the probe counts ties as failures; the script reports ties and the largest per-choice
log-likelihood difference between the two. Exits 0 with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from negatives.records import Record

DEFAULT_COCO = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "coco" / "captions_val2017.json"


def coco_set(path: Path, items: int, seed: int) -> list[Record]:
    from negatives.generate import generate

    doc = json.loads(path.read_text(encoding="utf-8"))
    anns = sorted(doc["annotations"], key=lambda a: a["id"])[: items * 2]
    records = [Record(str(a["id"]), "text", {}, a["caption"].strip()) for a in anns]
    return [r for r in generate(records, seed=seed) if r.distractors][:items]


def sentences_only(records: list[Record]) -> list[Record]:
    """The items as unanchored text items with their text distractors, stripped as the probe strips them."""
    out = []
    for r in records:
        texts = [replace(d, text=d.text.strip()) for d in r.distractors if d.text is not None]
        if texts:
            out.append(Record(r.id, "text", {}, r.positive.strip(), texts, r.meta))
    return out


def run_lm_eval(folder: Path, group: str, start_token: int, batch_size: int) -> dict:
    import lm_eval
    from lm_eval.tasks import TaskManager

    from negatives.models import causal_lm_dir

    manager = TaskManager(include_path=str(folder), include_defaults=False)
    return lm_eval.simple_evaluate(
        model="hf",
        model_args=f"pretrained={causal_lm_dir()},dtype=float32,prefix_token_id={start_token}",
        tasks=[group],
        task_manager=manager,
        device="cpu",
        batch_size=batch_size,
        log_samples=True,
    )


def per_char(items: list, records: list[Record]) -> list:
    """The probe's summed scores divided by each candidate's character length (lm-eval's acc_norm)."""
    by_id = {r.id: r for r in records}
    out = []
    for item in items:
        r = by_id[item.id]
        lengths = [len(d.candidate.strip()) for d in r.distractors]
        out.append(
            replace(item, positive=item.positive / len(r.positive.strip()), scores=[s / n for s, n in zip(item.scores, lengths)])
        )
    return out


def weighted(rows: list[dict]) -> float:
    """Accuracy over (item, engine, level) groups: lm-eval's size-weighted group mean."""
    return sum(r["correct"] for r in rows) / sum(r["n"] for r in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, help="a text record set (default: generated from COCO captions)")
    parser.add_argument("--coco", type=Path, default=DEFAULT_COCO)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()
    try:
        import lm_eval  # noqa: F401
    except ImportError:
        print("lm-eval is not installed: pip install lm-eval")
        return 0

    from negatives.exporters import export
    from negatives.exporters.lm_eval import task_name
    from negatives.pipeline import checked_rows
    from negatives.readers import ReadOptions
    from probes.metrics import summarize
    from probes.runner import run_scorer
    from probes.scorers.lm import LMScorer, causal_lm

    if args.set:
        records = sentences_only(list(checked_rows(args.set, ReadOptions(fmt="records"), "fail")))[: args.items]
    elif args.coco.is_file():
        records = coco_set(args.coco, args.items, args.seed)
    else:
        print(f"skip: {args.coco} is absent (pass --set or --coco)")
        return 0

    scorer = LMScorer(reduction="sum")
    lm = causal_lm(None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "lm_eval_vs_probe"
        manifest = export(records, "lm-eval", folder, seed=args.seed)
        group = manifest["lm_eval"]["group"]
        t0 = time.perf_counter()
        results = run_lm_eval(folder, group, lm.start, args.batch_size)
        t_lm_eval = time.perf_counter() - t0

    t0 = time.perf_counter()
    run = run_scorer(records, scorer, progress=False)
    t_probe = time.perf_counter() - t0
    probe_acc = summarize(run.items)["engine_level"]
    probe_norm = summarize(per_char(run.items, records))["engine_level"]

    # per-choice agreement: lm-eval's log-likelihoods vs the probe's cached sums for the same texts
    max_diff, disagreements, docs = 0.0, 0, 0
    for samples in results["samples"].values():
        for s in samples:
            doc = s["doc"]
            ours = [lm.logprobs([("", c.strip())])[0][0] for c in doc["choices"]]
            theirs = [r[0][0] for r in s["resps"]]
            max_diff = max(max_diff, *(abs(a - b) for a, b in zip(ours, theirs)))
            disagreements += int(max(range(len(ours)), key=ours.__getitem__) != max(range(len(theirs)), key=theirs.__getitem__))
            docs += 1

    res = results["results"]
    print(f"items {len(records)}, lm-eval tasks {manifest['counts']['tasks']}, (item, task) rows {manifest['counts']['items']}")
    print(f"{'task':40s} {'n':>4s} {'lm-eval acc':>11s} {'probe acc':>9s} {'lm-eval acc_norm':>16s} {'probe acc_norm':>14s}")
    for r, q in zip(probe_acc, probe_norm):
        name = task_name(group, r["engine"], r["level"])
        n = manifest["lm_eval"]["tasks"][name]
        print(f"{name:40s} {n:4d} {res[name]['acc,none']:11.3f} {r['accuracy']:9.3f} {res[name]['acc_norm,none']:16.3f} {q['accuracy']:14.3f}")
    print(
        f"{'ALL (size-weighted)':40s} {manifest['counts']['items']:4d} {res[group]['acc,none']:11.3f} {weighted(probe_acc):9.3f}"
        f" {res[group]['acc_norm,none']:16.3f} {weighted(probe_norm):14.3f}"
    )
    print(f"ties in the probe: {sum(r['ties'] for r in probe_acc)}; argmax disagreements: {disagreements}/{docs}")
    print(f"largest per-choice log-likelihood difference: {max_diff:.2e}")
    print(f"time: lm-eval {t_lm_eval:.1f} s (incl. model load), probe {t_probe:.1f} s (model already loaded)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
