"""Readers: JSONL, CSV, COCO captions, SugarCrepe JSON and our own record files, into Records.

Every reader yields, for each input row, either a :class:`Record` or a :class:`Reject` (line number,
raw content, reason). Nothing is dropped silently and nothing raises on bad rows: the caller decides
whether a reject stops the run (``--on-error fail``) or goes to a rejects file (``--on-error skip``).
Only an unreadable *file* (missing, not JSON where a JSON document is required) raises InputError.

Work per row is bounded before anything parses it: a row of a line format is read only up to
:attr:`ReadOptions.max_row_bytes` (longer rows are skipped unread and rejected), JSON may nest at most
:data:`MAX_DEPTH` levels, an id holds at most :data:`MAX_ID_CHARS` characters, and every text at most
``--max-chars`` characters and ``--max-tokens`` tokens (words and punctuation marks, counted without a
parser), so no row can make an engine or a scorer blow up.

``--limit N`` reads only the first N rows; ``--sample N`` reads N rows drawn at random (seeded),
in file order, counting the rows in a first pass. A drawn bad row is still a reject.

An input may be a folder of shards (:func:`input_files`): its files in name order, read as one input
whose ids are unique across them; each record's ``meta.file`` and each reject's ``file`` name its
shard, ``line`` the line (or row) in it, and a row without an id gets ``<shard>:line-N``.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import json
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, NamedTuple

from negatives import strict_json
from negatives.errors import InputError
from negatives.records import Distractor, Record, RecordError

FORMATS = ("auto", "jsonl", "csv", "coco", "sugarcrepe", "records", "parquet")
DEFAULT_MAX_CHARS = 10_000
DEFAULT_MAX_TOKENS = 512
ROW_BYTES_PER_CHAR = 100  # a row (all its fields, JSON syntax included) may hold 100 x --max-chars bytes
MAX_DEPTH = strict_json.MAX_DEPTH  # JSON nesting levels in one row
MAX_ID_CHARS = 256
RAW_PREVIEW = 2_000  # raw content kept in a reject, so a 100 kB row does not bloat the rejects file
TOKEN = re.compile(r"\w+|[^\w\s]")


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
    max_tokens: int = DEFAULT_MAX_TOKENS
    limit: int | None = None  # read the first N rows only
    sample: int | None = None  # read N rows drawn at random with ``seed``
    seed: int = 0
    shard: str | None = None  # the shard of a folder being read (set by the reader, not an option)

    @property
    def max_row_bytes(self) -> int:
        return ROW_BYTES_PER_CHAR * self.max_chars

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.fmt,
            "fields": vars(self.fields),
            "image_root": str(self.image_root) if self.image_root else None,
            "max_chars": self.max_chars,
            "max_tokens": self.max_tokens,
            **({"limit": self.limit} if self.limit is not None else {}),
            **({"sample": self.sample, "seed": self.seed} if self.sample is not None else {}),
        }


@dataclass(frozen=True)
class Reject:
    """An input row that could not become a record (``file``: its shard, in a folder of shards)."""

    line: int
    raw: str
    reason: str
    file: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with any lone surrogate of the raw content written as its escape."""
        where = {"file": self.file} if self.file is not None else {}
        return {**where, "line": self.line, "raw": _writable(self.raw), "reason": _writable(self.reason)}

    def where(self, input_path: str | Path) -> str:
        """``file:line``: the shard in the folder ``input_path``, or the file ``input_path`` itself."""
        return f"{Path(input_path) / self.file if self.file is not None else input_path}:{self.line}"


def _writable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class RowError(ValueError):
    """Why one row is rejected."""


class Row(NamedTuple):
    """A record as a format reader built it, before the checks every format shares."""

    line: int
    raw: str
    record: Record


Reader = Callable[[Path, "ReadOptions"], Iterator["Row | Reject"]]


