"""Multiple-choice prompting: the causal LM picks a lettered option (the *selective* half of the
Generative AI Paradox, next to :mod:`probes.scorers.lm`'s likelihood on the same items).

Each item is asked ``orders`` times (default 4, at most once per option) with the options in
cyclic rotations of a seeded shuffle, so every option visits a different letter and a model's
position bias cancels out when there are at most ``orders`` options. The answer is read, not
generated: a candidate's score is the probability of its letter as the next token after the prompt
(softmax over the option letters only), averaged over the orders. ``format=plain`` (default) ends
the prompt with ``Answer:`` and reads `` A``, `` B``...; ``format=chat`` wraps the question in the
tokenizer's chat template and reads ``A``, ``B``... as the assistant's first token. The question
wording is an option too.

Measured on SmolLM2-135M-Instruct (COCO: anchor = one caption of an image, right = another caption
of it, wrong = a caption of a random other image; two options, both orders): ``plain`` 61% (n=150,
Wilson 95% CI 53-69%), ``chat`` 30% (n=80: it prefers the wrong caption). A 135M model barely
does lettered multiple choice; larger LMs load by name (``lm-choice:NAME``).
"""

from __future__ import annotations

import random
import string
import zlib
from collections.abc import Sequence

from negatives.batching import token_batches
from probes.scorers.base import Anchor, ItemScorer
from probes.scorers.lm import TOKENS_PER_BATCH, causal_lm

QUESTION = "Which option is the correct description?"
TEXT_QUESTION = "Text: {text}\nWhich option describes the same thing as the text?"
INSTRUCTION = "Answer with the letter of the correct option only."
FORMATS = ("plain", "chat")


class LMChoiceScorer(ItemScorer):
    """Probability that the LM answers each candidate's letter, averaged over option orders."""

    kind = "lm-choice"
    loads_model = True

    def __init__(
        self,
        model: str | None = None,
        orders: int = 4,
        seed: int = 0,
        question: str = QUESTION,
        text_question: str = TEXT_QUESTION,
        format: str = "plain",  # noqa: A002 - the option's name on the command line
    ) -> None:
        if orders < 1:
            raise ValueError("lm-choice needs orders >= 1")
        if format not in FORMATS:
            raise ValueError(f"lm-choice format must be one of {', '.join(FORMATS)}, got {format!r}")
        try:
            text_question.format(text="")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"the lm-choice text_question may hold no field but {{text}}: {exc!r}") from exc
        super().__init__(model=model, orders=int(orders), seed=int(seed), question=question, text_question=text_question,
                         format=format)

    def orderings(self, candidates: Sequence[str]) -> list[list[int]]:
        """Seeded option orders for one item (independent of PYTHONHASHSEED)."""
        k = len(candidates)
        if k > len(string.ascii_uppercase):
            raise ValueError(f"lm-choice supports at most 26 options, got {k}")
        salt = zlib.crc32("\x1f".join(candidates).encode("utf-8"))
        base = list(range(k))
        random.Random(self.options["seed"] * 1_000_003 + salt).shuffle(base)
        return [base[r:] + base[:r] for r in range(min(self.options["orders"], k))]

    def prompt(self, anchor: Anchor, options: Sequence[str]) -> str:
        head = self.options["text_question"].format(text=anchor["text"]) if "text" in anchor else self.options["question"]
        lines = [head, *(f"{string.ascii_uppercase[i]}. {o.strip()}" for i, o in enumerate(options)), INSTRUCTION]
        user = "\n".join(lines)
        if self.options["format"] == "plain":
            return user + "\nAnswer:"
        tok = causal_lm(self.options["model"]).tokenizer
        if not getattr(tok, "chat_template", None):
            name = self.options["model"] or "the default LM"
            raise ValueError(f"lm-choice format=chat needs a tokenizer with a chat template ({name} has none); use format=plain")
        return tok.apply_chat_template([{"role": "user", "content": user}], tokenize=False, add_generation_prompt=True)

    def score_items(self, items: Sequence[tuple[Anchor, Sequence[str]]]) -> list[list[float]]:
        lm = causal_lm(self.options["model"])
        lead = " " if self.options["format"] == "plain" else ""
        letters = [lm.encode(lead + letter)[-1] for letter in string.ascii_uppercase]
        jobs: list[tuple[int, list[int]]] = []  # (item index, order)
        sequences: list[list[int]] = []
        for i, (anchor, cands) in enumerate(items):
            for order in self.orderings(cands):
                jobs.append((i, order))
                sequences.append([lm.start, *lm.encode(self.prompt(anchor, [cands[j] for j in order]))])
        scores = [[0.0] * len(cands) for _, cands in items]
        for group in token_batches([len(seq) for seq in sequences], TOKENS_PER_BATCH, max_size=16):
            batch = [sequences[j] for j in group]
            ends = sorted({len(seq) - 1 for seq in batch})
            logits = lm.forward(batch, keep=ends)  # only the answer positions
            for row, j in enumerate(group):
                i, order = jobs[j]
                at = ends.index(len(sequences[j]) - 1)
                probs = logits[row, at, letters[: len(order)]].float().softmax(-1).tolist()
                for position, candidate in enumerate(order):
                    scores[i][candidate] += probs[position] / min(self.options["orders"], len(order))
        return scores
