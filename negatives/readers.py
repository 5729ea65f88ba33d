"""Readers: JSONL, CSV, COCO captions, SugarCrepe JSON and our own record files, into Records.

Every reader yields, for each input row, either a :class:`Record` or a :class:`Reject` (line number,
raw content, reason). Nothing is dropped silently and nothing raises on bad rows: the caller decides
whether a reject stops the run (``--on-error fail``) or goes to a rejects file (``--on-error skip``).
Only an unreadable *file* (missing, not JSON where a JSON document is required) raises InputError.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from negatives.errors import InputError
from negatives.records import Distractor, Record, RecordError

FORMATS = ("auto", "jsonl", "csv", "coco", "sugarcrepe", "records")
DEFAULT_MAX_CHARS = 10_000
RAW_PREVIEW = 2_000  # raw content kept in a reject, so a 100 kB row does not bloat the rejects file


@dataclass(frozen=True)
class FieldMap:
    """Which input fields hold the text, the anchor context, the image path and the id."""

    text: str = "text"
    context: str | None = None
    image: str | None = None
    id: str = "id"


@dataclass(frozen=True)
class ReadOptions:
    """Everything that decides how an input file becomes records."""

    fmt: str = "auto"
    fields: FieldMap = field(default_factory=FieldMap)
    image_root: Path | None = None
    max_chars: int = DEFAULT_MAX_CHARS

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.fmt,
            "fields": vars(self.fields),
            "image_root": str(self.image_root) if self.image_root else None,
            "max_chars": self.max_chars,
        }


@dataclass(frozen=True)
class Reject:
    """An input row that could not become a record."""

    line: int
    raw: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "raw": self.raw, "reason": self.reason}


class RowError(ValueError):
    """Why one row is rejected."""


def detect_format(path: Path) -> str:
    """Guess the format from the extension and, for JSON, the document's shape."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix == ".jsonl":
        try:
            first = json.loads(_first_line(path))
        except json.JSONDecodeError:
            return "jsonl"
        return "records" if isinstance(first, dict) and "schema" in first else "jsonl"
    if suffix == ".json":
        head = path.open("rb").read(4096).decode("utf-8", "replace")
        if '"annotations"' in head or '"images"' in head:
            return "coco"
        if '"negative_caption"' in head:
            return "sugarcrepe"
        return "jsonl"
    raise InputError(f"{path}: cannot tell the format from the extension {suffix!r}; pass --format")


def _first_line(path: Path) -> str:
    with path.open("rb") as fh:
        for raw in fh:
            if raw.strip():
                return raw.decode("utf-8", "replace")
    return ""


def read_records(
    path: str | Path, options: ReadOptions | None = None, **kwargs: Any
) -> Iterator[Record | Reject]:
    """Yield a Record or a Reject for every row of ``path``, in file order.

    Pass a :class:`ReadOptions`, or its fields as keywords: ``read_records(p, fmt="coco")``.
    """
    options = options or ReadOptions(**kwargs)
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    fmt = detect_format(path) if options.fmt == "auto" else options.fmt
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    reader: Callable[[Path, ReadOptions], Iterator[Record | Reject]] = {
        "jsonl": _read_jsonl,
        "csv": _read_csv,
        "coco": _read_coco,
        "sugarcrepe": _read_sugarcrepe,
        "records": _read_record_lines,
    }[fmt]
    for item in reader(path, options):
        if isinstance(item, Record) and options.image_root is not None and item.anchor_image:
            item = _resolve_image(item, options.image_root)
        yield item


def _resolve_image(record: Record, root: Path) -> Record | Reject:
    from negatives.images import check_image

    resolved, reason = check_image(record.anchor_image or "", root)
    if reason is not None:
        return Reject(int(record.meta.get("line", 0)), record.anchor_image or "", reason)
    record.anchor["image"] = str(resolved)
    return record


# -- line-oriented formats ---------------------------------------------------------------------


def _decoded_lines(path: Path) -> Iterator[tuple[int, str, str | None]]:
    """(line number, text, problem) for each non-blank line; undecodable bytes are a problem."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                yield number, raw.decode("utf-8").rstrip("\r\n"), None
            except UnicodeDecodeError as exc:
                text = raw.decode("utf-8", "replace").rstrip("\r\n")
                yield number, text, f"undecodable bytes (not UTF-8) at byte {exc.start}"


def json_object(line: str) -> dict[str, Any]:
    """One JSONL line as a dict; a :class:`RowError` says why it is not one."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RowError(f"malformed JSON: {exc.msg} at column {exc.colno}") from exc
    if not isinstance(row, dict):
        raise RowError(f"expected a JSON object, got {type(row).__name__}")
    return row


def _read_jsonl(path: Path, options: ReadOptions) -> Iterator[Record | Reject]:
    for number, line, problem in _decoded_lines(path):
        try:
            if problem:
                raise RowError(problem)
            yield _row_to_record(json_object(line), number, options)
        except RowError as exc:
            yield Reject(number, line[:RAW_PREVIEW], str(exc))


def _read_record_lines(path: Path, options: ReadOptions) -> Iterator[Record | Reject]:
    for number, line, problem in _decoded_lines(path):
        try:
            if problem:
                raise RecordError(problem)
            yield Record.from_json(line)
        except RecordError as exc:
            yield Reject(number, line[:RAW_PREVIEW], str(exc))


