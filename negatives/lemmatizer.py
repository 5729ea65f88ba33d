"""A faster drop-in for spaCy's lemmatizer: the same lemmas, answered from a table.

spaCy's rule lemmatizer visits every token in Python and, for base forms (singular nouns, plain
adjectives: most caption words), reads the token's morphology into a dict on every call without
caching the answer. For spaCy's own ``Lemmatizer`` and the English one, the answer depends only on
the token's text, part of speech and morphology (only on the text in lookup mode), so the indexed
classes read those three columns with ``Doc.to_array``, lemmatize once per distinct triple and
write all lemmas back with ``Doc.from_array``. Tokens that already have a lemma (set by the
attribute ruler) keep it unless the lemmatizer overwrites, as in spaCy. :func:`index_lemmas`
re-classes a loaded pipeline's lemmatizer in place, so its tables, saving and loading are spaCy's.
Lemmatizers of other languages (Spanish reads the sentence start, for one) are left alone.
"""

from __future__ import annotations

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

TABLE_SIZE = 200_000
TOKEN_LOCAL_MODES = ("rule", "lookup")
"""Lemmatizer modes whose answer is a function of (text, POS, morphology) alone."""


class IndexedLemmatizer(Lemmatizer):
    """spaCy's :class:`Lemmatizer`, lemmatizing once per distinct (text, POS, morphology)."""

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self._validate_tables(Errors.E1004)
        columns = doc.to_array([ORTH, POS, MORPH, LEMMA])
        if not len(columns):
            return doc
        table: dict[tuple[int, int, int], str] = self.__dict__.setdefault("_lemma_table", {})
        strings, lemmas, ids = self.vocab.strings, columns[:, 3].copy(), {}
        for i, (orth, pos, morph, lemma) in enumerate(columns.tolist()):
            if lemma and not self.overwrite:
                continue
            key = (orth, pos, morph)
            if key not in ids:  # strings are added per doc: a closed memory zone may have dropped them
                text = table.get(key)
                if text is None:
                    text = self.lemmatize(doc[i])[0]
                    if len(table) >= TABLE_SIZE:
                        table.clear()
                    table[key] = text
                ids[key] = strings.add(text)
            lemmas[i] = ids[key]
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


class IndexedEnglishLemmatizer(IndexedLemmatizer, EnglishLemmatizer):
    """spaCy's :class:`EnglishLemmatizer` (its base-form test reads only POS and morphology), indexed."""


INDEXED: dict[type, type] = {Lemmatizer: IndexedLemmatizer, EnglishLemmatizer: IndexedEnglishLemmatizer}


def index_lemmas(nlp: Language) -> Language:
    """Make ``nlp``'s lemmatizer, when it is spaCy's own or the English one in rule or lookup mode,
    an indexed one (in place: its tables and configuration stay)."""
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer = nlp.get_pipe("lemmatizer")
        indexed = INDEXED.get(type(lemmatizer))
        if indexed is not None and lemmatizer.mode in TOKEN_LOCAL_MODES:
            lemmatizer.__class__ = indexed
    return nlp
