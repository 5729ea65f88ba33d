"""Session fixtures for the generation tests: one spaCy pipeline and a parse helper."""

from __future__ import annotations

import random

import pytest

from negatives.analysis import Parsed, analyze
from negatives.engines.base import Candidate, Context


@pytest.fixture(scope="session")
def nlp():
    from negatives import models

    return models.load_spacy()


@pytest.fixture(scope="session")
def parse(nlp):
    def _parse(text: str) -> Parsed:
        return analyze([text], nlp)[0]

    return _parse


@pytest.fixture(scope="session")
def propose(parse):
    """``propose(engine, text, op=None)`` -> candidate texts of that op (seed 0, empty corpus)."""

    def _propose(engine, text: str, op: str | None = None, **context) -> list[str]:
        cands: list[Candidate] = engine.propose(parse(text), Context.build(text, **context), random.Random(0))
        for c in cands:
            assert c.edit.apply(text) == c.text
        return [c.text for c in cands if op is None or c.op == op]

    return _propose
