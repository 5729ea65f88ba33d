"""The graded `generate` command: every engine and source, difficulty levels, selection per level."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

CAPTIONS = Path(__file__).parent / "data" / "captions.txt"


def _run(src: Path, out: Path, *extra: str, hashseed: str = "0") -> dict:
    cmd = [str(Path(sys.executable).parent / "negatives"), "generate", str(src), "--out", str(out), *extra]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONHASHSEED": hashseed})
    assert res.returncode == 0, res.stderr[-2000:]
    return json.loads(out.with_name(out.name + ".manifest.json").read_text())


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("graded")
    src = tmp / "in.jsonl"
    lines = CAPTIONS.read_text(encoding="utf-8").splitlines()[:40]
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(lines)), encoding="utf-8")
    out = tmp / "set.jsonl"
    manifest = _run(src, out, "--per-level", "2", "--seed", "3")
    return src, out, manifest


def test_every_distractor_is_scored_and_levelled(graded):
    _, out, manifest = graded
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 40 == manifest["counts"]["written"]
    per_level = Counter()
    for r in records:
        levels = Counter(d["level"] for d in r["distractors"])
        assert all(n <= 2 for n in levels.values())
        per_level.update(levels)
        for d in r["distractors"]:
            assert 0.0 <= d["difficulty"] <= 1.0 and 1 <= d["level"] <= 5
    assert set(per_level) == {1, 2, 3, 4, 5}
    engines = {d["engine"] for r in records for d in r["distractors"]}
    assert {"random", "neighbours", "entity", "binding", "relation"} <= engines
    assert manifest["grading"] and manifest["mining"] and manifest["generation"]


def test_levels_follow_difficulty(graded):
    _, out, _ = graded
    ds = [d for line in out.read_text().splitlines() for d in json.loads(line)["distractors"]]
    by_level = {lv: [d["difficulty"] for d in ds if d["level"] == lv] for lv in range(1, 6)}
    assert all(max(by_level[lv]) <= min(by_level[lv + 1]) for lv in range(1, 5) if by_level[lv] and by_level[lv + 1])
    random_mean = sum(d["difficulty"] for d in ds if d["engine"] == "random") / max(1, sum(d["engine"] == "random" for d in ds))
    edit_mean = sum(d["difficulty"] for d in ds if d["engine"] == "binding") / max(1, sum(d["engine"] == "binding" for d in ds))
    assert random_mean < edit_mean


def test_same_seed_same_bytes_under_another_hash_seed(graded, tmp_path):
    src, out, _ = graded
    again = tmp_path / "again.jsonl"
    _run(src, again, "--per-level", "2", "--seed", "3", hashseed="99")
    assert again.read_bytes() == out.read_bytes()


def test_a_corpus_caption_with_an_unknown_word_is_written_as_valid_json(tmp_path):
    """Plausibility of a typo is -inf as a log-probability: the signal is null, and our own strict
    reader reads the set back (it once wrote -Infinity, which no JSON reader accepts)."""
    from negatives.builder import GradedSetBuilder
    from negatives.readers import Reject, read_records
    from negatives.records import Distractor, Record

    lines = CAPTIONS.read_text(encoding="utf-8").splitlines()[:11] + ["a man sittig by a table taking of photo of his food"]
    records = [Record(f"r{i}", "image-caption", {}, t) for i, t in enumerate(lines)]
    records[0].distractors.append(Distractor("a man sittig by a table", "imported", "given"))  # a user's own
    built = GradedSetBuilder(["random"], per_level=0, seed=1).build(records)
    typo = [(r.id, d) for r in built for d in r.distractors if "sittig" in d.text]
    assert [rid for rid, _ in typo] == ["r0"]  # never a random candidate: a caption with a typo reads as odd
    assert all(d.meta["signals"]["fluency"] is None for _, d in typo)
    out = tmp_path / "set.jsonl"
    out.write_text("".join(r.to_json() + "\n" for r in built), encoding="utf-8")
    read = list(read_records(out, fmt="records"))
    assert not [r for r in read if isinstance(r, Reject)] and len(read) == len(built)
