"""`negatives export`: filters, counts, manifests, atomic and deterministic output, clear errors."""

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
from negatives.records import Record

runner = CliRunner()


@pytest.fixture()
def set_path(tmp_path: Path) -> Path:
    return write(tmp_path / "set.jsonl", text_records())


def run(*args: str | Path) -> object:
    return runner.invoke(app, ["export", *map(str, args)])


def test_filters_select_distractors_and_count_dropped_items(tmp_path: Path, set_path: Path) -> None:
    out = tmp_path / "l2.parquet"
    result = run(set_path, "--to", "parquet", "--out", out, "--level", "2", "--engine", "swap")
    assert result.exit_code == 0, result.output
    manifest = json.loads(Path(f"{out}.manifest.json").read_text())
    # swap distractors at level 2 exist for items 1 and 3 only; the other four items are dropped
    assert manifest["counts"]["read"] == 6 and manifest["counts"]["dropped"] == 4 and manifest["counts"]["items"] == 2
    assert manifest["config"] == {"to": "parquet", "levels": [2], "engines": ["swap"]}
    assert manifest["input"]["sha256"] and manifest["command"] == "export"
    import pyarrow.parquet as pq

    assert pq.read_table(out).column("id").to_pylist() == ["item-1", "item-3"]
    assert "dropped 4" in result.output


def test_refuses_to_overwrite_and_keeps_the_old_folder(tmp_path: Path, set_path: Path) -> None:
    out = tmp_path / "ds"
    assert run(set_path, "--to", "hf", "--out", out).exit_code == 0
    before = sorted(p.name for p in out.iterdir())
    result = run(set_path, "--to", "hf", "--out", out)
    assert result.exit_code != 0 and "exists" in str(result.exception)
    assert sorted(p.name for p in out.iterdir()) == before
    assert run(set_path, "--to", "hf", "--out", out, "--overwrite").exit_code == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no staging folder left behind"


def test_failed_export_leaves_nothing(tmp_path: Path, set_path: Path) -> None:
    out = tmp_path / "nothing"
    result = run(set_path, "--to", "sugarcrepe", "--out", out)
    assert result.exit_code != 0 and "anchor image" in str(result.exception)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set.jsonl"]


def test_no_matching_distractor_is_an_error(tmp_path: Path, set_path: Path) -> None:
    result = run(set_path, "--to", "inspect", "--out", tmp_path / "x.jsonl", "--level", "9")
    assert result.exit_code != 0 and "nothing to export" in str(result.exception)


def test_bad_input_row_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    good = Record("a", "text", {}, "A cat.", []).to_json()
    path.write_text(good + "\n" + '{"schema": "negatives/1", "id": "b"}\n')
    result = run(path, "--to", "inspect", "--out", tmp_path / "x.jsonl")
    assert result.exit_code != 0 and f"{path}:2:" in str(result.exception)


@pytest.mark.parametrize("to,out", [("lm-eval", "lm"), ("inspect", "s.jsonl"), ("triplets", "t.parquet")])
def test_same_seed_same_bytes_under_any_hash_seed(tmp_path: Path, set_path: Path, to: str, out: str) -> None:
    """Two CLI processes with different PYTHONHASHSEED write identical files."""
    outputs = []
    for hash_seed in ("1", "2"):
        target = tmp_path / hash_seed / out
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        code = f"from negatives.cli import app; app(['export', '{set_path}', '--to', '{to}', '--out', '{target}', '--seed', '7'])"
        subprocess.run([sys.executable, "-c", code], env=env, check=False, capture_output=True)
        files = sorted(p for p in target.parent.rglob("*") if p.is_file() and "manifest" not in p.name)
        outputs.append({str(p.relative_to(target.parent)): p.read_bytes().replace(str(tmp_path / hash_seed).encode(), b"") for p in files})
    assert outputs[0] and outputs[0] == outputs[1]


def test_help_lists_the_formats() -> None:
    result = runner.invoke(app, ["export", "--help"])
    assert result.exit_code == 0
    for name in ("lm-eval", "inspect", "sugarcrepe", "hf", "parquet", "triplets"):
        assert name in result.output
