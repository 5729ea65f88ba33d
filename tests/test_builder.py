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


def _generate(src: Path, out: Path, *options: str, hashseed: str = "0") -> dict:
    """``negatives generate src --out out *options`` in a fresh process; its manifest."""
    subprocess.run([sys.executable, "-c", "from negatives.cli import main; main()", "generate", str(src),
                    "--out", str(out), *options], check=True, capture_output=True,
                   env={**os.environ, "PYTHONHASHSEED": hashseed})
    return json.loads(Path(f"{out}.manifest.json").read_text())


def test_any_number_of_workers_writes_the_same_bytes(tmp_path):
    """Text items with named entities: every worker counts its part of the NER pools and the statistics add up."""
    src = tmp_path / "mixed.jsonl"
    texts = ["Paris is the capital of France.", "Berlin hosted Angela Merkel in 2005.", "Tokyo has three airports.",
             "Maria Lopez won the race in Madrid."]
    named = [{"id": f"q{i}", "text": t} for i, t in enumerate(texts)]
    rows = named[:2] + [{"id": f"c{i}", "text": c} for i, c in enumerate(CAPTIONS)] + named[2:]  # in both halves
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    outputs = []
    for workers, hashseed in ((1, "1"), (2, "99")):
        out = tmp_path / f"w{workers}.jsonl"
        manifest = _generate(src, out, "--seed", "5", "--workers", str(workers), hashseed=hashseed)
        outputs += [out.read_bytes(), json.dumps([manifest["generation"], manifest["grading"]], sort_keys=True)]
    assert outputs[0] == outputs[2] and outputs[0].count(b"\n") == len(rows)
    assert outputs[1] == outputs[3]  # the per-op statistics add up to the same
    paris = json.loads(outputs[0].splitlines()[0])
    assert "Tokyo is the capital of France." in [d["text"] for d in paris["distractors"]]  # a pool of the other half


def test_checks_that_count_add_up_over_workers(tmp_path):
    """--question-lm scores answers with the LM in every worker; its counts reach the manifest."""
    src = tmp_path / "qa.jsonl"
    qa = [("How many legs does a spider have?", "Eight legs."), ("What colour is the sky on a clear day?", "Blue."),
          ("Which city is the capital of France?", "Paris."), ("How many days are there in a week?", "Seven days."),
          ("In which month does winter begin in the north?", "December."), ("Who wrote Hamlet?", "William Shakespeare.")]
    src.write_text("".join(json.dumps({"id": f"q{i}", "question": q, "answer": a}) + "\n" for i, (q, a) in enumerate(qa)))
    seen = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}.jsonl"
        manifest = _generate(src, out, "--text-field", "answer", "--context-field", "question", "--question-lm",
                             "--workers", str(workers))
        seen.append((out.read_bytes(), manifest["question_checks"]["lm"]["preferred_to_positive"]))
    assert seen[0] == seen[1]
    assert sum(op["scored"] for op in seen[0][1].values()) > 0
    assert b"question_lm" in seen[0][0]


def test_the_command_default_engines_are_the_builders():
    """`negatives generate` spells its default out (its --help must not import the builder)."""
    from negatives.builder import DEFAULT_SOURCES
    from negatives.commands.generate import DEFAULT

    assert DEFAULT == ",".join(DEFAULT_SOURCES)


def test_the_command_default_oversample_is_the_builders():
    import inspect

    from negatives.builder import DEFAULT_OVERSAMPLE
    from negatives.commands.generate import main

    assert inspect.signature(main).parameters["oversample"].default == DEFAULT_OVERSAMPLE