def detect_format(path: Path) -> str:
    """Guess the format from the extension and, for JSON, the document's shape."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix == ".parquet":
        return "parquet"
    if suffix == ".jsonl":
        return "records" if _RECORDS_START.match(_first_line(path)) else "jsonl"
    if suffix == ".json":
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
        if '"annotations"' in head or '"images"' in head:
            return "coco"
        if '"negative_caption"' in head:
            return "sugarcrepe"
        return "jsonl"
    raise InputError(f"{path}: cannot tell the format from the extension {suffix!r}; pass --format")


_RECORDS_START = re.compile(r'\s*\{\s*"schema"\s*:')


def _first_line(path: Path) -> str:
    """The start (at most 64 kB) of the first non-blank line, without a byte-order mark."""
    with path.open("rb") as fh:
        for number, raw in enumerate(iter(lambda: fh.readline(1 << 16), b""), start=1):
            raw = raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw
            if raw.strip():
                return raw.decode("utf-8", "replace")
    return ""


def read_records(
    path: str | Path, options: ReadOptions | None = None, **kwargs: Any
) -> Iterator[Record | Reject]:
    """Yield a Record or a Reject for every row of ``path``, in file order.

    Pass a :class:`ReadOptions`, or its fields as keywords: ``read_records(p, fmt="coco")``.
    Every format's rows pass the same checks: text limits, the id's length, ids unique in the file
    (a later duplicate is rejected, naming the first), images inside ``image_root`` when given.
    """
    options = options or ReadOptions(**kwargs)
    path = Path(path)
    files = input_files(path)
    try:
        rows: Iterator[Record | Reject] = _all_rows(path, files, options)
        if options.sample is not None:
            count = sum(1 for _ in _all_rows(path, files, options))
            drawn = set(random.Random(f"sample\x1f{options.seed}").sample(range(count), min(options.sample, count)))
            rows = (row for index, row in enumerate(rows) if index in drawn)
        yield from itertools.islice(rows, options.limit)
    except OSError as exc:
        raise InputError(f"{exc.filename or path}: cannot be read: {exc.strerror or exc}") from exc


def input_files(path: Path) -> list[Path]:
    """The files an input reads: the file ``path``, or the shards of the folder ``path``: its files in
    name order, except hidden ones and those whose name starts with ``_`` (``_SUCCESS``)."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InputError(f"{path}: not a regular file; pass the path of a file or of a folder of shards")
    files = sorted((p for p in path.iterdir() if not p.name.startswith((".", "_"))), key=lambda p: p.name)
    folders = [p.name for p in files if not p.is_file()]
    if folders:
        raise InputError(f"{path}: a folder of shards holds files only, not {folders[0]!r}; move it out")
    if not files:
        raise InputError(f"{path}: an empty folder; pass a file or a folder of shards")
    return files


def _all_rows(path: Path, files: list[Path], options: ReadOptions) -> Iterator[Record | Reject]:
    """The rows of every file of the input ``path``, ids unique across them."""
    first: dict[str, str] = {}
    for file in files:
        shard = options if file == path else replace(options, shard=file.name)
        yield from _checked_rows(file, shard, first)


def _checked_rows(path: Path, options: ReadOptions, first: dict[str, str]) -> Iterator[Record | Reject]:
    fmt = detect_format(path) if options.fmt == "auto" else options.fmt
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    reader: Reader = {
        "jsonl": _read_jsonl,
        "csv": _read_csv,
        "coco": _read_coco,
        "sugarcrepe": _read_sugarcrepe,
        "records": _read_record_lines,
        "parquet": _read_parquet,
    }[fmt]
    for item in reader(path, options):
        if isinstance(item, Reject):
            yield replace(item, file=options.shard)
            continue
        try:
            _check_row(item.record, options)
            if item.record.id in first:
                raise RowError(f"duplicated id {item.record.id!r} (first at {first[item.record.id]})")
        except RowError as exc:
            yield Reject(item.line, item.raw, str(exc), options.shard)
            continue
        first[item.record.id] = f"{options.shard} line {item.line}" if options.shard else f"line {item.line}"
        if options.shard:
            item.record.meta["file"] = options.shard
        yield item.record


