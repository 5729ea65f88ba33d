"""Plausibility of a text task's distractors given the question: a causal LM reads the question and
scores every candidate answer against the positive.

    question_lm  = mean log p(distractor | prompt) - mean log p(positive | prompt)   (per token)
    plausibility = 1 / (1 + exp(-(question_lm - M) / S))                              (M = -1, S = 0.5)

so a distractor the LM finds as likely an answer as the positive gets plausibility 0.88, one a
nat per token less likely 0.5, and the difficulty (:mod:`negatives.difficulty`) of a lure the
question makes unlikely ("Jupiter." for the largest ocean) falls. It replaces the caption
plausibility of text items with a question (captions say little about answers) and is recorded as
``signals.question_lm``. Random answers of other items (engine ``random``) stay the easy negatives of
level 1, unscored. A distractor the LM prefers to the positive (``question_lm > 0``) is counted
by engine and operator: the share is a rough validity warning (a still-correct answer, or the
strongest lures), not a judgement.

The LM comes in as a function (``negatives generate --question-lm`` passes the cached SmolLM2 of
:mod:`probes.scorers.lm`), so this module imports no model.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from negatives.answer_checks import EXEMPT
from negatives.records import Record

LogProbs = Callable[[Sequence[tuple[str, str]]], list[tuple[float, int]]]
"""(prompt, candidate) pairs -> (summed log-probability of the candidate's tokens, token count)."""
PROMPT = "Question: {text}\nAnswer:"
MIDPOINT, SCALE = -1.0, 0.5


class QuestionPlausibility:
    """A check (``GradedSetBuilder(checks=...)``) scoring a text item's distractors given its question."""

    def __init__(self, logprobs: LogProbs, model: str, prompt: str = PROMPT) -> None:
        self.logprobs = logprobs
        self.model = model
        self.prompt = prompt
        self.scored: Counter[str] = Counter()
        self.preferred: Counter[str] = Counter()

    def __call__(self, record: Record) -> None:
        question = record.anchor_text
        texts = [d for d in record.distractors if d.text is not None and d.engine not in EXEMPT]
        if record.task != "text" or not question or not texts:
            return
        prompt = self.prompt.format(text=question)
        scores = self.logprobs([(prompt, t.strip()) for t in (record.positive, *(d.text or "" for d in texts))])
        mean = [s / max(n, 1) for s, n in scores]
        for d, m in zip(texts, mean[1:]):
            delta = m - mean[0]
            signals = d.meta.setdefault("signals", {})
            signals["question_lm"] = round(delta, 3)
            signals["plausibility"] = round(1.0 / (1.0 + math.exp(-(delta - MIDPOINT) / SCALE)), 4)
            op = f"{d.engine}.{d.op}"
            self.scored[op] += 1
            self.preferred[op] += delta > 0

    def counts(self) -> tuple[Counter[str], Counter[str]]:
        """What this process scored (a worker sends it back to be added up)."""
        return Counter(self.scored), Counter(self.preferred)

    def reset_counts(self) -> None:
        self.scored.clear()
        self.preferred.clear()

    def add_counts(self, counts: tuple[Counter[str], Counter[str]]) -> None:
        self.scored.update(counts[0])
        self.preferred.update(counts[1])

    def to_dict(self) -> dict[str, Any]:
        """For the manifest: the model and prompt, and per operator the candidates scored and the share
        the LM prefers to the positive."""
        return {
            "model": self.model, "prompt": self.prompt, "midpoint": MIDPOINT, "scale": SCALE,
            "preferred_to_positive": {
                op: {"scored": n, "share": round(self.preferred[op] / n, 4)} for op, n in sorted(self.scored.items())
            },
        }
