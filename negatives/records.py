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
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA = "negatives/1"
TASKS = ("text", "image-caption")
Task = Literal["text", "image-caption"]


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
        if text[start:end] != self.old:
            raise RecordError(f"edit span {self.span} holds {text[start:end]!r}, not {self.old!r}")
        return text[:start] + self.new + text[end:]

    def to_dict(self) -> dict[str, Any]:
        return {"span": [self.span[0], self.span[1]], "old": self.old, "new": self.new, **self.extra}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Edit:
        try:
            start, end = d["span"]
            extra = {k: v for k, v in d.items() if k not in ("span", "old", "new")}
            return cls((int(start), int(end)), str(d["old"]), str(d["new"]), extra)
        except (KeyError, TypeError, ValueError) as exc:
            raise RecordError(f"bad edit {d!r}: {exc}") from exc


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
    def from_dict(cls, d: dict[str, Any]) -> Distractor:
        if not isinstance(d, dict):
            raise RecordError(f"distractor must be an object, got {type(d).__name__}")
        try:
            edit = d.get("edit")
            difficulty = d.get("difficulty")
            level = d.get("level")
            return cls(
                text=d.get("text"),
                engine=str(d["engine"]),
                op=str(d["op"]),
                edit=Edit.from_dict(edit) if edit else None,
                difficulty=None if difficulty is None else float(difficulty),
                level=None if level is None else int(level),
                checks=dict(d.get("checks") or {}),
                image=d.get("image"),
                meta=dict(d.get("meta") or {}),
            )
        except KeyError as exc:
            raise RecordError(f"distractor lacks field {exc}") from exc

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
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=False)

    @classmethod
    def from_dict(cls, d: Any) -> Record:
        if not isinstance(d, dict):
            raise RecordError(f"record must be a JSON object, got {type(d).__name__}")
        schema = d.get("schema", SCHEMA)
        if schema != SCHEMA:
            raise RecordError(f"unsupported schema {schema!r} (this version reads {SCHEMA!r})")
        for key in ("id", "task", "positive"):
            if key not in d:
                raise RecordError(f"record lacks field {key!r}")
        if d["task"] not in TASKS:
            raise RecordError(f"task must be one of {TASKS}, got {d['task']!r}")
        if not isinstance(d["positive"], str):
            raise RecordError("positive must be a string")
        anchor = d.get("anchor") or {}
        if not isinstance(anchor, dict) or not set(anchor) <= {"text", "image"}:
            raise RecordError(f"anchor must be {{'text': ...}}, {{'image': ...}} or {{}}, got {anchor!r}")
        distractors = d.get("distractors") or []
        if not isinstance(distractors, list):
            raise RecordError("distractors must be a list")
        return cls(
            id=str(d["id"]),
            task=d["task"],
            anchor=dict(anchor),
            positive=d["positive"],
            distractors=[Distractor.from_dict(x) for x in distractors],
            meta=dict(d.get("meta") or {}),
            schema=schema,
        )

    @classmethod
    def from_json(cls, line: str) -> Record:
        try:
            return cls.from_dict(json.loads(line))
        except json.JSONDecodeError as exc:
            raise RecordError(f"invalid JSON: {exc.msg} at column {exc.colno}") from exc
