"""One pipeline: the README's API example and `negatives generate` give the same bytes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from negatives.builder import GradedSetBuilder
from negatives.readers import read_records
from negatives.records import Distractor, Record

CAPTIONS = (Path(__file__).parent / "data" / "captions.txt").read_text().split("\n")[:40]


def test_the_api_builds_exactly_what_the_command_writes(tmp_path):
    src = tmp_path / "captions.jsonl"
    src.write_text("".join(json.dumps({"id": f"c{i}", "text": c}) + "\n" for i, c in enumerate(CAPTIONS)))
    out = tmp_path / "set.jsonl"
    command = [sys.executable, "-c", "from negatives.cli import main; main()", "generate", str(src), "--out", str(out),
               "--seed", "3"]
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": "7"})

    built = GradedSetBuilder(seed=3).build(read_records(src))  # the README's first example
    assert [r.to_json() for r in built] == out.read_text().splitlines()
    manifest = json.loads((tmp_path / "set.jsonl.manifest.json").read_text())
    assert manifest["config"]["engines"] == GradedSetBuilder().engines


def test_checks_run_on_every_candidate_before_scoring():
    def no_cats(record: Record) -> None:
        record.distractors = [d for d in record.distractors if "cat" not in (d.text or "")]

    records = [Record(f"r{i}", "image-caption", {}, c) for i, c in enumerate(CAPTIONS)]
    built = GradedSetBuilder(["entity", "random"], seed=0, checks=[no_cats]).build(records)
    distractors = [d for r in built for d in r.distractors]
    assert distractors and not any("cat" in d.text for d in distractors)
    assert all(isinstance(d, Distractor) and d.level is not None for d in distractors)


def test_unknown_engines_are_refused():
    import pytest

    with pytest.raises(ValueError, match="unknown engine"):
        GradedSetBuilder(["entity", "teleport"])
