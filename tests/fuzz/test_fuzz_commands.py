"""User mistakes on every command: one error sentence naming the fix, exit code 2, no traceback, checked
before the expensive work, nothing written and the input untouched."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from _export_data import image_records, text_records, write
from harness import assert_clean_error, run_cli, snapshot

from negatives.records import Distractor, Record


@pytest.fixture()
def work(tmp_path: Path) -> Path:
    write(tmp_path / "set.jsonl", text_records())
    write(tmp_path / "bare.jsonl", [Record(r.id, "text", {}, r.positive, r.distractors) for r in text_records()])
    (tmp_path / "imgs").mkdir()
    write(tmp_path / "images.jsonl", image_records(tmp_path / "imgs"))
    pick = [Record("t2i", "image-caption", {"text": "a red car"}, "imgs/img0.png",
                   [Distractor(None, "image-neighbours", "retrieve", image="imgs/img1.png")])]  # fmt: skip
    write(tmp_path / "t2i.jsonl", pick)
    lines = [json.dumps({"id": 1, "text": "A dog runs."}), json.dumps({"id": 1, "text": "A cat sleeps."})]
    (tmp_path / "dup.jsonl").write_text("\n".join(lines) + "\n")
    (tmp_path / "rows.jsonl").write_text(json.dumps({"text": "A dog runs on the grass."}) + "\n")
    qa = [json.dumps({"id": i, "question": "How many legs has a spider?", "answer": "Eight."}) for i in range(30)]
    (tmp_path / "qa.jsonl").write_text("\n".join(qa) + "\n")
    (tmp_path / "notes.txt").write_text("x\n")
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "fifo.jsonl")
    return tmp_path


MISTAKES = [
    ("probe-unknown-scorer", ["probe", "set.jsonl", "-s", "nope", "--out", "r"], "unknown scorer kind 'nope'"),
    ("probe-no-scorer-kind", ["probe", "set.jsonl", "-s", ":x", "--out", "r"], "names no kind"),
    ("probe-bad-spec-pair", ["probe", "set.jsonl", "-s", "lm,reduction", "--out", "r"], "key=value"),
    ("probe-bad-reduction", ["probe", "set.jsonl", "-s", "lm,reduction=max", "--out", "r"], "reduction must be one of"),
    ("probe-unknown-option", ["probe", "set.jsonl", "-s", "blind-length,colour=red", "--out", "r"], "colour"),
    ("probe-prompt-without-text", ["probe", "set.jsonl", "-s", "lm,prompt=Q:", "--out", "r"], "must contain {text}"),
    ("probe-prompt-stray-field", ["probe", "set.jsonl", "-s", "lm,prompt={text}{x}", "--out", "r"], "no field but {text}"),
    ("probe-blind-with-options", ["probe", "set.jsonl", "-s", "blind,n=3", "--out", "r"], "takes no options"),
    ("probe-bad-panels", ["probe", "set.jsonl", "-s", "blind-length", "--out", "r", "--panels", "x"], "--panels"),
    ("probe-biencoder-without-anchor", ["probe", "bare.jsonl", "-s", "biencoder", "--out", "r"], "no anchor; use lm or blind"),
    ("probe-biencoder-on-images", ["probe", "images.jsonl", "-s", "biencoder", "--out", "r", "--image-root", "imgs"],
     "an image anchor; use clip"),
    ("probe-crossencoder-on-images", ["probe", "images.jsonl", "-s", "crossencoder", "--out", "r"], "an image anchor"),
    ("probe-blind-on-image-candidates", ["probe", "t2i.jsonl", "-s", "blind-length", "--out", "r"], "image candidates; use clip"),
    ("sweep-one-bad-scorer", ["sweep", "set.jsonl", "-s", "blind-length", "-s", "nope", "--out", "r"], "unknown scorer kind"),
    ("audit-biencoder-without-anchor", ["audit", "bare.jsonl", "-s", "biencoder", "--out", "a"], "no anchor"),
    ("probe-missing-model", ["probe", "set.jsonl", "-s", "lm:/nonexistent/model", "--out", "r"], "causal language model"),
    ("generate-unknown-engine", ["generate", "rows.jsonl", "--out", "o.jsonl", "--engines", "nope"], "unknown engine"),
    ("generate-duplicated-ids", ["generate", "dup.jsonl", "--out", "o.jsonl"], "dup.jsonl:2: duplicated id '1'"),
    ("export-triplets-extension", ["export", "set.jsonl", "--to", "triplets", "--out", "t.txt"], ".jsonl or .parquet"),
    ("export-nothing-selected", ["export", "set.jsonl", "--to", "inspect", "--out", "x.jsonl", "--level", "9"], "nothing to export"),
    ("export-images-to-inspect", ["export", "t2i.jsonl", "--to", "inspect", "--out", "x.jsonl"], "image candidates"),
    ("export-text-to-sugarcrepe", ["export", "set.jsonl", "--to", "sugarcrepe", "--out", "sc"], "anchor image"),
    ("export-raw-rows", ["export", "rows.jsonl", "--to", "hf", "--out", "ds"], "rows.jsonl:1:"),
    ("validate-missing-file", ["validate", "nope.jsonl"], "no such file"),
    ("validate-an-empty-folder", ["validate", "folder"], "an empty folder"),
    ("validate-a-fifo", ["validate", "fifo.jsonl"], "not a regular file"),
    ("convert-unknown-extension", ["convert", "notes.txt", "--out", "o.jsonl"], "pass --format"),
    ("convert-bad-format", ["convert", "rows.jsonl", "--out", "o.jsonl", "--format", "xml"], "--format"),
    ("convert-zero-max-chars", ["convert", "rows.jsonl", "--out", "o.jsonl", "--max-chars", "0"], "--max-chars"),
    ("convert-zero-max-tokens", ["convert", "rows.jsonl", "--out", "o.jsonl", "--max-tokens", "0"], "--max-tokens"),
    ("convert-missing-image-root", ["convert", "images.jsonl", "--out", "o.jsonl", "--image-root", "nope"], "--image-root"),
    ("convert-image-not-found", ["convert", "images.jsonl", "--out", "o.jsonl", "--image-root", "."], "images.jsonl:1: image not found"),
    ("generate-wrong-text-field", ["generate", "qa.jsonl", "--out", "o/o.jsonl"],
     "qa.jsonl:1: missing field 'text' (the row has 'id', 'question', 'answer'); pass --text-field with one of them"),
    ("convert-wrong-context-field", ["convert", "qa.jsonl", "--out", "o.jsonl", "--text-field", "answer", "--context-field", "q"],
     "missing field 'q' (the row has 'id', 'question', 'answer'); pass --context-field"),
    ("convert-jsonl-as-coco", ["convert", "qa.jsonl", "--out", "o.jsonl", "--format", "coco"],
     "qa.jsonl holds one JSON object per line, not one coco document; pass --format jsonl (or auto)"),
    ("convert-records-as-sugarcrepe", ["convert", "set.jsonl", "--out", "o.jsonl", "--format", "sugarcrepe"], "pass --format records"),
    ("probe-clip-images-not-found", ["probe", "images.jsonl", "-s", "clip", "--out", "r/new"], "image not found: 'img0.png'; pass --image-root"),
]


@pytest.mark.parametrize("argv,words", [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_user_mistakes_are_one_clear_error(work: Path, argv: list[str], words: str) -> None:
    before = snapshot(work)
    result = run_cli(*argv, cwd=work)
    assert_clean_error(result, words)
    assert snapshot(work) == before


def test_validate_says_each_kind_of_problem_once(work: Path) -> None:
    result = run_cli("validate", "qa.jsonl", cwd=work)
    assert_clean_error(result, "pass --text-field", code=1)
    problems = [line for line in result.err.splitlines() if "qa.jsonl:" in line]
    assert problems == [
        "qa.jsonl:1: missing field 'text' (the row has 'id', 'question', 'answer'); pass --text-field with one of them"
        " (also lines 2, 3, 4, 5, 6, ...: 29 more rows)"
    ]
    assert "30 rows, 0 valid, 30 with problems" in result.out


def test_generate_on_bad_and_huge_rows_accounts_for_every_row(tmp_path: Path) -> None:
    from harness import assert_accounted, rejected

    rows = [json.dumps({"id": i, "text": t}) for i, t in enumerate(["A dog runs on the grass.", "Two cats sleep on a red sofa."])]
    rows += [json.dumps({"id": "long", "text": " ".join(["a dog runs"] * 34_000)}),  # 100k characters
             '{"id": "nan", "text": NaN}', json.dumps({"id": 0, "text": "A duplicated id."}), '{"text": "\\ud800"}']  # fmt: skip
    (tmp_path / "in.jsonl").write_text("\n".join(rows) + "\n")
    before = snapshot(tmp_path)
    args = ("generate", "in.jsonl", "--out", "o.jsonl", "--engines", "count,random", "--max-chars", "200000", "--on-error", "skip")
    result = run_cli(*args, cwd=tmp_path)
    assert result.code == 0, result.err
    assert assert_accounted(tmp_path / "o.jsonl")["counts"] == {"read": 6, "written": 2, "rejected": 4}
    assert sorted(rejected(tmp_path / "o.jsonl")) == [3, 4, 5, 6]
    assert [Record.from_json(line).id for line in (tmp_path / "o.jsonl").read_text().splitlines()] == ["0", "1"]
    assert snapshot(tmp_path)["in.jsonl"] == before["in.jsonl"]