def _check_row(record: Record, options: ReadOptions) -> None:
    """Raise :class:`RowError` for a record over the limits; resolve its images in the image root."""
    if len(record.id) > MAX_ID_CHARS:
        raise RowError(f"id is too long ({len(record.id)} characters > {MAX_ID_CHARS})")
    texts = [("positive", record.positive), ("anchor text", record.anchor_text)]
    texts += [(f"distractor {i + 1}", d.text) for i, d in enumerate(record.distractors)]
    texts += [(f"sibling {i + 1}", t) for i, t in enumerate(record.siblings)]
    for part, text in texts:
        if text is not None:
            _check_text(part, text, options)
    if options.image_root is not None:
        _resolve_images(record, options.image_root)


def _check_text(part: str, text: str, options: ReadOptions) -> None:
    """Raise :class:`RowError` when ``text`` is over ``--max-chars`` or ``--max-tokens``."""
    if len(text) > options.max_chars:
        raise RowError(f"{part} is too long ({len(text)} characters > --max-chars {options.max_chars})")
    if len(text) > options.max_tokens:  # fewer characters cannot make more tokens
        tokens = sum(1 for _ in TOKEN.finditer(text))
        if tokens > options.max_tokens:
            raise RowError(f"{part} is too long ({tokens} tokens > --max-tokens {options.max_tokens})")


def _resolve_images(record: Record, root: Path) -> None:
    """Anchor image, image candidates (and then the positive, an image too) checked inside ``root``."""
    from negatives.images import check_image

    def resolved(path: str) -> str:
        found, reason = check_image(path, root)
        if reason is not None:
            raise RowError(reason)
        return str(found)

    if record.anchor_image is not None:
        record.anchor["image"] = resolved(record.anchor_image)
    candidates = [d for d in record.distractors if d.image is not None]
    for d in candidates:
        d.image = resolved(d.image or "")
    if candidates:
        record.positive = resolved(record.positive)


# -- line-oriented formats ---------------------------------------------------------------------


def _decoded_lines(path: Path, limit: int) -> Iterator[tuple[int, str, str | None]]:
    """(line number, text, problem) for each non-blank line; a line over ``limit`` bytes is a
    problem read past without being kept, and so are undecodable bytes."""
    with path.open("rb") as fh:
        for number, raw in enumerate(_bounded_lines(fh, limit), start=1):
            if raw is None:
                yield number, "", f"row too long (over {limit} bytes: a row may hold {ROW_BYTES_PER_CHAR} x --max-chars)"
                continue
            raw = raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw
            if not raw.strip():
                continue
            try:
                yield number, raw.decode("utf-8").rstrip("\r\n"), None
            except UnicodeDecodeError as exc:
                text = raw.decode("utf-8", "replace").rstrip("\r\n")
                yield number, text, f"undecodable bytes (not UTF-8) at byte {exc.start}"


def _bounded_lines(fh: IO[bytes], limit: int) -> Iterator[bytes | None]:
    """Each line of ``fh``, or None for a line longer than ``limit`` bytes (read past, never held)."""
    while raw := fh.readline(limit + 1):
        if len(raw) <= limit or raw.endswith(b"\n"):
            yield raw
            continue
        while raw and not raw.endswith(b"\n"):
            raw = fh.readline(1 << 20)
        yield None


def json_object(line: str) -> dict[str, Any]:
    """One JSONL line as a dict; a :class:`RowError` says why it is not one."""
    try:
        row = strict_json.loads(line)
    except strict_json.JsonError as exc:
        raise RowError(str(exc)) from exc
    if not isinstance(row, dict):
        raise RowError(f"expected a JSON object, got {type(row).__name__}")
    return row


def _read_jsonl(path: Path, options: ReadOptions) -> Iterator[Row | Reject]:
    for number, line, problem in _decoded_lines(path, options.max_row_bytes):
        try:
            if problem:
                raise RowError(problem)
            yield Row(number, line[:RAW_PREVIEW], _row_to_record(json_object(line), number, options))
        except RowError as exc:
            yield Reject(number, line[:RAW_PREVIEW], str(exc))


