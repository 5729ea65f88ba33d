"""Why each candidate was dropped: every step that removes a candidate notes it on its record
(``Record.dropped``) with the step and the check, and ``negatives generate --explain`` writes the
notes beside the output (``<out>.explain.jsonl``), one JSON line per dropped candidate:

    {"id": "c12", "line": 13, "stage": "engine", "check": "sibling", "engine": "binding", "op": "replace",
     "text": "A red bus ...", "detail": {}}

Stages, in pipeline order: ``engine`` (a rule engine's validators, a composition a sibling caption
states, plausibility), ``question`` (a text item's question checks), ``check`` (a check passed to the
builder, named by its ``name`` attribute or class), ``debias`` (not selected by the debias selector),
``selection`` (the level selection: ``duplicate`` of a kept text, ``over_quota`` for its level, or
``unscored``). The manifest counts the same removals; this file lists them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from negatives.records import Distractor, Record

EXPLAIN_KEYS = frozenset({"id", "line", "stage", "check", "engine", "op", "text", "detail"})


def explain_path(out: str | Path) -> Path:
    """``<out>.explain.jsonl``, beside the output."""
    out = Path(out)
    return out.with_name(out.name + ".explain.jsonl")


def drop(record: Record, stage: str, check: str, engine: str, op: str, text: str | None, **detail: Any) -> None:
    """Note on ``record`` that a candidate was removed at ``stage`` by ``check``."""
    record.dropped.append({
        "id": record.id, "line": record.meta.get("line"), "stage": stage, "check": check, "engine": engine, "op": op,
        "text": text, "detail": detail,
    })


def drop_distractor(record: Record, stage: str, check: str, d: Distractor, **detail: Any) -> None:
    """:func:`drop` for a distractor (an image candidate's text is its image path)."""
    drop(record, stage, check, d.engine, d.op, d.text if d.text is not None else d.image, **detail)


def dropped(record: Record, before: list[Distractor], stage: str, check: str) -> None:
    """Note every distractor of ``before`` that is no longer on ``record`` (by identity)."""
    kept = {id(d) for d in record.distractors}
    for d in before:
        if id(d) not in kept:
            drop_distractor(record, stage, check, d)


def check_name(check: Any) -> str:
    """A check's name: its ``name`` attribute, else its function or class name."""
    return str(getattr(check, "name", None) or getattr(check, "__name__", None) or type(check).__name__)
