"""Numbers written in answers: digits ("206", "1,000", "25th") and English words up to ninety-nine
("eight", "Twenty-four"), read to their value and written back in the same style."""

from __future__ import annotations

import re
from typing import NamedTuple

UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen").split()
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
WORD_VALUES = {**{w: i for i, w in enumerate(UNITS)}, **TENS}
ORDINAL_SUFFIXES = ("st", "nd", "rd", "th")
NUMBER = re.compile(
    r"\b(?:(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<suffix>st|nd|rd|th)?|(?P<words>(?:%s)(?:-(?:%s))?))\b"
    % ("|".join(sorted(WORD_VALUES, key=len, reverse=True)), "|".join(UNITS[1:10])),
    re.I,
)


class Number(NamedTuple):
    """A number in a text: its span, value, and how it is written."""

    start: int
    end: int
    value: int
    text: str
    ordinal: bool = False

    @property
    def spelled(self) -> bool:
        return self.text[0].isalpha()


def numbers(text: str) -> list[Number]:
    """Every number of ``text``, in order ("twenty-four" is one)."""
    out = []
    for m in NUMBER.finditer(text):
        if m["digits"]:
            out.append(Number(m.start(), m.end(), int(m["digits"].replace(",", "")), m[0], bool(m["suffix"])))
            continue
        parts = m["words"].lower().split("-")
        if len(parts) == 2 and parts[0] not in TENS:
            continue  # "eight-nine" is no number
        out.append(Number(m.start(), m.end(), sum(WORD_VALUES[p] for p in parts), m[0]))
    return out


def spell(value: int) -> str | None:
    """``value`` in words (0..99), None beyond."""
    if 0 <= value < 20:
        return UNITS[value]
    if 20 <= value < 100:
        tens = next(w for w, v in TENS.items() if v == value - value % 10)
        return tens if value % 10 == 0 else f"{tens}-{UNITS[value % 10]}"
    return None


def write_like(value: int, like: Number) -> str | None:
    """``value`` written as ``like`` is: in words (with its capital) or digits (with its thousands
    separator and ordinal suffix); None when words cannot say it."""
    if like.spelled:
        words = spell(value)
        return None if words is None else words.capitalize() if like.text[0].isupper() else words
    digits = f"{value:,}" if "," in like.text else str(value)
    if like.ordinal:
        last = value % 10 if value % 100 not in (11, 12, 13) else 0
        digits += ORDINAL_SUFFIXES[last - 1] if 1 <= last <= 3 else "th"
    return digits
