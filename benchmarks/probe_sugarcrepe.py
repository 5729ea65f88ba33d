"""Probe SugarCrepe's seven categories with the causal LM (mean, sum) and the blind panel, and MiniLM
on a COCO text task built from the same items; print accuracy per category with 95% intervals.

SugarCrepe's images are not in ../shared/data, so the image anchors are never seen: `lm` on an image
anchor uses the empty prompt, i.e. it *is* the blind LM prior (one shared cache, one pass). The COCO text
task: anchor = another COCO caption of the same image, positive = the SugarCrepe caption,
distractor = SugarCrepe's negative for it.

    .venv/bin/python benchmarks/probe_sugarcrepe.py [--sample 300] [--out /tmp/probe_sugarcrepe]

Skips (exit 0) when the data is absent. Writes report.json/csv/md and sweep.png/svg per task.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from negatives.readers import read_records  # noqa: E402
from negatives.records import Record  # noqa: E402
from probes.api import evaluate, write_outputs  # noqa: E402
from probes.scorers.biencoder import BiencoderScorer  # noqa: E402
from probes.scorers.blind import blind_panel, words  # noqa: E402
from probes.scorers.lm import LMScorer  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
CATEGORIES = ("add_att", "add_obj", "replace_att", "replace_obj", "replace_rel", "swap_att", "swap_obj")


def load_sugarcrepe(folder: Path, sample: int, seed: int) -> list[Record]:
    records: list[Record] = []
    for category in CATEGORIES:
        rows = [r for r in read_records(folder / f"{category}.json", fmt="sugarcrepe") if isinstance(r, Record)]
        if sample and len(rows) > sample:
            keep = sorted(random.Random(seed).sample(range(len(rows)), sample))
            rows = [rows[i] for i in keep]
        records.extend(rows)
    return records


def coco_text_task(records: list[Record], coco: Path) -> list[Record]:
    """Anchor each SugarCrepe item on another COCO caption of its image (the first sibling in file order)."""
    siblings: dict[str, list[str]] = {}
    for r in read_records(coco, fmt="coco"):
        if isinstance(r, Record):
            siblings.setdefault(r.positive, r.siblings)
    out = []
    for r in records:
        others = [s for s in siblings.get(r.positive, []) if s.strip() != r.positive.strip()]
        if others:
            out.append(Record(id=r.id, task="text", anchor={"text": others[0]}, positive=r.positive, distractors=r.distractors, meta=r.meta))
    return out


def longer_share(records: list[Record]) -> dict[str, float]:
    """Share of items whose negative has more words than the positive, per category."""
    counts: dict[str, list[int]] = defaultdict(list)
    for r in records:
        counts[r.distractors[0].op].append(len(words(r.distractors[0].text or "")) > len(words(r.positive)))
    return {op: sum(v) / len(v) for op, v in counts.items()}


def probe(records: list[Record], scorers: dict, out: Path, batch_size: int) -> dict:
    start = time.perf_counter()
    report = evaluate(records, scorers, compare=True, batch_size=batch_size)
    report["set"] = {"path": "SugarCrepe (7 categories)", "records": len(records), "rejected": 0}
    write_outputs(report, out, overwrite=True)
    print(f"  {len(scorers)} scorers in {time.perf_counter() - start:.0f} s; report in {out}", flush=True)
    return report


def table(report: dict, extra: dict[str, float] | None = None, ops: tuple[str, ...] = CATEGORIES) -> str:
    names = list(report["scorers"])
    header = ["category", "n", *names] + (["neg longer"] if extra else [])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    rows = {n: {r["op"]: r for r in report["scorers"][n]["metrics"]["op"]} for n in names}
    for op in ops:
        if op not in rows[names[0]]:
            continue
        cells = [f"{rows[n][op]['accuracy'] * 100:.1f} [{rows[n][op]['lo'] * 100:.1f}, {rows[n][op]['hi'] * 100:.1f}]" for n in names]
        tail = [f"{extra[op] * 100:.1f}%"] if extra else []
        lines.append("| " + " | ".join([op, str(rows[names[0]][op]["n"]), *cells, *tail]) + " |")
    overall = [f"{report['scorers'][n]['metrics']['overall'][0]['accuracy'] * 100:.1f}" for n in names]
    lines.append("| " + " | ".join(["all", str(report["scorers"][names[0]]["metrics"]["overall"][0]["n"]), *overall] + ([""] if extra else [])) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sugarcrepe", type=Path, default=DATA / "sugarcrepe")
    parser.add_argument("--coco", type=Path, default=DATA / "coco" / "captions_val2017.json")
    parser.add_argument("--out", type=Path, default=Path("/tmp/probe_sugarcrepe"))
    parser.add_argument("--sample", type=int, default=0, help="at most this many items per category (0: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--skip-lm", action="store_true", help="no causal LM (blind length/ngram and the biencoder only)")
    parser.add_argument("--skip-coco", action="store_true", help="no COCO text task")
    args = parser.parse_args()
    if not (args.sugarcrepe / "add_att.json").is_file():
        print(f"skipped: no SugarCrepe data in {args.sugarcrepe}")
        return
    records = load_sugarcrepe(args.sugarcrepe, args.sample, args.seed)
    sampled = f"a seeded sample of up to {args.sample} items per category" if args.sample else "all items"
    print(f"SugarCrepe: {len(records)} items ({sampled})", flush=True)
    panel = blind_panel(records)
    scorers = {} if args.skip_lm else {"lm-mean": LMScorer(reduction="mean"), "lm-sum": LMScorer(reduction="sum")}
    scorers.update({f"blind-{k}": v for k, v in panel.items() if not (args.skip_lm and k.startswith("lm"))})
    report = probe(records, scorers, args.out / "sugarcrepe", args.batch_size)
    print("\nSugarCrepe, blind probes: item accuracy % [Wilson 95% CI]; 'neg longer' = share of negatives with more words\n")
    print(table(report, longer_share(records)))
    if args.coco.is_file() and not args.skip_coco:
        text_task = coco_text_task(records, args.coco)
        print(f"\nCOCO text task: {len(text_task)} items", flush=True)
        report = probe(text_task, {"biencoder": BiencoderScorer()}, args.out / "coco_text", args.batch_size)
        print("\nCOCO text task (anchor: another caption of the image), MiniLM biencoder: item accuracy % [95% CI]\n")
        print(table(report))


if __name__ == "__main__":
    main()
