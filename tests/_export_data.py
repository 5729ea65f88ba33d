"""Small record sets for the export tests (text items with anchors, image-caption items with PNGs)."""

from __future__ import annotations

from pathlib import Path

from negatives.records import Distractor, Edit, Record

POSITIVES = [
    "A red car is parked next to two dogs.",
    "Three cats sleep on a blue sofa.",
    "A man rides a brown horse on the beach.",
    "Two children play with a yellow ball.",
    "A woman holds an open umbrella in the rain.",
]
SWAPS = [("red", "blue"), ("blue", "green"), ("brown", "white"), ("yellow", "purple"), ("open", "closed")]
COUNTS = [("two", "four"), ("Three", "Five"), ("A man", "Two men"), ("Two", "Six"), ("A woman", "Three women")]


def _edit(text: str, old: str, new: str) -> tuple[str, Edit]:
    start = text.index(old)
    edit = Edit((start, start + len(old)), old, new, {"note": "test"})
    return edit.apply(text), edit


def _distractor(text: str, old: str, new: str, engine: str, level: int | None, difficulty: float) -> Distractor:
    changed, edit = _edit(text, old, new)
    return Distractor(changed, engine, f"{engine}-op", edit, difficulty, level, {"grammar": "pass"}, meta={"k": level})


def text_records() -> list[Record]:
    """Five anchored text items (engines swap/count, levels 1, 2 and one unleveled), plus an empty one."""
    records = []
    for i, (positive, swap, count) in enumerate(zip(POSITIVES, SWAPS, COUNTS)):
        distractors = [
            _distractor(positive, *swap, "swap", 1, 0.2 + i / 100),
            _distractor(positive, *count, "count", 2, 0.7 + i / 100),
            _distractor(positive, swap[0], swap[0].upper(), "swap", 2 if i % 2 else None, 0.5),
        ]
        records.append(
            Record(f"item-{i}", "text", {"text": f"Question {i}: describe the scene."}, positive, distractors, {"source": "test"})
        )
    records.append(Record("empty", "text", {"text": "Nothing here."}, "No distractors.", []))
    return records


def image_records(root: Path) -> list[Record]:
    """Three image-caption items whose images are small PNG files in ``root``."""
    from PIL import Image

    records = []
    for i, (positive, swap, count) in enumerate(zip(POSITIVES[:3], SWAPS, COUNTS)):
        name = f"img{i}.png"
        Image.new("RGB", (8, 8), (40 * i, 80, 120)).save(root / name)
        distractors = [_distractor(positive, *swap, "swap", 1, 0.3), _distractor(positive, *count, "count", 2, 0.6)]
        records.append(Record(f"img-{i}", "image-caption", {"image": name}, positive, distractors))
    return records


def write(path: Path, records: list[Record]) -> Path:
    path.write_text("".join(r.to_json() + "\n" for r in records), encoding="utf-8")
    return path


QA = [  # (question, answer, three wrong answers: another answer's kind, a near miss, a close number or name)
    ("How many legs does a spider have?", "Eight legs.", ["Six legs.", "Ten legs.", "Four legs."]),
    ("What is the capital of France?", "Paris.", ["Lyon.", "Berlin.", "Madrid."]),
    ("What colour is a ripe banana?", "Yellow.", ["Blue.", "Purple.", "Black."]),
    ("Which planet is closest to the Sun?", "Mercury.", ["Venus.", "Jupiter.", "Neptune."]),
    ("What do bees make?", "Honey.", ["Milk.", "Silk.", "Bread."]),
    ("In which ocean is Hawaii?", "The Pacific Ocean.", ["The Atlantic Ocean.", "The Indian Ocean.", "The Arctic Ocean."]),
    ("What gas do plants take in from the air?", "Carbon dioxide.", ["Helium.", "Neon.", "Chlorine."]),
    ("How many days are in a week?", "Seven days.", ["Five days.", "Nine days.", "Ten days."]),
]


def qa_records() -> list[Record]:
    """Eight anchored question/answer items, three imported distractors each (levels 1, 2, 3)."""
    return [
        Record(
            f"qa-{i}", "text", {"text": question}, answer,
            [Distractor(text, "imported", "handmade", None, 0.1 + 0.2 * level, level + 1, {}) for level, text in enumerate(wrong)],
        )
        for i, (question, answer, wrong) in enumerate(QA)
    ]
