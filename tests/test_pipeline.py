"""Records round trip, atomic writes, rejects accounting, determinism and the CLI's fast start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negatives.errors import InputError, OutputExists
from negatives.manifest import manifest_path
from negatives.pipeline import rejects_path, run
from negatives.readers import ReadOptions
from negatives.records import Distractor, Edit, Record, RecordError
from negatives.writers import atomic_open, write_records

VENV_BIN = Path(sys.executable).parent

texts = st.text(min_size=1, max_size=40).filter(str.strip)


@st.composite
def records(draw):
    positive = draw(texts)
    start = draw(st.integers(0, len(positive)))
    end = draw(st.integers(start, len(positive)))
    new = draw(texts)
    edit = Edit((start, end), positive[start:end], new, {"delta": draw(st.integers(-3, 3))})
    d = Distractor(
        text=edit.apply(positive),
        engine=draw(st.sampled_from(["entity", "count"])),
        op="replace",
        edit=edit,
        difficulty=draw(st.none() | st.floats(0, 1)),
        level=draw(st.none() | st.integers(1, 5)),
        checks={"differs": True},
        meta=draw(st.dictionaries(st.text(max_size=5), st.integers(), max_size=2)),
    )
    image = Distractor(text=None, engine="image-neighbours", op="retrieve", image="img/1.png")
    anchor = draw(st.sampled_from([{}, {"text": "ctx"}, {"image": "a.png"}]))
    return Record(
        id=draw(texts),
        task="image-caption" if "image" in anchor else draw(st.sampled_from(["text", "image-caption"])),
        anchor=anchor,
        positive=positive,
        distractors=draw(st.sampled_from([[d], [image], []])),  # an item offers texts or images, not both
        meta={"siblings": draw(st.lists(texts, max_size=3))},
    )


@given(records())
def test_record_round_trip_is_lossless(rec):
    back = Record.from_json(rec.to_json())
    assert back == rec
    assert back.to_json() == rec.to_json()


def test_edit_apply_checks_the_old_text():
    assert Edit((2, 5), "dog", "cat").apply("a dog runs") == "a cat runs"
    with pytest.raises(RecordError):
        Edit((2, 5), "cow", "cat").apply("a dog runs")


@pytest.mark.parametrize(
    "obj,msg",
    [([], "JSON object"), ({"id": "1", "task": "x", "positive": "p"}, "task"), ({"schema": "negatives/9"}, "schema")],
)
def test_invalid_records_are_refused(obj, msg):
    with pytest.raises(RecordError, match=msg):
        Record.from_dict(obj)


def test_atomic_open_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        with atomic_open(target) as fh:
            fh.write("half")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_refuses_to_overwrite_without_flag(tmp_path):
    target = tmp_path / "out.jsonl"
    write_records(target, [])
    with pytest.raises(OutputExists, match="--overwrite"):
        write_records(target, [])
    write_records(target, [], overwrite=True)


def _input(tmp_path: Path) -> Path:
    lines = ['{"text": "a dog"}', '{"text": ""}', "{oops", '{"text": "two cats"}', '{"text": 3}']
    p = tmp_path / "in.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_fail_mode_stops_with_file_and_line_and_writes_nothing(tmp_path):
    p = _input(tmp_path)
    with pytest.raises(InputError, match=r"in\.jsonl:2: field 'text' is empty"):
        run(p, tmp_path / "out.jsonl")
    assert sorted(x.name for x in tmp_path.iterdir()) == ["in.jsonl"]


def test_skip_mode_accounts_for_every_row(tmp_path):
    p = _input(tmp_path)
    out = tmp_path / "out.jsonl"
    manifest = run(p, out, on_error="skip")
    assert manifest["counts"] == {"read": 5, "written": 2, "rejected": 3}
    rejects = [json.loads(x) for x in rejects_path(out).read_text().splitlines()]
    assert [r["line"] for r in rejects] == [2, 3, 5]
    assert all(r["reason"] and "raw" in r for r in rejects)
    written = [json.loads(x)["meta"]["line"] for x in out.read_text().splitlines()]
    assert sorted(written + [r["line"] for r in rejects]) == [1, 2, 3, 4, 5]
    on_disk = json.loads(manifest_path(out).read_text())
    assert on_disk["counts"] == manifest["counts"] and len(on_disk["input"]["sha256"]) == 64


def test_transform_sees_batches_and_must_keep_every_record(tmp_path):
    p = _input(tmp_path)
    sizes = []

    def upper(batch):
        sizes.append(len(batch))
        for r in batch:
            r.meta["upper"] = r.positive.upper()
        return batch

    run(p, tmp_path / "o.jsonl", upper, on_error="skip", batch_size=1)
    assert sizes == [1, 1]
    with pytest.raises(RuntimeError, match="transform returned"):
        run(p, tmp_path / "o2.jsonl", lambda b: [], on_error="skip")
    assert not (tmp_path / "o2.jsonl").exists()


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(VENV_BIN / "negatives"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_cli_convert_is_byte_identical_across_hash_seeds(tmp_path):
    p = _input(tmp_path)
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"o{seed}.jsonl"
        res = _cli("convert", str(p), "--out", str(out), "--on-error", "skip", env={"PYTHONHASHSEED": seed})
        assert res.returncode == 0, res.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_cli_errors_are_one_clear_line(tmp_path):
    p = _input(tmp_path)
    res = _cli("convert", str(p), "--out", str(tmp_path / "o.jsonl"))
    assert res.returncode == 2
    assert res.stderr.strip().endswith("in.jsonl:2: field 'text' is empty")
    res = _cli("validate", str(p))
    assert res.returncode == 1 and "5 rows, 2 valid, 3 with problems" in res.stdout


def test_help_does_not_import_torch():
    code = "import sys; sys.argv=['negatives','--help']\nfrom negatives import cli\ntry:\n    cli.main()\nexcept SystemExit:\n    pass\nassert 'torch' not in sys.modules, 'torch imported'\nassert 'transformers' not in sys.modules"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert "convert" in res.stdout


def test_batch_gc_restores_the_collector():
    import gc

    from negatives.pipeline import batch_gc, freeze_alive

    before = gc.get_threshold()
    with batch_gc():
        assert gc.get_threshold()[0] > before[0]
        freeze_alive()
        assert gc.get_freeze_count() > 0
        cycle: list = []
        cycle.append(cycle)  # a cycle made during the run is still collected
        del cycle
        assert gc.collect() >= 1
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