def _read_csv(path: Path, options: ReadOptions) -> Iterator[Record | Reject]:
    # surrogateescape keeps undecodable bytes as lone surrogates, so one bad row is found and rejected
    text = path.read_bytes().decode("utf-8", "surrogateescape")
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    header = [h.lstrip("\ufeff").strip() for h in header]
    start = reader.line_num + 1
    for values in reader:
        number, start = start, reader.line_num + 1
        raw = delimiter.join(values)
        try:
            if any(_has_surrogates(v) for v in values):
                raise RowError("undecodable bytes (not UTF-8)")
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise RowError(f"expected {len(header)} columns, got {len(values)}")
            yield _row_to_record(dict(zip(header, values)), number, options)
        except RowError as exc:
            safe = raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            yield Reject(number, safe[:RAW_PREVIEW], str(exc))


def _has_surrogates(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def _text_field(row: dict[str, Any], name: str, options: ReadOptions, required: bool = True) -> str | None:
    if name not in row or row[name] is None:
        if required:
            raise RowError(f"missing field {name!r}")
        return None
    value = row[name]
    if not isinstance(value, str):
        raise RowError(f"field {name!r} must be a string, got {type(value).__name__}")
    if not value.strip():
        raise RowError(f"field {name!r} is empty")
    if len(value) > options.max_chars:
        raise RowError(f"field {name!r} is too long ({len(value)} characters > --max-chars {options.max_chars})")
    return value


def _row_to_record(row: dict[str, Any], number: int, options: ReadOptions) -> Record:
    f = options.fields
    text = _text_field(row, f.text, options)
    context = _text_field(row, f.context, options) if f.context else None
    image = _text_field(row, f.image, options) if f.image else None
    raw_id = row.get(f.id)
    if raw_id is not None and not isinstance(raw_id, (str, int)):
        raise RowError(f"field {f.id!r} must be a string or an integer, got {type(raw_id).__name__}")
    anchor = {"image": image} if image else ({"text": context} if context else {})
    return Record(
        id=str(raw_id) if raw_id is not None and str(raw_id).strip() else f"line-{number}",
        task="image-caption" if image else "text",
        anchor=anchor,  # type: ignore[arg-type]
        positive=text or "",
        meta={"line": number},
    )


# -- whole-document formats ---------------------------------------------------------------------


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: undecodable bytes (not UTF-8) at byte {exc.start}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: malformed JSON: {exc.msg}") from exc


def _read_coco(path: Path, options: ReadOptions) -> Iterator[Record | Reject]:
    """One record per caption; the other captions of its image go to ``meta.siblings``.

    COCO is one JSON document, so a reject's ``line`` is the 1-based index in ``annotations``.
    """
    doc = _load_json(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("annotations"), list):
        raise InputError(f"{path}: not a COCO captions file (no 'annotations' list)")
    files = {img.get("id"): img.get("file_name") for img in doc.get("images", []) if isinstance(img, dict)}
    valid: list[tuple[int, dict[str, Any]]] = []
    by_image: dict[Any, list[tuple[int, str]]] = defaultdict(list)
    rejects: dict[int, Reject] = {}
    for index, ann in enumerate(doc["annotations"], start=1):
        try:
            if not isinstance(ann, dict):
                raise RowError(f"annotation must be an object, got {type(ann).__name__}")
            caption = _text_field(ann, "caption", options)
            if "image_id" not in ann:
                raise RowError("missing field 'image_id'")
            valid.append((index, ann))
            by_image[ann["image_id"]].append((index, caption or ""))
        except RowError as exc:
            rejects[index] = Reject(index, json.dumps(ann, ensure_ascii=False)[:RAW_PREVIEW], str(exc))
    records: dict[int, Record] = {}
    for index, ann in valid:
        image_id = ann["image_id"]
        siblings = [c for i, c in by_image[image_id] if i != index]
        file_name = files.get(image_id) or f"{int(image_id):012d}.jpg"
        records[index] = Record(
            id=str(ann.get("id", f"ann-{index}")),
            task="image-caption",
            anchor={"image": file_name},
            positive=ann["caption"],
            meta={"line": index, "image_id": image_id, "siblings": siblings},
        )
    for index in range(1, len(doc["annotations"]) + 1):
        yield records[index] if index in records else rejects[index]


def _read_sugarcrepe(path: Path, options: ReadOptions) -> Iterator[Record | Reject]:
    """SugarCrepe JSON: ``{key: {filename, caption, negative_caption}}``; the negative is imported.

    The category (file stem, e.g. ``swap_att``) becomes the distractor's ``op``; a reject's ``line``
    is the 1-based position of the key in the file.
    """
    doc = _load_json(path)
    if not isinstance(doc, dict):
        raise InputError(f"{path}: not a SugarCrepe file (expected an object keyed by id)")
    category = path.stem
    for index, (key, item) in enumerate(doc.items(), start=1):
        try:
            if not isinstance(item, dict):
                raise RowError(f"item must be an object, got {type(item).__name__}")
            caption = _text_field(item, "caption", options)
            negative = _text_field(item, "negative_caption", options)
            filename = _text_field(item, "filename", options)
            yield Record(
                id=f"{category}-{key}",
                task="image-caption",
                anchor={"image": filename or ""},
                positive=caption or "",
                distractors=[Distractor(text=negative, engine="imported", op=category)],
                meta={"line": index, "source": "sugarcrepe", "category": category, "key": key},
            )
        except RowError as exc:
            yield Reject(index, json.dumps({key: item}, ensure_ascii=False)[:RAW_PREVIEW], str(exc))
