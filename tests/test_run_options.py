"""Options every long run has: progress on stderr when it is no terminal, --limit and --sample, and
generate's --config (a TOML file of option values, recorded in the manifest)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _export_data import text_records, write
from typer.testing import CliRunner

from negatives.cli import app
from negatives.progress import Progress, duration, progress

BIN = Path(sys.executable).parent
CAPTIONS = [
    "A red car is parked next to two dogs.", "Three cats sleep on a blue sofa.", "A man rides a brown horse on the beach.",
    "Two children play with a yellow ball in the park.", "A woman holds an open umbrella in the rain.",
    "A black dog runs across a green field.", "Two men ride bicycles down a busy street.", "A white cat sits on a wooden chair.",
]


def test_progress_lines_say_count_rate_and_time_left(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NEGATIVES_PROGRESS_EVERY", "0")
    assert list(progress(range(3), "stage", total=3)) == [0, 1, 2]
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("stage: 1/3 rows, ") and "rows/s, ETA " in lines[0]
    assert lines[2].startswith("stage: 3/3 rows, ") and "ETA" not in lines[2]
    assert lines[-1].startswith("stage: done, 3 rows in ")
    with Progress("open-ended", unit="texts") as bar:
        bar.update(5)
    assert capsys.readouterr().err.startswith("open-ended: 5 texts, ")


def test_a_quick_stage_prints_nothing(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NEGATIVES_PROGRESS_EVERY", "3600")
    assert list(progress(range(3), "stage", total=3)) == [0, 1, 2]
    assert capsys.readouterr().err == ""


def test_durations_read_as_people_write_them() -> None:
    assert [duration(s) for s in (4.6, 65, 7322)] == ["5s", "1m 05s", "2h 02m"]


@pytest.mark.slow
def test_generate_with_a_config_file_a_sample_and_progress_without_a_terminal(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"r{i}", "caption": c}) + "\n" for i, c in enumerate(CAPTIONS)))
    (tmp_path / "gen.toml").write_text('engines = "count,random"\nper-level = 1\ntext_field = "caption"\nseed = 3\nsample = 5\n')
    command = [str(BIN / "negatives"), "generate", "in.jsonl", "--out", "out.jsonl", "--config", "gen.toml", "--seed", "7"]
    env = {**os.environ, "NEGATIVES_PROGRESS_EVERY": "0"}
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    for stage in ("corpus pass: ", "corpus statistics: ", "generate: 5/5 rows, "):
        assert stage in done.stderr, stage
    assert "rows/s" in done.stderr and "generate: done, 5 rows in " in done.stderr
    manifest = json.loads((tmp_path / "out.jsonl.manifest.json").read_text())
    config = manifest["config"]
    assert config["config_file"]["values"] == {"engines": "count,random", "per_level": 1, "text_field": "caption", "seed": 3, "sample": 5}
    assert config["config_file"]["file"] == "gen.toml" and len(config["config_file"]["sha256"]) == 64
    assert manifest["seed"] == 7 and config["engines"] == ["count", "random"] and config["per_level"] == 1  # the command line wins
    assert config["read"]["sample"] == 5 and config["read"]["seed"] == 7
    assert manifest["counts"] == {"read": 5, "written": 5, "rejected": 0}
    ids = [json.loads(line)["id"] for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert len(set(ids)) == 5 and ids == sorted(ids, key=lambda i: int(i[1:]))  # five drawn rows, in file order
    assert all({d["engine"] for d in json.loads(line)["distractors"]} <= {"count", "random"} for line in (tmp_path / "out.jsonl").read_text().splitlines())


def test_probe_and_audit_read_a_limit_or_a_sample(tmp_path: Path) -> None:
    write(tmp_path / "set.jsonl", text_records())
    runner = CliRunner()
    probe = runner.invoke(app, ["probe", str(tmp_path / "set.jsonl"), "-s", "blind-length", "--out", str(tmp_path / "p"), "--limit", "2"])
    assert probe.exit_code == 0, probe.output
    report = json.loads((tmp_path / "p" / "report.json").read_text())
    assert report["set"]["records"] == 2 and report["set"]["read"]["limit"] == 2
    items = (tmp_path / "p" / "items.jsonl").read_text().splitlines()
    assert [json.loads(line)["id"] for line in items] == ["item-0", "item-1"]
    samples = []
    for run in ("a", "b"):
        audit = runner.invoke(app, ["audit", str(tmp_path / "set.jsonl"), "-s", "blind-length", "--out", str(tmp_path / run), "--sample", "3"])
        assert audit.exit_code == 0, audit.output
        manifest = json.loads((tmp_path / run / "audit.json.manifest.json").read_text())
        samples.append(manifest["counts"])
    assert samples[0] == samples[1] and samples[0]["records"] == 3  # seeded: the same three items each time


def test_an_unknown_config_key_is_one_sentence_naming_the_known_ones(tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text(json.dumps({"text": "A dog runs."}) + "\n")
    (tmp_path / "bad.toml").write_text("per-levels = 1\n")
    result = CliRunner().invoke(app, ["generate", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "o.jsonl"), "--config", str(tmp_path / "bad.toml")])
    assert result.exit_code == 2
    assert "unknown key(s) per-levels; known: " in result.output and "per-level," in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml", "in.jsonl"]


@pytest.mark.slow
def test_generate_debias_prints_its_before_and_after_table(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"r{i}", "text": c}) + "\n" for i, c in enumerate(CAPTIONS)))
    command = [str(BIN / "negatives"), "generate", "in.jsonl", "--out", "out.jsonl", "--engines", "count,binding", "--debias"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    table = done.stderr[done.stderr.index("debias (per engine"):].splitlines()
    manifest = json.loads((tmp_path / "out.jsonl.manifest.json").read_text())
    groups = manifest["debias"][0]["groups"]
    assert len(table) > len(groups) and all(f"{g['engine']} level {g['level']}: items {g['items_after']}/{g['items_before']}" in done.stderr for g in groups)
    assert "lm-prior-sum" in table[1] and "->" in table[1]
    from negatives.builder import GradedSetBuilder
    from negatives.readers import read_records

    from negatives.debias import blind_selector

    built = GradedSetBuilder(["count", "binding"], selector=blind_selector(2)).build(read_records(src))  # as the README says
    assert [r.to_json() for r in built] == (tmp_path / "out.jsonl").read_text().splitlines()
