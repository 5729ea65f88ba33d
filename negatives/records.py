"""The record format (`negatives/1`): typed classes with a lossless JSON round trip.

One JSON object per line::

    {"schema": "negatives/1", "id": str, "task": "text" | "image-caption",
     "anchor": {"text": str} | {"image": str} | {},
     "positive": str,
     "distractors": [{"text": str, "engine": str, "op": str,
                      "edit": {"span": [start, end], "old": str, "new": str, ...} | null,
                      "difficulty": float | null, "level": int | null,
                      "checks": {validator: verdict}, "image": str (image candidates only),
                      "meta": {...} (only when non-empty)}],
     "meta": {...}}

An edit always names one contiguous span of the positive: ``positive[:start] + new +
positive[end:]`` is the distractor text.  Extra edit keys (``delta``, ``swapped`` ...) carry
engine-specific provenance.

Reading is strict (:meth:`Record.from_dict`): unknown fields, wrong types, blank texts, a
difficulty outside [0, 1] (or NaN), a level outside 1..:data:`MAX_LEVEL`, an edit whose span is out
of range or does not hold ``old`` or does not reproduce the distractor's text, non-printable engine
or op names, and text and image candidates mixed in one item are each a :class:`RecordError`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Literal

from negatives import strict_json

SCHEMA = "negatives/1"
TASKS = ("text", "image-caption")
Task = Literal["text", "image-caption"]
MAX_LEVEL = 100
MAX_NAME_CHARS = 100  # engine and op names
RECORD_FIELDS = frozenset({"schema", "id", "task", "anchor", "positive", "distractors", "meta"})
DISTRACTOR_FIELDS = frozenset({"text", "engine", "op", "edit", "difficulty", "level", "checks", "image", "meta"})


class RecordError(ValueError):
    """A JSON object does not follow the record format."""


@dataclass
class Edit:
    """A single-span rewrite of the positive: ``positive[start:end]`` old -> new."""

    span: tuple[int, int]
    old: str
    new: str
    extra: dict[str, Any] = field(default_factory=dict)

    def apply(self, text: str) -> str:
        start, end = self.span
        if not 0 <= start <= end <= len(text):
            raise RecordError(f"edit span {list(self.span)} is outside the positive (length {len(text)})")
        if text[start:end] != self.old:
            raise RecordError(f"edit span {self.span} holds {text[start:end]!r}, not {self.old!r}")
        return text[:start] + self.new + text[end:]

    def to_dict(self) -> dict[str, Any]:
        return {"span": [self.span[0], self.span[1]], "old": self.old, "new": self.new, **self.extra}

    @classmethod
    def from_dict(cls, d: Any) -> Edit:
        if not isinstance(d, dict):
            raise RecordError(f"edit must be an object or null, got {_kind(d)}")
        span = d.get("span")
        if not (isinstance(span, list) and len(span) == 2 and all(_is_int(x) for x in span)):
            raise RecordError(f"edit span must be [start, end] (two integers), got {_shown(span)}")
        for key in ("old", "new"):
            if not isinstance(d.get(key), str):
                raise RecordError(f"edit {key!r} must be a string, got {_kind(d.get(key))}")
        extra = {k: v for k, v in d.items() if k not in ("span", "old", "new")}
        return cls((span[0], span[1]), d["old"], d["new"], extra)


@dataclass
class Distractor:
    """One wrong candidate with its provenance; ``image`` is set for image candidates."""

    text: str | None
    engine: str
    op: str
    edit: Edit | None = None
    difficulty: float | None = None
    level: int | None = None
    checks: dict[str, Any] = field(default_factory=dict)
    image: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "text": self.text,
            "engine": self.engine,
            "op": self.op,
            "edit": self.edit.to_dict() if self.edit else None,
            "difficulty": self.difficulty,
            "level": self.level,
            "checks": dict(self.checks),
        }
        if self.image is not None:
            d["image"] = self.image
        if self.meta:
            d["meta"] = dict(self.meta)
        return d

    @classmethod
    def from_dict(cls, d: Any, positive: str | None = None) -> Distractor:
        """A distractor; with ``positive``, its edit must reproduce its text from the positive."""
        if not isinstance(d, dict):
            raise RecordError(f"distractor must be an object, got {_kind(d)}")
        _known_fields(d, DISTRACTOR_FIELDS, "distractor")
        text, image = d.get("text"), d.get("image")
        if text is None:
            if not _is_text(image):
                raise RecordError("distractor needs a non-blank 'text' (or, for an image candidate, text null and an 'image' path)")
        elif not _is_text(text):
            raise RecordError(f"distractor text must be a non-blank string or null, got {_shown(text)}")
        elif image is not None:
            raise RecordError("distractor has both a text and an image; a candidate is one or the other")
        edit = None if d.get("edit") is None else Edit.from_dict(d["edit"])
        if edit is not None and positive is not None:
            if text is None:
                raise RecordError("an image candidate has no edit")
            if edit.apply(positive) != text:
                raise RecordError(f"edit {edit.to_dict()} does not turn the positive into the distractor's text {text!r}")
        return cls(
            text=text,
            engine=_name(d.get("engine"), "engine"),
            op=_name(d.get("op"), "op"),
            edit=edit,
            difficulty=_difficulty(d.get("difficulty")),
            level=_level(d.get("level")),
            checks=_object(d.get("checks"), "checks"),
            image=image,
            meta=_object(d.get("meta"), "distractor meta"),
        )

    @property
    def candidate(self) -> str:
        """The text (or image path) this distractor offers as an answer."""
        return self.text if self.text is not None else str(self.image)


@dataclass
class Record:
    """One item: an anchor, its positive answer and graded distractors."""

    id: str
    task: Task
    anchor: dict[str, str]
    positive: str
    distractors: list[Distractor] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    schema: str = SCHEMA
    dropped: list[dict[str, Any]] = field(default_factory=list, compare=False, repr=False)
    """Candidates removed on the way, with the check that removed them (:mod:`negatives.explain`);
    never part of the record's JSON."""

    @property
    def anchor_text(self) -> str | None:
        return self.anchor.get("text")

    @property
    def anchor_image(self) -> str | None:
        return self.anchor.get("image")

    @property
    def siblings(self) -> list[str]:
        """Other positives of the same item (e.g. COCO captions of one image): never negatives."""
        return list(self.meta.get("siblings", []))

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": self.schema,
            "id": self.id,
            "task": self.task,
            "anchor": dict(self.anchor),
            "positive": self.positive,
            "distractors": [d.to_dict() for d in self.distractors],
            "meta": dict(self.meta),
        }

    def to_json(self) -> str:
        """One JSON line; a non-finite number raises (JSON has none: no reader would take the line back)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=False, allow_nan=False)

    @classmethod
    def from_dict(cls, d: Any) -> Record:
        if not isinstance(d, dict):
            raise RecordError(f"record must be a JSON object, got {_kind(d)}")
        schema = d.get("schema", SCHEMA)
        if schema != SCHEMA:
            raise RecordError(f"unsupported schema {_shown(schema)} (this version reads {SCHEMA!r})")
        _known_fields(d, RECORD_FIELDS, "record")
        for key in ("id", "task", "positive"):
            if key not in d:
                raise RecordError(f"record lacks field {key!r}")
        if d["task"] not in TASKS:
            raise RecordError(f"task must be one of {TASKS}, got {_shown(d['task'])}")
        if not _is_text(d["positive"]):
            raise RecordError(f"positive must be a non-blank string, got {_shown(d['positive'])}")
        anchor = _anchor(d.get("anchor"))
        if "image" in anchor and d["task"] != "image-caption":
            raise RecordError("an image anchor needs task 'image-caption'")
        distractors = d.get("distractors") or []
        if not isinstance(distractors, list):
            raise RecordError(f"distractors must be a list, got {_kind(distractors)}")
        parsed = []
        for i, x in enumerate(distractors, start=1):
            try:
                parsed.append(Distractor.from_dict(x, d["positive"]))
            except RecordError as exc:
                raise RecordError(f"distractor {i}: {exc}") from exc
        if len({x.text is None for x in parsed}) > 1:
            raise RecordError("the distractors mix text and image candidates; an item offers one kind")
        meta = _object(d.get("meta"), "meta")
        siblings = meta.get("siblings", [])
        if not (isinstance(siblings, list) and all(isinstance(x, str) for x in siblings)):
            raise RecordError(f"meta.siblings must be a list of strings, got {_shown(siblings)}")
        return cls(id=_id(d["id"]), task=d["task"], anchor=anchor, positive=d["positive"],
                   distractors=parsed, meta=meta, schema=schema)  # fmt: skip

    @classmethod
    def from_json(cls, line: str) -> Record:
        try:
            return cls.from_dict(strict_json.loads(line))
        except strict_json.JsonError as exc:
            raise RecordError(str(exc)) from exc


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _shown(value: Any, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[:width] + "..."


def _known_fields(d: dict[str, Any], known: frozenset[str], what: str) -> None:
    unknown = sorted(set(d) - known)
    if unknown:
        raise RecordError(f"unknown {what} field(s) {unknown}; a {what} has {', '.join(sorted(known))}")


def _id(value: Any) -> str:
    if _is_int(value):
        return str(value)
    if isinstance(value, str) and value:
        return value
    raise RecordError(f"id must be a non-empty string or an integer, got {_shown(value)}")


def _anchor(value: Any) -> dict[str, str]:
    anchor = value or {}
    if not isinstance(anchor, dict) or len(anchor) > 1 or not set(anchor) <= {"text", "image"}:
        raise RecordError(f"anchor must be {{'text': ...}}, {{'image': ...}} or {{}}, got {_shown(value)}")
    if anchor and not _is_text(next(iter(anchor.values()))):
        raise RecordError(f"anchor {next(iter(anchor))} must be a non-blank string, got {_shown(value)}")
    return dict(anchor)


def _name(value: Any, what: str) -> str:
    if not (_is_text(value) and value.isprintable() and len(value) <= MAX_NAME_CHARS):
        raise RecordError(f"{what} must be a printable name of 1 to {MAX_NAME_CHARS} characters, got {_shown(value)}")
    return value


def _difficulty(value: Any) -> float | None:
    if value is None:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not (math.isfinite(value) and 0 <= value <= 1):
        raise RecordError(f"difficulty must be a number in [0, 1] or null, got {_shown(value)}")
    return float(value)


def _level(value: Any) -> int | None:
    if value is None:
        return None
    if not (_is_int(value) and 1 <= value <= MAX_LEVEL):
        raise RecordError(f"level must be an integer from 1 to {MAX_LEVEL} or null, got {_shown(value)}")
    return value


def _object(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RecordError(f"{what} must be an object, got {_kind(value)}")
    return dict(value)
