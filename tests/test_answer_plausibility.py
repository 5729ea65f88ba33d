"""A text item's distractors scored by a causal LM given the question (generate --question-lm)."""

from __future__ import annotations

import math

from negatives.answer_plausibility import MIDPOINT, SCALE, QuestionPlausibility
from negatives.records import Distractor, Record


def record(question: str, positive: str, *wrong: tuple[str, str]) -> Record:
    return Record("q", "text", {"text": question}, positive, [Distractor(t, engine, "op") for t, engine in wrong])


def test_plausibility_is_the_per_token_likelihood_against_the_positive_and_random_answers_stay_easy() -> None:
    asked = []

    def logprobs(pairs):  # a made-up LM: -1 nat per token, -3 for "Jupiter."
        asked.extend(pairs)
        return [(-3.0 if c == "Jupiter." else -float(len(c.split())), len(c.split())) for _, c in pairs]

    check = QuestionPlausibility(logprobs, "fake")
    r = record("What colour is a ripe banana?", "Yellow.", ("Green.", "answer"), ("Jupiter.", "neighbours"), ("Ten legs.", "random"))
    check(r)
    green, jupiter, legs = (d.meta.get("signals", {}) for d in r.distractors)
    assert green == {"question_lm": 0.0, "plausibility": round(1 / (1 + math.exp(MIDPOINT / SCALE)), 4)}
    assert jupiter["question_lm"] == -2.0 and jupiter["plausibility"] < 0.2 and legs == {}
    assert asked[0] == ("Question: What colour is a ripe banana?\nAnswer:", "Yellow.") and len(asked) == 3
    assert check.to_dict()["preferred_to_positive"] == {"answer.op": {"scored": 1, "share": 0.0}, "neighbours.op": {"scored": 1, "share": 0.0}}
    other = QuestionPlausibility(logprobs, "fake")  # a worker's counts add up in the parent
    other.add_counts(check.counts())
    assert other.counts() == check.counts() and (check.reset_counts() or not check.scored)
    bare = Record("b", "text", {}, "Yellow.", [Distractor("Green.", "answer", "op")])
    check(bare)  # no question: nothing to ask
    assert bare.distractors[0].meta == {}


def test_the_default_lm_finds_answers_of_the_asked_kind_likelier() -> None:
    from probes.scorers.lm import causal_lm

    check = QuestionPlausibility(lambda pairs: causal_lm(None).logprobs(pairs), "default")
    spider = record("How many legs does a spider have?", "Eight legs.", ("Six legs.", "answer"), ("The Nile.", "neighbours"))
    tower = record("Where is the Eiffel Tower?", "In Paris.", ("In London.", "entity"), ("Carbon dioxide.", "neighbours"))
    for r in (spider, tower):
        check(r)
        right_kind, wrong_kind = (d.meta["signals"]["plausibility"] for d in r.distractors)
        assert right_kind > 5 * wrong_kind
