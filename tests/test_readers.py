"""Readers: each format on small files written here, and every bad-input case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from negatives.errors import InputError
from negatives.readers import FieldMap, ReadOptions, Reject, detect_format, read_records
from negatives.records import Record


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def items(path: Path, **kw) -> list[Record | Reject]:
    return list(read_records(path, **kw))


def test_jsonl_with_configurable_fields(tmp_path):
    p = write(
        tmp_path / "in.jsonl",
        json.dumps({"qid": 7, "answer": "Paris is in France.", "passage": "Paris is the capital of France."}) + "\n",
    )
    fields = FieldMap(text="answer", context="passage", id="qid")
    [rec] = items(p, fields=fields)
    assert isinstance(rec, Record)
    assert (rec.id, rec.task, rec.positive) == ("7", "text", "Paris is in France.")
    assert rec.anchor == {"text": "Paris is the capital of France."}


def test_jsonl_image_field_makes_image_caption_task(tmp_path):
    p = write(tmp_path / "in.jsonl", json.dumps({"caption": "a cat", "img": "a/b.png"}) + "\n")
    [rec] = items(p, fields=FieldMap(text="caption", image="img"))
    assert rec.task == "image-caption" and rec.anchor == {"image": "a/b.png"}


def test_csv_reader_with_quoted_multiline_field(tmp_path):
    p = write(tmp_path / "in.csv", 'id,text\n1,"a dog, running"\n2,"two\nlines"\n3,a cat\n')
    recs = items(p)
    assert [r.positive for r in recs] == ["a dog, running", "two\nlines", "a cat"]
    assert [r.meta["line"] for r in recs] == [2, 3, 5]


def test_coco_reader_siblings(tmp_path):
    doc = {
        "images": [{"id": 1, "file_name": "one.jpg"}, {"id": 2, "file_name": "two.jpg"}],
        "annotations": [
            {"id": 10, "image_id": 1, "caption": "a dog on grass"},
            {"id": 11, "image_id": 1, "caption": "a brown dog outside"},
            {"id": 12, "image_id": 2, "caption": "a red bus"},
            {"id": 13, "image_id": 1, "caption": "   "},
        ],
    }
    p = write(tmp_path / "captions.json", json.dumps(doc))
    assert detect_format(p) == "coco"
    out = items(p)
    assert [type(x).__name__ for x in out] == ["Record", "Record", "Record", "Reject"]
    first = out[0]
    assert first.anchor == {"image": "one.jpg"} and first.meta["image_id"] == 1
    assert first.siblings == ["a brown dog outside"]
    assert out[2].siblings == []
    assert out[3].line == 4 and "empty" in out[3].reason


def test_sugarcrepe_reader_imports_negative(tmp_path):
    doc = {
        "0": {"filename": "x.jpg", "caption": "a red car ", "negative_caption": "a blue car "},
        "2": {"filename": "y.jpg", "caption": "a dog", "negative_caption": 5},
    }
    p = write(tmp_path / "swap_att.json", json.dumps(doc))
    assert detect_format(p) == "sugarcrepe"
    rec, bad = items(p)
    assert rec.positive == "a red car " and rec.id == "swap_att-0"
    [d] = rec.distractors
    assert (d.text, d.engine, d.op) == ("a blue car ", "imported", "swap_att")
    assert isinstance(bad, Reject) and bad.line == 2 and "must be a string" in bad.reason


def test_records_format_round_trips(tmp_path):
    rec = Record(id="a", task="text", anchor={"text": "ctx"}, positive="p", meta={"k": [1, 2]})
    p = write(tmp_path / "set.jsonl", rec.to_json() + "\n")
    assert detect_format(p) == "records"
    [back] = items(p)
    assert back == rec


BAD_ROWS = [
    (b'{"text": "fine"}\n{"text": "broken\n', "malformed JSON"),
    (b'{"text": "fine"}\n{"other": "x"}\n', "missing field 'text'"),
    (b'{"text": "fine"}\n{"text": "   "}\n', "is empty"),
    (b'{"text": "fine"}\n{"text": 42}\n', "must be a string"),
    (b'{"text": "fine"}\n{"text": "caf\xe9"}\n', "undecodable"),
    (b'{"text": "fine"}\n' + json.dumps({"text": "x" * 100_000}).encode() + b"\n", "too long"),
    (b'{"text": "fine"}\n[1, 2]\n', "expected a JSON object"),
]


@pytest.mark.parametrize("content,reason", BAD_ROWS)
def test_bad_rows_become_rejects_with_line_numbers(tmp_path, content, reason):
    p = write(tmp_path / "in.jsonl", content)
    good, bad = items(p)
    assert isinstance(good, Record) and good.positive == "fine"
    assert isinstance(bad, Reject) and bad.line == 2 and reason in bad.reason
    assert len(bad.raw) <= 2_000


def test_csv_bad_rows(tmp_path):
    p = write(tmp_path / "in.csv", b"id,text\n1,ok\n2,\n3,caf\xe9\n4,a,extra\n")
    out = items(p)
    assert isinstance(out[0], Record)
    assert [(r.line, r.reason.split(" ")[0]) for r in out[1:]] == [(3, "field"), (4, "undecodable"), (5, "expected")]


def test_unknown_extension_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="--format"):
        items(write(tmp_path / "in.txt", "x"))
    with pytest.raises(InputError, match="no such file"):
        items(tmp_path / "nope.jsonl")


def test_unreadable_json_document(tmp_path):
    p = write(tmp_path / "captions.json", '{"annotations": [')
    with pytest.raises(InputError, match=r"captions.json:1: malformed JSON"):
        items(p, fmt="coco")


def test_max_chars_is_configurable(tmp_path):
    p = write(tmp_path / "in.jsonl", json.dumps({"text": "abcdef"}) + "\n")
    [r] = items(p, options=None, max_chars=3)
    assert isinstance(r, Reject) and "--max-chars 3" in r.reason
    [ok] = list(read_records(p, ReadOptions(max_chars=10)))
    assert isinstance(ok, Record)


@pytest.mark.shared_data
def test_real_coco_file(shared_data):
    out = list(read_records(shared_data / "coco" / "captions_val2017.json"))
    assert len(out) == 25_014 and all(isinstance(r, Record) for r in out)
    assert all(len(r.siblings) >= 4 for r in out)


@pytest.mark.shared_data
def test_real_sugarcrepe_keeps_every_negative(shared_data):
    out = list(read_records(shared_data / "sugarcrepe" / "swap_att.json"))
    assert sum(len(r.distractors) for r in out) == 666
