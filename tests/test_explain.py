"""generate --explain: every dropped candidate is listed with the step and check that dropped it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from negatives.builder import GradedSetBuilder
from negatives.records import Record

CAPTIONS = (Path(__file__).parent / "data" / "captions.txt").read_text().split("\n")[:40]


def _generate(src: Path, out: Path, *options: str) -> None:
    subprocess.run([sys.executable, "-c", "from negatives.cli import main; main()", "generate", str(src), "--out",
                    str(out), "--seed", "2", *options], check=True, capture_output=True,
                   env={**os.environ, "PYTHONHASHSEED": "0"})


def test_the_explain_file_lists_what_the_manifest_counts(tmp_path):
    src = tmp_path / "captions.jsonl"
    src.write_text("".join(json.dumps({"id": f"c{i}", "text": c}) + "\n" for i, c in enumerate(CAPTIONS)))
    _generate(src, tmp_path / "plain.jsonl")
    assert not (tmp_path / "plain.jsonl.explain.jsonl").exists()
    outputs = {}
    for workers in ("1", "2"):
        _generate(src, tmp_path / f"w{workers}.jsonl", "--explain", "--workers", workers)
        outputs[workers] = (tmp_path / f"w{workers}.jsonl.explain.jsonl").read_bytes()
    assert outputs["1"] == outputs["2"]
    assert (tmp_path / "w1.jsonl").read_bytes() == (tmp_path / "plain.jsonl").read_bytes()  # explaining changes nothing
    rows = [json.loads(line) for line in outputs["1"].decode().splitlines()]
    ids = {f"c{i}": i + 1 for i in range(len(CAPTIONS))}
    assert rows and all(ids[r["id"]] == r["line"] for r in rows)
    manifest = json.loads((tmp_path / "w1.jsonl.manifest.json").read_text())

    engine = Counter((r["engine"], r["op"], r["check"]) for r in rows if r["stage"] == "engine")
    counted = {(e, op, check): n for e, spec in manifest["generation"]["engines"].items()
               for op, o in spec["ops"].items() for check, n in o["removed"].items() if n}
    assert engine == counted and sum(counted.values()) > 0

    selection = Counter((r["engine"], str(r["detail"]["level"]), r["check"]) for r in rows if r["stage"] == "selection")
    counted = {(e, level, reason): c[reason] for e, levels in manifest["grading"]["counts"].items()
               for level, c in levels.items() for reason in ("duplicate", "over_quota") if c[reason]}
    assert selection == counted and sum(counted.values()) > 0


def test_a_check_given_to_the_builder_is_named_beside_what_it_dropped():
    def no_cats(record: Record) -> None:
        record.distractors = [d for d in record.distractors if "cat" not in (d.text or "").split()]

    records = [Record(f"r{i}", "image-caption", {}, c, meta={"line": i + 1}) for i, c in enumerate(CAPTIONS)]
    built = GradedSetBuilder(["entity", "random"], seed=0, checks=[no_cats]).build(records)
    cats = [row for r in built for row in r.dropped if row["stage"] == "check"]
    assert cats and all(row["check"] == "no_cats" and "cat" in row["text"].split() for row in cats)
    assert not any("cat" in d.text.split() for r in built for d in r.distractors)
