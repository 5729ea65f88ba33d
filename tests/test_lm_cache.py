"""The persistent LM-score cache: a pair scored once is read back by the next process, whichever
command asks (probe, then sweep), keyed by model, prompt and text."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from _export_data import text_records, write

from probes.scorers.lm_cache import ScoreCache, model_fingerprint

BIN = Path(sys.executable).parent


def test_scores_round_trip_and_keys_tell_prompt_text_and_start_apart(tmp_path: Path) -> None:
    cache = ScoreCache(tmp_path / "m.sqlite")
    cache.put([(("Q: ", "A dog.", True), (-3.5, 3)), (("", "A dog.", True), (-7.25, 3))])
    again = ScoreCache(tmp_path / "m.sqlite")  # another connection, as another process would open it
    keys = [("Q: ", "A dog.", True), ("", "A dog.", True), ("Q: ", "A dog.", False), ("Q: ", "A cat.", True)]
    assert again.get(keys) == {keys[0]: (-3.5, 3), keys[1]: (-7.25, 3)}


def test_the_model_fingerprint_follows_its_files_and_settings(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    first = model_fingerprint(tmp_path, "a")
    assert model_fingerprint(tmp_path, "a") == first and model_fingerprint(tmp_path, "b") != first
    (tmp_path / "model.safetensors").write_bytes(b"x")
    assert model_fingerprint(tmp_path, "a") != first


@pytest.mark.slow
def test_sweep_reads_what_probe_scored(tmp_path: Path) -> None:
    write(tmp_path / "set.jsonl", text_records())
    env = {**os.environ, "NEGATIVES_LM_CACHE": str(tmp_path / "scores"), "NEGATIVES_PROGRESS_EVERY": "0"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([str(BIN / "negatives"), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr[-3000:]
        return done

    first = run("probe", "set.jsonl", "-s", "lm", "--out", "probe")
    assert "lm scores:" in first.stderr  # computed, with progress lines although stderr is no terminal
    (db,) = (tmp_path / "scores").glob("*.sqlite")
    stored = sqlite3.connect(db).execute("SELECT COUNT(*) FROM scores").fetchone()[0]
    assert stored == 5 * 3 + 5  # each positive and distractor once, with its item's prompt
    second = run("sweep", "set.jsonl", "-s", "lm", "--out", "sweep")
    assert "lm scores:" not in second.stderr  # nothing computed: every score came from the cache
    reports = [json.loads((tmp_path / d / "report.json").read_text())["scorers"]["lm"]["metrics"] for d in ("probe", "sweep")]
    assert reports[0] == reports[1]
