"""Surface tells: differences between a positive and a distractor that give the answer away without meaning.

Each tell is a feature of a text (token count, final punctuation, trailing space ...). Over a set of
(positive, distractor) pairs a tell *splits* the set when the feature is larger for the distractor in
most pairs, or smaller in most pairs: a blind rule ("pick the shorter caption") then wins without
looking at the anchor. ``split`` is that dominant share; pairs where the feature is equal count for
neither side. Word rarity compares the words an edit inserts with the words it removes
(``wordfreq`` Zipf frequency), using the edit's ``old``/``new`` when present, else the whole texts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from negatives.lexical import zipf
from negatives.records import Edit
from probes.scorers.blind import words  # the blind n-gram model's tokens: lower-cased letters, digits, apostrophes

_CASED_WORD = re.compile(r"[A-Za-z]+")
_ODD_SPACE = re.compile(r"\s{2,}|[\t\n\r\f\v]")
HISTOGRAM_CLIP = {"tokens": 5, "chars": 20}  # differences beyond are pooled into the end bins


def _initial_capital(text: str) -> float:
    first = next((ch for ch in text if ch.isalpha()), "")
    return float(first.isupper())


def _all_caps_words(text: str) -> float:
    return float(sum(1 for w in _CASED_WORD.findall(text) if len(w) > 1 and w.isupper()))


def _final_punctuation(text: str) -> float:
    stripped = text.rstrip()
    return float(bool(stripped) and unicodedata.category(stripped[-1]).startswith("P"))


def _odd_inner_space(text: str) -> float:
    return float(len(_ODD_SPACE.findall(text.strip())))


FEATURES: dict[str, Callable[[str], float]] = {
    "length_tokens": lambda t: float(len(words(t))),
    "length_chars": lambda t: float(len(t)),
    "initial_capital": _initial_capital,
    "all_caps_words": _all_caps_words,
    "final_punctuation": _final_punctuation,
    "leading_whitespace": lambda t: float(t != t.lstrip()),
    "trailing_whitespace": lambda t: float(t != t.rstrip()),
    "inner_whitespace": _odd_inner_space,
}
"""Text features compared between positive and distractor; each is a potential tell."""

DEFINITIONS: dict[str, tuple[str, str, str]] = {
    # tell: (what it compares, what a split means when the distractor's value is higher, ... lower)
    "length_tokens": ("the number of words", "the distractor has more words", "the distractor has fewer words"),
    "length_chars": ("the number of characters", "the distractor is longer", "the distractor is shorter"),
    "initial_capital": ("a capital first letter", "only the distractor starts with a capital", "only the positive starts with a capital"),
    "all_caps_words": ("words in capitals (TV, NASA)", "the distractor has more words in capitals", "the distractor has fewer words in capitals"),
    "final_punctuation": ("punctuation at the end", "only the distractor ends with punctuation", "only the positive ends with punctuation"),
    "leading_whitespace": ("a space before the text", "only the distractor starts with a space", "only the positive starts with a space"),
    "trailing_whitespace": ("a space after the text", "only the distractor ends with a space", "only the positive ends with a space"),
    "inner_whitespace": ("doubled spaces, tabs and line breaks", "the distractor has more odd spacing", "the distractor has less odd spacing"),
    "changed_word_rarity": (
        "how rare the words an edit inserts are, against the words it removes (wordfreq Zipf)",
        "the distractor's new words are rarer than the ones they replace",
        "the distractor's new words are commoner than the ones they replace",
    ),
    "position": ("where an export showed the positive", "the positive is shown first", "the positive is shown second"),
}
"""Every tell: what it compares and, for each direction of a split, what the blind rule sees."""


def side(name: str, direction: str) -> str:
    """What a split of tell ``name`` toward ``direction`` (``higher``/``lower``) means, in words."""
    return DEFINITIONS[name][1 if direction == "higher" else 2]

FORMATTING = frozenset({"initial_capital", "all_caps_words", "final_punctuation", "leading_whitespace", "trailing_whitespace", "inner_whitespace"})


def changed_words(positive: str, distractor: str, edit: Edit | None) -> tuple[list[str], list[str]]:
    """(removed, inserted) words: multiset difference of the edit's old/new, else of the two texts."""
    old, new = (edit.old, edit.new) if edit is not None else (positive, distractor)
    before, after = Counter(words(old)), Counter(words(new))
    removed = sorted((before - after).elements())
    inserted = sorted((after - before).elements())
    return removed, inserted


