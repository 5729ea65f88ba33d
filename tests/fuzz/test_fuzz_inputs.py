"""Bad inputs for every reader, each through `convert` (skip and fail) and `validate`: a rejected row with
its line and reason (or one clear error for a broken file), read = written + rejected, nothing left
behind, the input untouched, and `validate` reporting exactly the rows `convert` rejects."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from harness import assert_accounted, assert_clean_error, rejected, run_cli, snapshot

from negatives.records import Record

GOOD = {"text": "A dog runs on the grass."}


def jl(*rows: object) -> bytes:
    """JSON lines: dicts are dumped, strings and bytes written as they are."""
    out = b""
    for row in rows:
        line = row if isinstance(row, bytes) else row.encode() if isinstance(row, str) else json.dumps(row).encode()
        out += line + b"\n"
    return out


def record(**changes: object) -> dict:
    """A valid record with one edit distractor, changed by ``changes`` (distractor fields under d_*)."""
    positive = "A red car is parked next to two dogs."
    d = {"text": "A blue car is parked next to two dogs.", "engine": "binding", "op": "replace",
         "edit": {"span": [2, 5], "old": "red", "new": "blue"}, "difficulty": 0.5, "level": 3, "checks": {}}  # fmt: skip
    rec = {"schema": "negatives/1", "id": "r1", "task": "text", "anchor": {}, "positive": positive, "distractors": [d], "meta": {}}
    for key, value in changes.items():
        if key.startswith("d_"):
            d[key[2:]] = value
        else:
            rec[key] = value
    return rec


def coco(annotations: list, images: object = None) -> bytes:
    images = [{"id": 1, "file_name": "one.jpg"}, {"id": 2, "file_name": "two.jpg"}] if images is None else images
    return json.dumps({"images": images, "annotations": annotations}).encode()


ANN = {"id": 1, "image_id": 1, "caption": "A dog on the grass."}


@dataclass
class Case:
    id: str
    name: str
    content: bytes
    good: int
    bad: dict[int, str] = field(default_factory=dict)  # line -> words in the reason
    args: tuple[str, ...] = ()
    file_error: str | None = None  # words of the one error a broken file gives


def nested(depth: int) -> str:
    return '{"text": "x", "meta": ' + "[" * depth + "]" * depth + "}"


WORDS = " ".join(["word"] * 600)
CASES = [
    # JSONL
    Case("jsonl-truncated", "in.jsonl", jl(GOOD, '{"text": "br'), 1, {2: "malformed JSON"}),
    Case("jsonl-bad-utf8", "in.jsonl", jl(GOOD, b'{"text": "caf\xe9"}'), 1, {2: "undecodable"}),
    Case("jsonl-nul-escape", "in.jsonl", jl({"text": "a\x00dog"}), 1),
    Case("jsonl-raw-nul", "in.jsonl", jl(GOOD, b'{"text": "a\x00dog"}'), 1, {2: "malformed JSON"}),
    Case("jsonl-crlf", "in.jsonl", b'{"text": "a dog"}\r\n{"text": "a cat"}\r\n', 2),
    Case("jsonl-bom", "in.jsonl", b"\xef\xbb\xbf" + jl(GOOD, {"text": "a cat"}), 2),
    Case("jsonl-no-final-newline", "in.jsonl", jl(GOOD) + b'{"text": "a cat"}', 2),
    Case("jsonl-lone-surrogate", "in.jsonl", jl(GOOD, '{"text": "a \\ud800 dog"}'), 1, {2: "lone surrogate"}),
    Case("jsonl-surrogate-key", "in.jsonl", jl(GOOD, '{"text": "a", "\\udc00": 1}'), 1, {2: "lone surrogate"}),
    Case("jsonl-nested-100000", "in.jsonl", jl(GOOD, nested(100_000)), 1, {2: "nested deeper"}),
    Case("jsonl-nested-40", "in.jsonl", jl(GOOD, nested(40)), 1, {2: "nested deeper"}),
    Case("jsonl-id-5000-digits", "in.jsonl", jl(GOOD, '{"id": ' + "7" * 5000 + ', "text": "a"}'), 1, {2: "JSON number"}),
    Case("jsonl-id-300-digits", "in.jsonl", jl(GOOD, '{"id": ' + "7" * 300 + ', "text": "a"}'), 1, {2: "id is too long"}),
    Case("jsonl-id-long-string", "in.jsonl", jl(GOOD, {"id": "x" * 5000, "text": "a"}), 1, {2: "id is too long"}),
    Case("jsonl-id-bool", "in.jsonl", jl(GOOD, {"id": True, "text": "a"}), 1, {2: "string or an integer"}),
    Case("jsonl-id-float", "in.jsonl", jl(GOOD, {"id": 1.5, "text": "a"}), 1, {2: "string or an integer"}),
    Case("jsonl-duplicated-id", "in.jsonl", jl({"id": 1, "text": "a"}, {"id": 2, "text": "b"}, {"id": "1", "text": "c"}), 2,
         {3: "duplicated id '1' (first at line 1)"}),  # fmt: skip
    Case("jsonl-duplicate-key", "in.jsonl", jl(GOOD, '{"text": "a", "text": "b"}'), 1, {2: "duplicate key 'text'"}),
    Case("jsonl-nan", "in.jsonl", jl(GOOD, '{"text": "a", "score": NaN}'), 1, {2: "NaN"}),
    Case("jsonl-infinity", "in.jsonl", jl(GOOD, '{"text": "a", "score": -Infinity}'), 1, {2: "Infinity"}),
    Case("jsonl-overflow", "in.jsonl", jl(GOOD, '{"text": "a", "score": 1e999}'), 1, {2: "out of range"}),
    Case("jsonl-too-many-chars", "in.jsonl", jl(GOOD, {"text": "x" * 10_001}), 1, {2: "--max-chars 10000"}),
    Case("jsonl-too-many-tokens", "in.jsonl", jl(GOOD, {"text": WORDS}), 1, {2: "600 tokens > --max-tokens 512"}),
    Case("jsonl-100k-row", "in.jsonl", jl(GOOD, {"text": " ".join(["word"] * 20_000)}), 1, {2: "--max-tokens"},
         ("--max-chars", "200000")),  # fmt: skip
    Case("jsonl-row-over-limit", "in.jsonl", jl(GOOD, {"text": "a", "pad": "x" * 20_000}, {"text": "b"}), 2,
         {2: "row too long"}, ("--max-chars", "100")),  # fmt: skip
    Case("jsonl-long-last-line", "in.jsonl", jl(GOOD) + b'{"text": "' + b"x" * 20_000 + b'"}', 1, {2: "row too long"},
         ("--max-chars", "100")),  # fmt: skip
    Case("jsonl-array-row", "in.jsonl", jl(GOOD, "[1, 2]"), 1, {2: "expected a JSON object"}),
    Case("jsonl-number-text", "in.jsonl", jl(GOOD, {"text": 5}), 1, {2: "must be a string"}),
    Case("jsonl-blank-text", "in.jsonl", jl(GOOD, {"text": "  "}), 1, {2: "is empty"}),
    Case("jsonl-missing-text", "in.jsonl", jl(GOOD, {"caption": "a"}), 1, {2: "missing field 'text'"}),
    Case("jsonl-empty-file", "in.jsonl", b"", 0),
    Case("jsonl-blank-lines", "in.jsonl", b"\n  \n\r\n", 0),
    # CSV
    Case("csv-huge-field", "in.csv", b"id,text\n1," + b"x" * 150_000 + b"\n2,a cat\n", 2, args=("--max-chars", "200000")),
    Case("csv-field-over-limit", "in.csv", b"id,text\n1,\"" + b"x" * 20_000 + b"\"\n2,a cat\n", 1, {2: "row too long"},
         ("--max-chars", "100")),  # fmt: skip
    Case("csv-unclosed-quote", "in.csv", b'id,text\n1,a dog\n2,"unclosed\n3,a cat\n', 1, {3: "quote never closes"}),
    Case("csv-quote-then-text", "in.csv", b'id,text\n1,"a"b\n2,a cat\n', 1, {2: "malformed CSV"}),
    Case("csv-duplicate-header", "in.csv", b"id,text,text\n1,a,b\n", 0, file_error="more than once"),
    Case("csv-bom", "in.csv", b"\xef\xbb\xbfid,text\n1,a dog\n", 1),
    Case("csv-bad-utf8", "in.csv", b"id,text\n1,ok\n2,caf\xe9\n", 1, {3: "undecodable"}),
    Case("csv-extra-column", "in.csv", b"id,text\n1,a,extra\n2,b\n", 1, {2: "expected 2 columns"}),
    Case("csv-duplicated-id", "in.csv", b"id,text\n1,a\n1,b\n", 1, {3: "duplicated id"}),
    Case("csv-header-only", "in.csv", b"id,text\n", 0),
    # COCO
    Case("coco-image-id-text", "captions.json", coco([ANN, {**ANN, "id": 2, "image_id": "abc"}]), 1, {2: "image_id"}),
    Case("coco-image-id-null", "captions.json", coco([ANN, {**ANN, "id": 2, "image_id": None}]), 1, {2: "image_id"}),
    Case("coco-image-id-list", "captions.json", coco([ANN, {**ANN, "id": 2, "image_id": [1]}]), 1, {2: "image_id"}),
    Case("coco-image-id-float", "captions.json", coco([ANN, {**ANN, "id": 2, "image_id": 1.5}]), 1, {2: "image_id"}),
    Case("coco-image-id-unknown", "captions.json", coco([ANN, {**ANN, "id": 2, "image_id": 9}]), 1, {2: "not in 'images'"}),
    Case("coco-images-not-a-list", "captions.json", coco([ANN], images=5), 0, file_error="'images' must be a list"),
    Case("coco-image-twice", "captions.json", coco([ANN], images=[{"id": 1, "file_name": "a.jpg"}] * 2), 0,
         file_error="appears twice"),  # fmt: skip
    Case("coco-truncated", "captions.json", coco([ANN])[:-5], 0, file_error="malformed JSON"),
    Case("coco-bom", "captions.json", b"\xef\xbb\xbf" + coco([ANN]), 1),
    Case("coco-surrogate", "captions.json", coco([ANN]).replace(b"grass", b"\\ud800"), 0, {1: "lone surrogate"}),
    Case("coco-duplicated-id", "captions.json", coco([ANN, {**ANN, "caption": "A cat."}]), 1, {2: "duplicated id"}),
    Case("coco-annotation-not-object", "captions.json", coco([ANN, 7]), 1, {2: "must be an object"}),
    Case("coco-top-key-twice", "captions.json", b'{"annotations": [], "annotations": ' + json.dumps([ANN]).encode() + b"}",
         0, file_error="appears twice"),  # fmt: skip
    # SugarCrepe
    Case("sugarcrepe-bom", "swap_att.json",
         b"\xef\xbb\xbf" + json.dumps({"0": {"filename": "a.jpg", "caption": "a dog", "negative_caption": "a cat"}}).encode(), 1),  # fmt: skip
    Case("sugarcrepe-not-object", "swap_att.json",
         json.dumps({"0": {"filename": "a.jpg", "caption": "a dog", "negative_caption": "a cat"}, "1": 5}).encode(), 1,
         {2: "must be an object"}),  # fmt: skip
    Case("sugarcrepe-missing-negative", "swap_att.json",
         json.dumps({"0": {"filename": "a.jpg", "caption": "a dog"}}).encode(), 0, {1: "negative_caption"},
         ("--format", "sugarcrepe")),  # fmt: skip
    Case("sugarcrepe-key-twice", "swap_att.json",
         b'{"0": {"filename": "a.jpg", "caption": "a dog", "negative_caption": "a cat"}, '
         b'"0": {"filename": "b.jpg", "caption": "a cow", "negative_caption": "a pig"}}', 0, file_error="appears twice"),  # fmt: skip
    # records
    Case("records-valid", "set.jsonl", jl(record()), 1),
    Case("records-bom", "set.jsonl", b"\xef\xbb\xbf" + jl(record()), 1),
    Case("records-difficulty-text", "set.jsonl", jl(record(d_difficulty="hard")), 0, {1: "difficulty"}),
    Case("records-difficulty-nan", "set.jsonl", jl(json.dumps(record()).replace("0.5", "NaN")), 0, {1: "NaN"}),
    Case("records-difficulty-7.5", "set.jsonl", jl(record(d_difficulty=7.5)), 0, {1: "difficulty"}),
    Case("records-level-text", "set.jsonl", jl(record(d_level="five")), 0, {1: "level"}),
    Case("records-level-999", "set.jsonl", jl(record(d_level=999)), 0, {1: "level"}),
    Case("records-level-negative", "set.jsonl", jl(record(d_level=-1)), 0, {1: "level"}),
    Case("records-level-2.7", "set.jsonl", jl(record(d_level=2.7)), 0, {1: "level"}),
    Case("records-checks-text", "set.jsonl", jl(record(d_checks="abc")), 0, {1: "checks must be an object"}),
    Case("records-meta-number", "set.jsonl", jl(record(meta=5)), 0, {1: "meta must be an object"}),
    Case("records-engine-null", "set.jsonl", jl(record(d_engine=None)), 0, {1: "engine must be"}),
    Case("records-engine-nul", "set.jsonl", jl(record(d_engine="a\x00b")), 0, {1: "engine must be a printable"}),
    Case("records-siblings-text", "set.jsonl", jl(record(meta={"siblings": "abc"})), 0, {1: "meta.siblings"}),
    Case("records-numeric-text", "set.jsonl", jl(record(d_text=5, d_edit=None)), 0, {1: "distractor text"}),
    Case("records-span-out-of-range", "set.jsonl", jl(record(d_edit={"span": [100, 200], "old": "", "new": "x"})), 0,
         {1: "outside the positive"}),  # fmt: skip
    Case("records-span-reversed", "set.jsonl", jl(record(d_edit={"span": [5, 2], "old": "", "new": "x"})), 0,
         {1: "outside the positive"}),  # fmt: skip
    Case("records-span-negative", "set.jsonl", jl(record(d_edit={"span": [-1, 2], "old": "A ", "new": "x"})), 0,
         {1: "outside the positive"}),  # fmt: skip
    Case("records-span-floats", "set.jsonl", jl(record(d_edit={"span": [2.0, 5], "old": "red", "new": "blue"})), 0,
         {1: "two integers"}),  # fmt: skip
    Case("records-old-mismatch", "set.jsonl", jl(record(d_edit={"span": [2, 5], "old": "tan", "new": "blue"})), 0,
         {1: "holds 'red', not 'tan'"}),  # fmt: skip
    Case("records-edit-not-reproducing", "set.jsonl", jl(record(d_text="A green car is parked next to two dogs.")), 0,
         {1: "does not turn the positive"}),  # fmt: skip
    Case("records-text-and-image", "set.jsonl", jl(record(d_image="a.png")), 0, {1: "both a text and an image"}),
    Case("records-mixed-candidates", "set.jsonl",
         jl({**record(), "distractors": [record()["distractors"][0], {"text": None, "image": "b.png", "engine": "e", "op": "o"}]}),
         0, {1: "mix text and image"}),  # fmt: skip
    Case("records-unknown-field", "set.jsonl", jl(record(distractor=[])), 0, {1: "unknown record field"}),
    Case("records-anchor-both", "set.jsonl", jl(record(anchor={"text": "q", "image": "a.png"})), 0, {1: "anchor"}),
    Case("records-image-anchor-text-task", "set.jsonl", jl(record(anchor={"image": "a.png"})), 0, {1: "image-caption"}),
    Case("records-blank-positive", "set.jsonl", jl(record(positive=" ", distractors=[])), 0, {1: "positive"}),
    Case("records-bad-task", "set.jsonl", jl(record(task="vqa")), 0, {1: "task"}),
    Case("records-id-list", "set.jsonl", jl(record(id=[1])), 0, {1: "id must be"}),
    Case("records-duplicated-id", "set.jsonl", jl(record(), record()), 1, {2: "duplicated id 'r1'"}),
]


@pytest.fixture(params=CASES, ids=[c.id for c in CASES])
def case(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Case, Path]:
    c: Case = request.param
    (tmp_path / c.name).write_bytes(c.content)
    return c, tmp_path


def test_convert_skip_accounts_for_every_row(case: tuple[Case, Path]) -> None:
    c, folder = case
    before = snapshot(folder)
    result = run_cli("convert", c.name, "--out", "out.jsonl", "--on-error", "skip", *c.args, cwd=folder)
    if c.file_error:
        assert_clean_error(result, c.file_error)
        assert snapshot(folder) == before
        return
    assert result.code == 0, result.err
    manifest = assert_accounted(folder / "out.jsonl")
    assert manifest["counts"] == {"read": c.good + len(c.bad), "written": c.good, "rejected": len(c.bad)}
    reasons = rejected(folder / "out.jsonl")
    assert sorted(reasons) == sorted(c.bad)
    assert all(c.bad[line] in reasons[line] for line in c.bad), reasons
    after = snapshot(folder)
    assert after[c.name] == before[c.name]  # the input is untouched
    assert sorted(after) == sorted([c.name, "out.jsonl", "out.jsonl.rejects.jsonl", "out.jsonl.manifest.json"])
    for line in (folder / "out.jsonl").read_text(encoding="utf-8").splitlines():
        Record.from_json(line)  # what was written reads back


def test_convert_fail_stops_at_the_first_bad_row(case: tuple[Case, Path]) -> None:
    c, folder = case
    before = snapshot(folder)
    result = run_cli("convert", c.name, "--out", "out.jsonl", *c.args, cwd=folder)
    if c.file_error:
        assert_clean_error(result, c.file_error)
        assert snapshot(folder) == before
    elif c.bad:
        first = min(c.bad)
        assert_clean_error(result, f"{c.name}:{first}: ", c.bad[first])
        assert snapshot(folder) == before
    else:
        assert result.code == 0, result.err


def test_validate_reports_what_convert_rejects(case: tuple[Case, Path]) -> None:
    c, folder = case
    before = snapshot(folder)
    result = run_cli("validate", c.name, *c.args, cwd=folder)
    assert snapshot(folder) == before  # writes nothing
    if c.file_error:
        assert_clean_error(result, c.file_error)
        return
    assert result.code == (1 if c.bad else 0), result.err
    rows = c.good + len(c.bad)
    assert f"{rows} rows, {c.good} valid, {len(c.bad)} with problems" in result.out
    reported = [line for line in result.err.splitlines() if line.startswith(f"{c.name}:")]
    assert [int(line.split(":")[1]) for line in reported] == sorted(c.bad)
    assert "Traceback" not in result.err