def _read_record_lines(path: Path, options: ReadOptions) -> Iterator[Row | Reject]:
    for number, line, problem in _decoded_lines(path, options.max_row_bytes):
        try:
            if problem:
                raise RecordError(problem)
            yield Row(number, line[:RAW_PREVIEW], Record.from_json(line))
        except RecordError as exc:
            yield Reject(number, line[:RAW_PREVIEW], str(exc))


class _CsvLines:
    """The physical lines of a CSV file for :mod:`csv`, counted, each at most ``limit`` characters."""

    def __init__(self, fh: IO[str], limit: int) -> None:
        self.fh, self.limit, self.count = fh, limit, 0

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        line = self.fh.readline(self.limit + 1)
        if not line:
            raise StopIteration
        self.count += 1
        if len(line) > self.limit and not line.endswith("\n"):
            while line and not line.endswith("\n"):
                line = self.fh.readline(1 << 20)
            raise RowError(f"row too long (over {self.limit} characters: a row may hold {ROW_BYTES_PER_CHAR} x --max-chars)")
        return line


def _read_csv(path: Path, options: ReadOptions) -> Iterator[Row | Reject]:
    # surrogateescape keeps undecodable bytes as lone surrogates, so one bad row is found and rejected
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    limit = csv.field_size_limit(options.max_row_bytes)
    try:
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
            lines = _CsvLines(fh, options.max_row_bytes)
            reader = csv.reader(lines, delimiter=delimiter, strict=True)
            header = _csv_header(path, reader)
            while True:
                start = lines.count + 1
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except RowError as exc:
                    yield Reject(start, "", str(exc))
                    continue
                except csv.Error as exc:
                    where = "a quote never closes before the end of the file" if "end of data" in str(exc) else str(exc)
                    yield Reject(start, "", f"malformed CSV: {where}")
                    continue
                yield _csv_row(header, values, start, options)
    finally:
        csv.field_size_limit(limit)


def _csv_header(path: Path, reader: Iterator[list[str]]) -> list[str]:
    try:
        header = [h.strip() for h in next(reader, [])]
    except (csv.Error, RowError) as exc:
        raise InputError(f"{path}:1: unreadable CSV header: {exc}") from exc
    if any(_has_surrogates(h) for h in header):
        raise InputError(f"{path}:1: undecodable bytes (not UTF-8) in the header")
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise InputError(f"{path}:1: the header names the column(s) {twice} more than once; rename them")
    return header


def _csv_row(header: list[str], values: list[str], number: int, options: ReadOptions) -> Row | Reject:
    raw = ",".join(values).encode("utf-8", "surrogateescape").decode("utf-8", "replace")[:RAW_PREVIEW]
    try:
        if any(_has_surrogates(v) for v in values):
            raise RowError("undecodable bytes (not UTF-8)")
        if len(values) != len(header):
            raise RowError(f"expected {len(header)} columns, got {len(values)}")
        return Row(number, raw, _row_to_record(dict(zip(header, values)), number, options))
    except RowError as exc:
        return Reject(number, raw, str(exc))