@dataclass(frozen=True)
class PairTells:
    """Every tell of one (positive, distractor) pair."""

    positive: dict[str, float]
    distractor: dict[str, float]
    same_bag: bool
    removed_zipf: float | None
    inserted_zipf: float | None


def pair_tells(positive: str, distractor: str, edit: Edit | None = None) -> PairTells:
    """Measure one pair."""
    removed, inserted = changed_words(positive, distractor, edit)
    return PairTells(
        positive={name: f(positive) for name, f in FEATURES.items()},
        distractor={name: f(distractor) for name, f in FEATURES.items()},
        same_bag=Counter(words(positive)) == Counter(words(distractor)),
        removed_zipf=float(np.mean([zipf(w) for w in removed])) if removed else None,
        inserted_zipf=float(np.mean([zipf(w) for w in inserted])) if inserted else None,
    )


def difference(pair: PairTells, name: str) -> float | None:
    """Distractor minus positive for tell ``name`` (for rarity: how much rarer the inserted words are;
    None when not measured); > 0 is the ``distractor_higher`` side."""
    if name == "changed_word_rarity":
        if pair.removed_zipf is None or pair.inserted_zipf is None:
            return None
        return pair.removed_zipf - pair.inserted_zipf
    return pair.distractor[name] - pair.positive[name]


def _direction(values: Sequence[float], n: int) -> dict[str, Any]:
    """Shares of pairs where the distractor's value is higher, lower, either (``differs``), and the split."""
    arr = np.asarray(values, dtype=float)
    higher = float(np.sum(arr > 0)) / n if n else 0.0
    lower = float(np.sum(arr < 0)) / n if n else 0.0
    return {
        "distractor_higher": higher,
        "distractor_lower": lower,
        "differs": higher + lower,
        "split": max(higher, lower),
    }


def _distribution(diffs: np.ndarray, clip: int) -> dict[str, Any]:
    if diffs.size == 0:
        return {"mean": None, "quantiles": {}, "histogram": {}}
    qs = (5, 25, 50, 75, 95)
    clipped = np.clip(diffs, -clip, clip).astype(int)
    hist = Counter(int(v) for v in clipped)
    label = {-clip: f"<={-clip}", clip: f">={clip}"}
    return {
        "mean": float(diffs.mean()),
        "quantiles": {f"p{q}": float(np.percentile(diffs, q)) for q in qs},
        "histogram": {label.get(k, str(k)): hist[k] for k in sorted(hist)},
    }


def summarize(pairs: Sequence[PairTells]) -> dict[str, Any]:
    """Aggregate the tells of a set of pairs: per-feature directions, length distributions, bag of words, rarity."""
    n = len(pairs)
    tells: dict[str, Any] = {}
    for name in FEATURES:
        tells[name] = _direction([difference(p, name) for p in pairs], n)
    rarer = [d for p in pairs if (d := difference(p, "changed_word_rarity")) is not None]
    rarity_diffs = [-d for d in rarer]  # zipf of the inserted words minus the removed ones
    tells["changed_word_rarity"] = {  # rarity = -zipf: "distractor_higher" means the inserted words are rarer
        **_direction(rarer, n),
        "compared": len(rarer),
        "mean_zipf_inserted": _mean([p.inserted_zipf for p in pairs]),
        "mean_zipf_removed": _mean([p.removed_zipf for p in pairs]),
        "mean_zipf_change": float(np.mean(rarity_diffs)) if rarity_diffs else None,
        "insert_only": sum(1 for p in pairs if p.inserted_zipf is not None and p.removed_zipf is None),
    }
    tok = np.array([difference(p, "length_tokens") for p in pairs], dtype=float)
    chars = np.array([difference(p, "length_chars") for p in pairs], dtype=float)
    return {
        "pairs": n,
        "length_difference": {"tokens": _distribution(tok, HISTOGRAM_CLIP["tokens"]), "chars": _distribution(chars, HISTOGRAM_CLIP["chars"])},
        "distractor_longer": tells["length_tokens"]["distractor_higher"],
        "distractor_longer_chars": tells["length_chars"]["distractor_higher"],
        "same_bag_of_words": sum(p.same_bag for p in pairs) / n if n else 0.0,
        "tells": tells,
    }


def _mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return float(np.mean(present)) if present else None


def position_balance(firsts: Sequence[bool | None]) -> dict[str, Any] | None:
    """How often the positive is presented before the distractor (None: order unknown for every pair)."""
    known = [f for f in firsts if f is not None]
    if not known:
        return None
    first = sum(known) / len(known)
    return {"n": len(known), "positive_first": first, "split": max(first, 1.0 - first)}
