"""A faster drop-in for spaCy's lemmatizer: the same lemmas, answered from a table.

spaCy's rule lemmatizer visits every token in Python and, for base forms (singular nouns, plain
adjectives: most caption words), reads the token's morphology into a dict on every call without
caching the answer. Its result depends only on the token's text, part of speech and morphology (and
only on the text in lookup mode), so :class:`IndexedLemmatizer` reads those three columns with
``Doc.to_array``, asks the wrapped spaCy lemmatizer once per distinct triple and writes all lemmas
back with ``Doc.from_array``. Tokens that already have a lemma (set by the attribute ruler) keep it
unless the lemmatizer overwrites, as in spaCy. :func:`index_lemmas` swaps it into a loaded pipeline.
"""

from __future__ import annotations

from typing import Any

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

FACTORY = "negatives_lemmatizer"
TABLE_SIZE = 200_000
TOKEN_LOCAL_MODES = ("rule", "lookup")
"""Lemmatizer modes whose answer is a function of (text, POS, morphology) alone."""


class IndexedLemmatizer:
    """Lemmas of a wrapped spaCy :class:`Lemmatizer`, one call per distinct (text, POS, morphology)."""

    def __init__(self, vocab: Any, name: str) -> None:
        self.vocab = vocab
        self.name = name
        self.lemmatizer: Lemmatizer | None = None
        self._table: dict[tuple[int, int, int], int] = {}

    def wrap(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self._table.clear()

    def __call__(self, doc: Doc) -> Doc:
        if self.lemmatizer is None:
            raise ValueError(f"{self.name}: no spaCy lemmatizer wrapped (see negatives.lemmatizer.index_lemmas)")
        columns = doc.to_array([ORTH, POS, MORPH, LEMMA])
        if not len(columns):
            return doc
        overwrite = self.lemmatizer.overwrite
        lemmas = columns[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(columns.tolist()):
            if lemma and not overwrite:
                continue
            value = self._table.get((orth, pos, morph))
            if value is None:
                value = self.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                if len(self._table) >= TABLE_SIZE:
                    self._table.clear()
                self._table[(orth, pos, morph)] = value
            lemmas[i] = value
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


@Language.factory(FACTORY)
def make_indexed_lemmatizer(nlp: Language, name: str) -> IndexedLemmatizer:
    return IndexedLemmatizer(nlp.vocab, name)


def index_lemmas(nlp: Language) -> Language:
    """Wrap ``nlp``'s spaCy lemmatizer (rule or lookup mode) in an :class:`IndexedLemmatizer`."""
    if "lemmatizer" not in nlp.pipe_names:
        return nlp
    original = nlp.get_pipe("lemmatizer")
    if not isinstance(original, Lemmatizer) or original.mode not in TOKEN_LOCAL_MODES:
        return nlp
    nlp.replace_pipe("lemmatizer", FACTORY).wrap(original)
    return nlp
