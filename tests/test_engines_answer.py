"""Answer engine (text tasks): the one detail of a short answer changes: a number, a time, a colour."""

from __future__ import annotations

import pytest
from _fixtures_nlp import nlp, parse, propose  # noqa: F401

from negatives.engines.answer import AnswerEngine, near_values
from negatives.number_words import numbers, write_like


@pytest.mark.parametrize(
    ("text", "values"),
    [("Eight legs.", [8]), ("Twenty-four hours.", [24]), ("206 bones.", [206]), ("On the 25th of December.", [25]),
     ("1,000 people.", [1000]), ("eight-nine", [])],
)
def test_numbers_are_read_in_words_and_digits(text: str, values: list[int]) -> None:
    assert [n.value for n in numbers(text)] == values


def test_a_number_is_written_as_it_was() -> None:
    (words,), (digits,), (ordinal,), (thousands,) = (numbers(t) for t in ("Sixty minutes.", "88 keys.", "the 25th", "1,000 people"))
    assert (write_like(58, words), write_like(90, digits), write_like(22, ordinal), write_like(1200, thousands)) == (
        "Fifty-eight", "90", "22nd", "1,200")
    assert write_like(150, words) is None  # words stop at ninety-nine


def test_near_values_stay_near_and_never_reach_one() -> None:
    (legs,), (year,), (day,) = (numbers(t) for t in ("Eight legs.", "In 1945.", "On the 25th of December."))
    assert near_values(legs)[:4] == [6, 10, 7, 9] and 1 not in near_values(numbers("Two wheels.")[0])
    assert set(near_values(year)) <= set(range(1935, 1956)) and set(near_values(day)) <= set(range(1, 32))
    assert 900 in near_values(numbers("1,000 people.")[0])  # a thousand is no year


def test_issue_examples(propose) -> None:
    engine = AnswerEngine(alternatives=10)
    assert "Six legs." in propose(engine, "Eight legs.", "number", task="text")
    assert "In 1944." in propose(engine, "In 1945.", "number", task="text")
    assert "In spring." in propose(engine, "In autumn.", "time", task="text")
    assert "August." in propose(engine, "July.", "time", task="text")
    colours = propose(engine, "Yellow.", "colour", task="text")
    assert "Purple." in colours and "Orange." not in colours and "Gold." not in colours  # one shade, two names
    assert propose(engine, "Eight legs.") == []  # an image caption is the other engines' business
    assert propose(engine, "One leg.", task="text") == []  # "three leg": the noun would have to change
