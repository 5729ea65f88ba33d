"""Real-word typos: a word that one edit away makes a rare phrase a common one ("in font of").

People's captions hold typos that are words ("in font of", "a lots of", "now boarder"); a
distractor that keeps one, or a retrieved caption that has one, reads as odd to a person however
false it is. A word is a typo where it and its two neighbours (sentence ends included) were
written together at most :data:`RARE` times and one edit to it (a letter deleted, inserted,
changed, or two swapped) gives three words written at least :data:`EVIDENCE` times and
:data:`RATIO` times as often. Words within one edit are found with a deletion index of the
vocabulary (symmetric delete), so a caption costs a few dictionary lookups per rare triple.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from negatives.plausibility.ngram import BOS, EOS, KneserNey, Memo

RARE, EVIDENCE, RATIO = 2, 10, 10
MIN_WORD = 5
"""Times a word must be written to be a correction."""
MEMO_WORDS = 100_000


class Typos:
    """Finds the real-word typos of tokenised captions against the trigram counts of ``lm``."""

    def __init__(self, lm: KneserNey) -> None:
        self.triples = lm.c3
        self.index: dict[str, list[str]] = defaultdict(list)
        self._near = Memo(self._find_near, MEMO_WORDS)
        for word in sorted(w for w, n in lm.unigrams.items() if n >= MIN_WORD and w.isalpha()):
            for key in {word, *_deletes(word)}:
                self.index[key].append(word)

    def __call__(self, tokens: Sequence[str]) -> list[str]:
        """The typos of ``tokens`` as "word (correction?)", in order."""
        padded = [BOS, *tokens, EOS]
        out = []
        for a, word, b in zip(padded, padded[1:], padded[2:]):
            n = self.triples.get((a, word, b), 0)
            if n > RARE or not word.isalpha():
                continue
            least = max(EVIDENCE, RATIO * n)  # n >= 1 where the caption is itself among the counts
            better = [(self.triples.get((a, w, b), 0), w) for w in self.near(word)]
            best = max(better, default=(0, ""))
            if best[0] >= least:
                out.append(f"{word} ({best[1]}?)")
        return out

    def near(self, word: str) -> list[str]:
        """The vocabulary's words one edit from ``word``, sorted (remembered: words recur)."""
        return self._near[word]

    def _find_near(self, word: str) -> list[str]:
        found = {w for key in {word, *_deletes(word)} for w in self.index.get(key, ())}
        found.discard(word)
        return sorted(w for w in found if _one_edit(word, w))


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """Whether ``b`` is one deletion, insertion, substitution or adjacent swap away from ``a``."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))
