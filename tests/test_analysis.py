"""The shared parse step: noun phrases, verbs, relations, entities; picklable, no Doc kept."""

from __future__ import annotations

import pickle

from _fixtures_nlp import nlp, parse  # noqa: F401

from negatives.analysis import Parsed, analyze, number_value


def test_noun_phrases_attributes_and_number(parse):
    p = parse("Three small brown dogs are sitting on a wooden bench.")
    dogs, bench = p.nps
    assert (dogs.noun, dogs.lemma, dogs.count, dogs.plural) == ("dogs", "dog", 3, True)
    assert [(a.text, a.category) for a in dogs.attributes] == [("small", "size"), ("brown", "colour")]
    assert p.tokens[dogs.agree].text == "are"
    assert (bench.count, bench.plural, [a.category for a in bench.attributes]) == (1, False, ["material"])
    assert p.text[dogs.start : dogs.end] == "Three small brown dogs"


def test_compounds_and_multiword_prepositions(parse):
    p = parse("A tennis racket in front of a red brick building.")
    assert p.nps[0].noun == "tennis racket"
    assert [r.prep for r in p.relations] == ["in front of"]
    assert p.text[p.relations[0].start : p.relations[0].end] == "in front of"


def test_a_particle_with_an_object_of_its_own_is_a_preposition(parse):
    p = parse("A man skiing down a snowy hill.")  # "down" is tagged a particle, "hill" its object
    assert [(r.prep, p.nps[r.object].noun) for r in p.relations] == [("down", "hill")]


def test_verbs_subject_object(parse):
    p = parse("A man riding a wave on a surfboard.")
    v = p.verbs[0]
    assert v.lemma == "ride"
    assert p.nps[v.subject].noun == "man" and p.nps[v.object].noun == "wave"


def test_entities_only_with_ner(nlp):
    from negatives import models

    assert analyze(["Obama visited Paris."], nlp)[0].entities is None
    ents = analyze(["Obama visited Paris."], models.load_spacy(ner=True))[0].entities
    assert {e.label for e in ents} >= {"GPE"}


def test_picklable_and_light(parse):
    p = parse("Two dogs play.")
    assert isinstance(pickle.loads(pickle.dumps(p)), Parsed)
    assert "spacy" not in pickle.dumps(p).decode("latin-1")


def test_number_value():
    assert number_value("Three") == 3 and number_value("12") == 12 and number_value("dog") is None
