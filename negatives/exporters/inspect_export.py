"""inspect_ai dataset: one ``Sample`` per item as a JSON line, read by ``json_dataset(path)``.

``choices`` carry no letter prefixes (the ``multiple_choice()`` solver adds them) and ``target`` is
the letter of the positive. Options are shuffled with the seed; ``metadata.order`` records the
shuffle (``choices[i]`` is candidate ``order[i]`` of ``[positive, *distractors]``) next to the
per-choice engine, level and difficulty and the whole record, so the file imports back losslessly.
Image items put the image in ``input`` as a chat message with an image part.
"""

from __future__ import annotations

from string import ascii_uppercase
from typing import Any

from negatives.exporters.common import ExportError, Target, shuffled, write_jsonl
from negatives.records import Record
from negatives.writers import atomic_open

TEXT_QUESTION = "Which of these sentences is correct?"
IMAGE_QUESTION = "Which caption describes the image?"


def _input(record: Record) -> str | list[dict[str, Any]]:
    if record.anchor_image:
        content = [{"type": "image", "image": record.anchor_image}, {"type": "text", "text": IMAGE_QUESTION}]
        return [{"role": "user", "content": content}]
    return record.anchor_text or TEXT_QUESTION


def sample(record: Record, seed: int) -> dict[str, Any]:
    """The inspect ``Sample`` fields of one record."""
    if len(record.distractors) + 1 > len(ascii_uppercase):
        raise ExportError(f"record {record.id!r}: {len(record.distractors) + 1} options; inspect letters stop at Z")
    if any(d.text is None for d in record.distractors):
        raise ExportError(f"record {record.id!r} has image candidates; inspect choices are texts")
    mc = shuffled(record.positive, record.distractors, seed, record.id)
    return {
        "id": record.id,
        "input": _input(record),
        "choices": mc.choices,
        "target": ascii_uppercase[mc.label],
        "metadata": {
            "order": mc.order,
            "seed": seed,
            "engine": mc.engines,
            "level": mc.levels,
            "difficulty": mc.difficulties,
            "record": record.to_dict(),
        },
    }


def export(records: list[Record], target: Target, seed: int) -> dict[str, Any]:
    with atomic_open(target.path) as fh:
        n = write_jsonl(fh, (sample(r, seed) for r in records))
    return {
        "counts": {"items": n},
        "inspect": {"text_question": TEXT_QUESTION, "image_question": IMAGE_QUESTION},
        "usage": f"Task(dataset=json_dataset({str(target.final)!r}), solver=multiple_choice(), scorer=choice())",
    }
