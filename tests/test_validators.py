"""Validators: each check accepts a good candidate and rejects its specific defect."""

from __future__ import annotations

from negatives.engines.base import Candidate
from negatives.records import Edit
from negatives.validators import (
    Item,
    agreement_preserved,
    agreement_violations,
    distinct,
    edit_reproduces,
    normalise,
    surface_preserved,
    unique,
    validate,
)

POS = "A dog is sitting on a bed "


def cand(text: str, start: int = 2, end: int = 5, new: str = "cat") -> Candidate:
    return Candidate(text, "test", Edit((start, end), POS[start:end], new))


def test_good_candidate_passes_all():
    assert validate(cand("A cat is sitting on a bed "), Item(POS)) is None


def test_edit_must_reproduce_text():
    assert not edit_reproduces(cand("A cow is sitting on a bed "), Item(POS))


def test_surface_trailing_space_and_capital():
    assert not surface_preserved(cand("A cat is sitting on a bed."), Item(POS))
    assert not surface_preserved(cand("A cat is sitting on a bed"), Item(POS))
    assert not surface_preserved(cand("a cat is sitting on a bed "), Item(POS))
    assert not surface_preserved(cand("A cat is  sitting on a bed "), Item(POS))


def test_agreement():
    assert agreement_violations("a apple") == 1 and agreement_violations("an apple") == 0
    assert agreement_violations("two dogs are running") == 0
    assert agreement_violations("two dog is running") >= 1
    assert agreement_violations("a dogs are running") >= 1
    # plurals that are also lemmas ("games", "courses") and irregular ones ("people") are plural
    for text in ("two games of frisbee", "three people riding", "two people are", "two courses"):
        assert agreement_violations(text) == 0, text
    assert agreement_violations("a people") == 1 and agreement_violations("two buses is") == 1
    # prepositions end a noun run even where lemminflect knows them as nouns ("up", "above")
    assert agreement_violations("A man riding two skateboards up the side of a ramp.") == 0
    assert agreement_violations("three sandwiches above a plate") == 0
    assert not agreement_preserved(cand("Two dog is sitting on a bed ", 0, 5, "Two dog"), Item(POS))
    assert agreement_preserved(cand("Two dogs are sitting on a bed ", 0, 8, "Two dogs are"), Item(POS))


def test_distinct_from_positive_and_siblings():
    assert normalise("A Dog,  is sitting!") == "a dog is sitting"
    item = Item(POS, siblings=("A cat is sitting on a bed.",))
    assert not distinct(cand("a dog is sitting on a bed "), item)
    assert not distinct(cand("A cat is sitting on a bed "), item)


def test_unique_among_kept():
    item = Item(POS, kept={normalise("A cat is sitting on a bed")})
    assert not unique(cand("A cat is sitting on a bed "), item)
    assert validate(cand("A cat is sitting on a bed "), item) == "unique"