def _has_surrogates(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


SHOWN_FIELDS = 12


def _text_field(row: dict[str, Any], name: str, option: str | None = None) -> str:
    """The string in field ``name``; when it is missing, the error lists the row's fields and names
    ``option``, the command-line option that picks another field."""
    if name not in row or row[name] is None:
        fields = ", ".join(repr(k) for k in list(row)[:SHOWN_FIELDS]) + (", ..." if len(row) > SHOWN_FIELDS else "")
        fix = f"; pass {option} with one of them" if option and row else ""
        raise RowError(f"missing field {name!r} (the row has {fields or 'no fields'}){fix}")
    value = row[name]
    if not isinstance(value, str):
        raise RowError(f"field {name!r} must be a string, got {type(value).__name__}")
    if not value.strip():
        raise RowError(f"field {name!r} is empty")
    return value


def _row_to_record(row: dict[str, Any], number: int, options: ReadOptions) -> Record:
    f = options.fields
    text = _text_field(row, f.text, "--text-field")
    context = _text_field(row, f.context, "--context-field") if f.context else None
    image = _text_field(row, f.image, "--image-field") if f.image else None
    return Record(
        id=_id(row.get(f.id), f.id) or _made_up_id(f"line-{number}", options),
        task="image-caption" if image else "text",
        anchor={"image": image} if image else ({"text": context} if context else {}),
        positive=text or "",
        meta={"line": number},
    )


def _made_up_id(name: str, options: ReadOptions) -> str:
    """The id of a row without one: ``name``, after its shard's name in a folder of shards."""
    return f"{options.shard}:{name}" if options.shard else name


def _id(value: Any, name: str) -> str | None:
    """An id field as a string (None when absent or blank); only strings and integers are ids."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise RowError(f"field {name!r} must be a string or an integer, got {type(value).__name__}")
    text = str(value).strip() if isinstance(value, str) else str(value)
    return text or None


# -- whole-document formats ---------------------------------------------------------------------


def _load_json(path: Path, fmt: str) -> Any:
    """The ``fmt`` document; its rows are checked one by one (:func:`_row_problem`) so one bad row is
    one reject. A JSON-lines file is refused with the ``--format`` that reads it."""
    try:
        return strict_json.loads(path.read_bytes().decode("utf-8-sig"), check=False)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: undecodable bytes (not UTF-8) at byte {exc.start}") from exc
    except strict_json.JsonError as exc:
        first = _first_line(path)
        if _is_json_object(first):
            right = "records" if _RECORDS_START.match(first) else "jsonl"
            raise InputError(
                f"{path} holds one JSON object per line, not one {fmt} document; pass --format {right} (or auto)"
            ) from exc
        raise InputError(f"{path}:{exc.line}: {exc}" if exc.line else f"{path}: {exc}") from exc


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _no_duplicate_keys(path: Path, doc: dict[str, Any]) -> None:
    key = strict_json.duplicated_key(doc)
    if key is not None:
        raise InputError(f"{path}: the key {key!r} appears twice at the top level, so one of its values would be lost")


def _row_problem(value: Any) -> None:
    reason = strict_json.problem(value, MAX_DEPTH)
    if reason:
        raise RowError(reason)


def _preview(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)[:RAW_PREVIEW]
    except (TypeError, ValueError, RecursionError):
        return repr(value)[:RAW_PREVIEW]


def _coco_images(path: Path, doc: dict[str, Any]) -> dict[int, str]:
    """Image id -> file name; a document whose ``images`` cannot be read is an InputError."""
    images = doc.get("images", [])
    if not isinstance(images, list):
        raise InputError(f"{path}: 'images' must be a list of {{'id', 'file_name'}} objects, got {type(images).__name__}")
    files: dict[int, str] = {}
    for index, img in enumerate(images, start=1):
        ok = isinstance(img, dict) and _is_int(img.get("id")) and isinstance(img.get("file_name"), str)
        if not ok or strict_json.problem(img) or not img["file_name"].strip():
            raise InputError(f"{path}: images[{index}] must be an object with an integer 'id' and a 'file_name'")
        if img["id"] in files:
            raise InputError(f"{path}: image id {img['id']} appears twice in 'images'")
        files[img["id"]] = img["file_name"]
    return files


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _read_coco(path: Path, options: ReadOptions) -> Iterator[Row | Reject]:
    """One record per caption; the other captions of its image go to ``meta.siblings``.

    COCO is one JSON document, so a reject's ``line`` is the 1-based index in ``annotations``.
    Each ``image_id`` must name an entry of ``images`` (when the file has none, file names
    follow COCO's ``<12-digit id>.jpg``).
    """
    doc = _load_json(path, "coco")
    if not isinstance(doc, dict) or not isinstance(doc.get("annotations"), list):
        raise InputError(f"{path}: not a COCO captions file (no 'annotations' list)")
    _no_duplicate_keys(path, doc)
    files = _coco_images(path, doc)
    valid: list[tuple[int, dict[str, Any], str]] = []
    by_image: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rejects: dict[int, Reject] = {}
    for index, ann in enumerate(doc["annotations"], start=1):
        try:
            if not isinstance(ann, dict):
                raise RowError(f"annotation must be an object, got {type(ann).__name__}")
            _row_problem(ann)
            caption = _text_field(ann, "caption")
            image_id = ann.get("image_id")
            if not _is_int(image_id) or image_id < 0:
                raise RowError(f"'image_id' must be a non-negative integer, got {_preview(image_id)}")
            if files and image_id not in files:
                raise RowError(f"image_id {image_id} is not in 'images'")
            valid.append((index, ann, _id(ann.get("id"), "id") or _made_up_id(f"ann-{index}", options)))
            by_image[image_id].append((index, caption or ""))
        except RowError as exc:
            rejects[index] = Reject(index, _preview(ann), str(exc))
    rows: dict[int, Row] = {}
    for index, ann, ann_id in valid:
        image_id = ann["image_id"]
        siblings = [c for i, c in by_image[image_id] if i != index]
        record = Record(
            id=ann_id,
            task="image-caption",
            anchor={"image": files.get(image_id) or f"{image_id:012d}.jpg"},
            positive=ann["caption"],
            meta={"line": index, "image_id": image_id, "siblings": siblings},
        )
        rows[index] = Row(index, _preview(ann), record)
    for index in range(1, len(doc["annotations"]) + 1):
        yield rows[index] if index in rows else rejects[index]


def _read_sugarcrepe(path: Path, options: ReadOptions) -> Iterator[Row | Reject]:
    """SugarCrepe JSON: ``{key: {filename, caption, negative_caption}}``; the negative is imported.

    The category (file stem, e.g. ``swap_att``) becomes the distractor's ``op``; a reject's ``line``
    is the 1-based position of the key in the file.
    """
    doc = _load_json(path, "sugarcrepe")
    if not isinstance(doc, dict):
        raise InputError(f"{path}: not a SugarCrepe file (expected an object keyed by id)")
    _no_duplicate_keys(path, doc)
    category = path.stem
    for index, (key, item) in enumerate(doc.items(), start=1):
        raw = _preview({key: item})
        try:
            if not isinstance(item, dict):
                raise RowError(f"item must be an object, got {type(item).__name__}")
            _row_problem({key: item})
            caption = _text_field(item, "caption")
            negative = _text_field(item, "negative_caption")
            filename = _text_field(item, "filename")
            record = Record(
                id=f"{category}-{key}",
                task="image-caption",
                anchor={"image": filename or ""},
                positive=caption or "",
                distractors=[Distractor(text=negative, engine="imported", op=category)],
                meta={"line": index, "source": "sugarcrepe", "category": category, "key": key},
            )
            yield Row(index, raw, record)
        except RowError as exc:
            yield Reject(index, raw, str(exc))


PARQUET_BATCH = 1024  # rows of a Parquet file decoded at a time


def _read_parquet(path: Path, options: ReadOptions) -> Iterator[Row | Reject]:
    """One record per row, its columns read as the fields of a JSONL row; a reject's ``line`` is the
    1-based row number. Rows are decoded :data:`PARQUET_BATCH` at a time, and a row over the row
    size limit (measured as JSON) is rejected."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise InputError(f"{path}: reading Parquet needs pyarrow (pip install pyarrow)") from exc
    try:
        batches = pq.ParquetFile(path).iter_batches(batch_size=PARQUET_BATCH)
        number = 0
        for batch in batches:
            for row in batch.to_pylist():
                number += 1
                text = json.dumps(row, ensure_ascii=False, default=str)
                try:
                    if len(text.encode("utf-8", "surrogatepass")) > options.max_row_bytes:
                        raise RowError(f"row too long (over {options.max_row_bytes} bytes as JSON: a row may hold "
                                       f"{ROW_BYTES_PER_CHAR} x --max-chars)")
                    _row_problem(row)
                    yield Row(number, text[:RAW_PREVIEW], _row_to_record(row, number, options))
                except RowError as exc:
                    yield Reject(number, text[:RAW_PREVIEW], str(exc))
    except pa.ArrowException as exc:
        raise InputError(f"{path}: not a readable Parquet file: {exc}") from exc
