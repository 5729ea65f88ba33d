"""Count engine: numeral, noun number and verb agreement change together."""

from __future__ import annotations

import pytest
from _fixtures_nlp import nlp, parse, propose  # noqa: F401

from negatives.engines.count import CountEngine


def test_issue_examples(propose):
    engine = CountEngine(max_delta=2, alternatives=4)  # every new count
    assert "Three dogs are playing in the park." in propose(engine, "Two dogs are playing in the park.")
    assert "Two dogs are sitting on the bed." in propose(engine, "A dog is sitting on the bed.")
    assert "one cat sits on a table" in propose(engine, "three cats sit on a table")


def test_one_is_also_said_with_an_article(propose):
    engine = CountEngine(max_delta=2, alternatives=4)
    out = propose(engine, "Two old men are sitting on a bench.")
    assert "An old man is sitting on a bench." in out and "One old man is sitting on a bench." in out
    assert "the one cat sleeps" in propose(engine, "the two cats sleep")
    assert not any(t.startswith("the a ") for t in propose(engine, "the two cats sleep"))


def test_digits_stay_digits_and_delta_recorded(parse):
    import random

    from negatives.engines.base import Context

    text = "There are 3 buses parked on the street."
    cands = CountEngine(max_delta=1).propose(parse(text), Context.build(text), random.Random(0))
    texts = {c.text: c.edit.extra["delta"] for c in cands}
    assert texts["There are 4 buses parked on the street."] == 1
    assert texts["There are 2 buses parked on the street."] == 1
    assert all(d <= 1 for d in texts.values())


def test_max_delta_bounds_the_change(parse):
    import random

    from negatives.engines.base import Context

    text = "Five horses run in a field."
    for d in (1, 3):
        cands = CountEngine(max_delta=d).propose(parse(text), Context.build(text), random.Random(0))
        assert cands and all(1 <= c.edit.extra["delta"] <= d for c in cands)
    with pytest.raises(ValueError):
        CountEngine(max_delta=0)


def test_pronoun_blocks_number_change(propose):
    out = propose(CountEngine(), "A dog with its ball.")
    assert not any(t.startswith(("Two", "Three")) for t in out)


def test_plural_only_when_asked(propose):
    text = "A dog is sitting on the bed."
    assert propose(CountEngine(), text, "plural") == []
    assert propose(CountEngine(plurals=True), text, "plural") == ["Dogs are sitting on the bed."]
    assert "a man riding brown horses on the beach" in propose(CountEngine(plurals=True), "a man riding a brown horse on the beach", "plural")
    assert "A girl plays Wii games." in propose(CountEngine(plurals=True), "A girl plays a Wii game.", "plural")
    assert propose(CountEngine(plurals=True), "A dog with its ball.", "plural") == []  # "its" would no longer agree
    assert propose(CountEngine(plurals=True), "Two dogs are playing.", "plural") == []  # counted by a numeral


@pytest.mark.parametrize("text, expected", [
    ("Dogs are playing in the park.", ["A dog is playing in the park."]),
    ("Some people walking down a street", ["A person walking down a street"]),
    ("The cats sit on a bed.", ["The cat sits on a bed."]),
    ("There are elephants in the water.", ["There is an elephant in the water."]),
    ("Many old buses parked near a building.", ["An old bus parked near a building."]),
    ("A man with his hands up.", []),  # the possessive makes it "his hand"
    ("A group of people standing.", []),  # the group is what is counted
    ("A woman wearing glasses.", []),  # no singular of that meaning
    ("Zebras eat grass and their young watch.", []),  # "their" refers back
])
def test_singular_makes_an_uncounted_plural_one(propose, text, expected):
    assert propose(CountEngine(plurals=True), text, "singular") == expected
    assert propose(CountEngine(), text, "singular") == []  # only when asked


def test_case_of_compound_nouns_kept_and_reciprocals_block_a_singular(propose):
    engine = CountEngine(alternatives=4, plurals=True)
    assert "Two BBQ pits filled with hot dogs." in propose(engine, "A BBQ pit filled with hot dogs.", "change")
    out = propose(engine, "Two men standing next to one another, and both are smiling.", "change")
    assert out and not any(t.startswith(("One ", "A ")) for t in out)  # "one man ... next to one another"


def test_passive_relative_clause_agrees(propose):
    out = propose(CountEngine(alternatives=4), "A plate that has been filled with meat.", "change")
    assert "Two plates that have been filled with meat." in out
    assert not any("plates that has" in t for t in out)
