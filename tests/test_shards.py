"""A folder of shards (JSON lines and Parquet) reads as one input: name order, ids unique across
shards, rejects naming the file and the line, a manifest digest over the shards; `generate` on a
folder writes what it writes on the same rows in one file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from negatives.errors import InputError
from negatives.manifest import input_digest
from negatives.readers import Reject, read_records

CAPTIONS = [c for c in (Path(__file__).parent / "data" / "captions.txt").read_text().split("\n") if c.strip()]


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _parquet(path: Path, rows: list[dict]) -> Path:
    pa = pytest.importorskip("pyarrow", reason="reading Parquet needs pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def _shards(folder: Path, rows: list[dict]) -> Path:
    """``rows`` in three shards, the middle one Parquet, beside files a reader skips."""
    folder.mkdir()
    _jsonl(folder / "part-0.jsonl", rows[: len(rows) // 3])
    _parquet(folder / "part-1.parquet", rows[len(rows) // 3 : 2 * len(rows) // 3])
    _jsonl(folder / "part-2.jsonl", rows[2 * len(rows) // 3 :])
    (folder / "_SUCCESS").write_text("")
    (folder / ".part-2.jsonl.crc").write_text("not a shard")
    return folder


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from negatives.cli import main; main()", *args],
                          capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})


def test_a_folder_reads_its_shards_in_name_order_as_one_input(tmp_path):
    rows = [{"text": c} for c in CAPTIONS[:9]]  # no ids: made up per shard
    records = list(read_records(_shards(tmp_path / "in", rows)))
    assert [r.positive for r in records] == CAPTIONS[:9]
    assert [r.id for r in records[2:4]] == ["part-0.jsonl:line-3", "part-1.parquet:line-1"]
    assert records[3].meta == {"line": 1, "file": "part-1.parquet"}
    assert list(read_records(tmp_path / "in", limit=4))[-1].id == "part-1.parquet:line-1"


def test_rejects_name_the_shard_and_the_line(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _jsonl(folder / "a.jsonl", [{"id": "x", "text": "A dog runs."}, {"id": "y", "text": "A cat sits."}])
    (folder / "b.jsonl").write_text('{"id": "z", "text": "A bird."}\n{"id": "x", "text": "Again."}\n{"text": \n')
    rejects = [r for r in read_records(folder) if isinstance(r, Reject)]
    assert [(r.file, r.line) for r in rejects] == [("b.jsonl", 2), ("b.jsonl", 3)]
    assert rejects[0].reason == "duplicated id 'x' (first at a.jsonl line 1)"
    assert rejects[0].to_dict()["file"] == "b.jsonl" and "file" not in Reject(1, "", "bad").to_dict()

    out = tmp_path / "out.jsonl"
    done = _cli("convert", str(folder), "--out", str(out), "--on-error", "skip")
    assert done.returncode == 0, done.stderr
    written = [json.loads(line) for line in Path(f"{out}.rejects.jsonl").read_text().splitlines()]
    assert [(r["file"], r["line"]) for r in written] == [("b.jsonl", 2), ("b.jsonl", 3)]
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["x", "y", "z"]
    again = _cli("convert", str(folder), "--out", str(out), "--on-error", "skip", "--overwrite")
    assert again.returncode == 0, again.stderr  # the rejects file is recognised as ours
    failed = _cli("validate", str(folder))
    assert failed.returncode == 1 and f"{folder / 'b.jsonl'}:2: duplicated id 'x'" in failed.stderr
    stopped = _cli("convert", str(folder), "--out", str(tmp_path / "stop.jsonl"))
    assert stopped.returncode == 2 and f"{folder / 'b.jsonl'}:2: duplicated id" in stopped.stderr


def test_the_manifest_digest_covers_every_shard_name_and_content(tmp_path):
    folder = _shards(tmp_path / "in", [{"id": str(i), "text": c} for i, c in enumerate(CAPTIONS[:6])])
    first = input_digest(folder)
    assert first["files"] == ["part-0.jsonl", "part-1.parquet", "part-2.jsonl"]
    (folder / "_SUCCESS").write_text("skipped files do not count")
    assert input_digest(folder) == first
    (folder / "part-2.jsonl").rename(folder / "part-3.jsonl")
    renamed = input_digest(folder)
    assert renamed["sha256"] != first["sha256"]
    with (folder / "part-3.jsonl").open("a") as fh:
        fh.write(json.dumps({"id": "new", "text": "A new row."}) + "\n")
    assert input_digest(folder)["sha256"] != renamed["sha256"]
    assert input_digest(folder / "part-0.jsonl") == {"sha256": input_digest(folder / "part-0.jsonl")["sha256"]}


def test_a_folder_holds_files_only_and_at_least_one(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="an empty folder"):
        list(read_records(tmp_path / "empty"))
    (tmp_path / "nested" / "inner").mkdir(parents=True)
    with pytest.raises(InputError, match="files only, not 'inner'"):
        list(read_records(tmp_path / "nested"))


def test_generate_on_shards_writes_what_it_writes_on_one_file(tmp_path):
    """JSON lines and Parquet shards: the same distractors, grades and counts as the rows in one file;
    only ``meta`` differs, naming each row's shard and line there."""
    rows = [{"id": f"c{i}", "text": c} for i, c in enumerate(CAPTIONS[:90])]
    single = _jsonl(tmp_path / "all.jsonl", rows)
    folder = _shards(tmp_path / "shards", rows)
    outputs = []
    for source in (single, folder):
        out = tmp_path / f"{source.stem}.out.jsonl"
        done = _cli("generate", str(source), "--out", str(out), "--engines", "binding,count,relation,random",
                    "--seed", "3", "--workers", "1")
        assert done.returncode == 0, done.stderr
        outputs.append(([json.loads(line) for line in out.read_text().splitlines()],
                        json.loads(Path(f"{out}.manifest.json").read_text())))
    (one, one_manifest), (sharded, shard_manifest) = outputs
    assert len(sharded) == len(rows) and sum(len(r["distractors"]) for r in sharded) > len(rows)
    assert sharded[30]["meta"] == {"line": 1, "file": "part-1.parquet"} and one[30]["meta"] == {"line": 31}
    for record in (*one, *sharded):
        record.pop("meta")
    assert sharded == one
    assert shard_manifest["generation"] == one_manifest["generation"]
    assert shard_manifest["grading"] == one_manifest["grading"]
    assert shard_manifest["input"]["files"] == ["part-0.jsonl", "part-1.parquet", "part-2.jsonl"]


def test_probe_reads_a_folder_of_record_shards(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    records = [{"schema": "negatives/1", "id": f"r{i}", "task": "text", "anchor": {}, "positive": c,
                "distractors": [{"text": CAPTIONS[i + 10], "engine": "random", "op": "sample"}]}
               for i, c in enumerate(CAPTIONS[:6])]
    _jsonl(folder / "a.jsonl", records[:3])
    _jsonl(folder / "b.jsonl", records[3:])
    done = _cli("probe", str(folder), "--scorer", "blind-length", "--out", str(tmp_path / "report"))
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    assert report["set"]["records"] == 6 and report["set"]["sha256"] == input_digest(folder)["sha256"]
