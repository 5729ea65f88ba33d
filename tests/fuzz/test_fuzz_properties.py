"""Property-based fuzzing (Hypothesis): random bytes and random records fed to every reader and to
`convert`/`validate` never raise anything but a clear InputError for a broken file; every row becomes
a record or a reject, what is written reads back, and the counts add up."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from harness import assert_accounted, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negatives.errors import InputError
from negatives.readers import Reject, read_records
from negatives.records import Record

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FORMATS = {"jsonl": "in.jsonl", "records": "set.jsonl", "csv": "in.csv", "coco": "captions.json", "sugarcrepe": "swap_att.json"}

# bytes that are likely to hit the readers' corners: JSON syntax, quotes, BOM, NUL, bad UTF-8, surrogate escapes
ATOMS = [b"{", b"}", b"[", b"]", b'"', b",", b":", b"\n", b"\r\n", b"\\", b"\\ud800", b"\x00", b"\xef\xbb\xbf", b"\xe9",
         b'"text"', b'"id"', b'"schema"', b'"negatives/1"', b"NaN", b"1e999", b"9" * 50, b"a dog", b" ", b"true", b"null"]  # fmt: skip
noise = st.lists(st.sampled_from(ATOMS) | st.binary(max_size=8), max_size=60).map(b"".join)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
KEYS = ["schema", "id", "task", "anchor", "positive", "distractors", "meta", "text", "engine", "op", "edit", "difficulty",
        "level", "checks", "image", "span", "old", "new", "siblings", "caption", "image_id"]  # fmt: skip
objects = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), json_values | st.sampled_from(
    ["text", "image-caption", "negatives/1", "A dog.", {"text": "q"}, [0, 2], [{"text": "x", "engine": "e", "op": "o"}]]
), max_size=8)  # fmt: skip


@st.composite
def mutated_records(draw: st.DrawFn) -> dict:
    """A valid record with one field (of the record, its distractor or its edit) replaced or removed."""
    edit = {"span": [2, 5], "old": "red", "new": "blue"}
    d = {"text": "A blue car.", "engine": "binding", "op": "replace", "edit": edit, "difficulty": 0.5, "level": 3, "checks": {}}
    rec = {"schema": "negatives/1", "id": draw(st.sampled_from(["r1", "r2", 7])), "task": "text", "anchor": {},
           "positive": "A red car.", "distractors": [d], "meta": {"siblings": ["A car."]}}  # fmt: skip
    where = draw(st.sampled_from([rec, d, edit, rec["meta"]]))
    key = draw(st.sampled_from(sorted(where) + ["extra"]))
    if draw(st.booleans()):
        where.pop(key, None)
    else:
        where[key] = draw(json_values | st.sampled_from([None, "", " ", -1, 0, 1, 2.5, 101, [5, 2], [0, 99], "x" * 300]))
    return rec


json_lines = st.lists((objects | mutated_records()).map(lambda o: json.dumps(o).encode()) | noise, max_size=8).map(b"\n".join)


def _rows_of_lines(content: bytes) -> int:
    lines = content.split(b"\n")
    lines[0] = lines[0].removeprefix(b"\xef\xbb\xbf")
    return sum(1 for line in lines if line.strip())


def _read(content: bytes, fmt: str) -> list[Record | Reject] | None:
    """Every item read from ``content`` as ``fmt``; None when the file as a whole is refused."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / FORMATS[fmt]
        path.write_bytes(content)
        try:
            return list(read_records(path, fmt=fmt))
        except InputError:
            return None


def _check_items(items: list[Record | Reject]) -> None:
    for item in items:
        if isinstance(item, Record):
            line = item.to_json()
            line.encode("utf-8")  # writable: no lone surrogate
            assert Record.from_json(line) == item  # what any reader yields is a valid record of our format
        else:
            json.dumps(item.to_dict(), ensure_ascii=False).encode("utf-8")
            assert item.reason


@SETTINGS
@given(content=noise | json_lines, fmt=st.sampled_from(sorted(FORMATS)))
def test_every_reader_takes_any_bytes(content: bytes, fmt: str) -> None:
    items = _read(content, fmt)
    if items is None:
        assert fmt in ("coco", "sugarcrepe", "csv"), "only whole documents and CSV headers fail as a file"
        return
    _check_items(items)
    if fmt in ("jsonl", "records"):
        assert len(items) == _rows_of_lines(content)


@SETTINGS
@given(content=json_lines)
def test_random_records_are_records_or_rejects(content: bytes) -> None:
    for fmt in ("records", "jsonl"):
        items = _read(content, fmt)
        assert items is not None
        _check_items(items)
        assert len(items) == _rows_of_lines(content)
        ids = [r.id for r in items if isinstance(r, Record)]
        assert len(ids) == len(set(ids))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=noise | json_lines, fmt=st.sampled_from(sorted(FORMATS)))
def test_convert_and_validate_agree_and_account_for_every_row(content: bytes, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / FORMATS[fmt]).write_bytes(content)
        converted = run_cli("convert", FORMATS[fmt], "--format", fmt, "--out", "o.jsonl", "--on-error", "skip", cwd=folder)
        validated = run_cli("validate", FORMATS[fmt], "--format", fmt, cwd=folder)
        assert (folder / FORMATS[fmt]).read_bytes() == content
        if converted.code == 2:
            assert converted.message.startswith("error: ") and validated.code == 2
            assert sorted(p.name for p in folder.iterdir()) == [FORMATS[fmt]]
            return
        assert converted.code == 0, converted.err
        counts = assert_accounted(folder / "o.jsonl")["counts"]
        assert validated.code == (1 if counts["rejected"] else 0)
        assert f"{counts['read']} rows, {counts['written']} valid, {counts['rejected']} with problems" in validated.out
