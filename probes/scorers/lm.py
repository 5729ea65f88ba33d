"""Causal-LM scorers: the log-likelihood of a candidate given a prompt built from the anchor.

Prompt: a text anchor fills the ``prompt`` template (default ``"{text}\\n"``). A causal LM cannot see
an image, so an image anchor gives the fixed ``image_prompt`` (default empty: on an image-caption
set ``lm`` is then exactly the blind prior and shares its cache; ``image_prompt="Image caption: "``
asks how caption-like each candidate is instead). No anchor gives the empty prompt. Every sequence
starts with a start-of-document token (``<|endoftext|>`` when the vocabulary has it, else BOS,
else EOS); ``start=false`` leaves it out before a non-empty prompt, as lm-eval's ``hf`` backend
encodes a non-empty context (an empty prompt keeps it: something must predict the first token). Batches are sized by their real (padded) token count, :data:`TOKENS_PER_BATCH` at most,
and a sequence longer than that is cut to it: the prompt loses its beginning first, then the
candidate its end (counted in ``describe()`` as ``truncated``). Reductions:

* ``sum`` — total log-probability of the candidate's tokens (favours short candidates);
* ``mean`` — per-token average;
* ``mutual-info`` — ``sum`` minus the candidate's ``sum`` under the empty prompt, i.e. how much the
  anchor raises the candidate's likelihood.

``blind=True`` ignores the anchor altogether (the ``blind-prior`` scorer: empty prompt). Candidates
are scored without leading/trailing whitespace; a prompt ending in a space is tokenized without it
and the candidate with a leading space, as in running text. :class:`CausalLM` wraps one loaded
model and caches log-probabilities per unique (prompt, candidate), shared by every scorer using it,
in memory and on disk (:mod:`probes.scorers.lm_cache`: a later run reads them back).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Sequence
from typing import Any

from negatives.batching import token_batches
from negatives.progress import Progress
from probes.scorers.lm_cache import open_cache
from probes.scorers.base import Anchor, PairScorer

REDUCTIONS = ("sum", "mean", "mutual-info")
DEFAULT_PROMPT = "{text}\n"
DEFAULT_IMAGE_PROMPT = ""
DOCUMENT_START = "<|endoftext|>"
TOKENS_PER_BATCH = 1024
LOGPROB_ROWS = 128  # positions turned into log-probabilities at once


class CausalLM:
    """A loaded causal LM with batched, cached candidate log-probabilities."""

    def __init__(self, name: str | None = None) -> None:
        from negatives.models import causal_lm_dir, load_causal_lm

        self.name = name
        self.model, self.tokenizer = load_causal_lm(name)
        self.disk = open_cache(causal_lm_dir(name), f"tokens_per_batch={TOKENS_PER_BATCH}")
        self.model.eval()
        tok = self.tokenizer
        vocab = tok.get_vocab()
        self.start = vocab[DOCUMENT_START] if DOCUMENT_START in vocab else tok.bos_token_id if tok.bos_token_id is not None else tok.eos_token_id
        self.pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
        self.cache: dict[tuple[str, str, bool], tuple[float, int]] = {}
        self.truncated = 0  # sequences cut to TOKENS_PER_BATCH tokens
        self.keeps_logits = "logits_to_keep" in inspect.signature(self.model.forward).parameters

    def encode(self, text: str) -> list[int]:
        return self.tokenizer(text, add_special_tokens=False)["input_ids"] if text else []

    def forward(self, sequences: list[list[int]], keep: list[int] | None = None) -> Any:
        """Logits of a right-padded batch: a tensor [batch, length, vocab], or [batch, len(keep), vocab]
        for the positions ``keep`` only (only those are projected onto the vocabulary when the
        model's forward takes ``logits_to_keep``)."""
        import torch

        width = max(len(s) for s in sequences)
        ids = torch.full((len(sequences), width), self.pad, dtype=torch.long)
        mask = torch.zeros((len(sequences), width), dtype=torch.long)
        for row, seq in enumerate(sequences):
            ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
            mask[row, : len(seq)] = 1
        with torch.inference_mode():
            if keep is None:
                return self.model(input_ids=ids, attention_mask=mask).logits
            positions = torch.tensor(keep, dtype=torch.long)
            if self.keeps_logits:
                return self.model(input_ids=ids, attention_mask=mask, logits_to_keep=positions).logits
            return self.model(input_ids=ids, attention_mask=mask).logits[:, positions]

    def _split(self, prompt: str, candidate: str, start: bool) -> tuple[list[int], list[int]]:
        """Token ids of the (start token +) prompt, and of the candidate, cut to TOKENS_PER_BATCH together."""
        lead = " " if prompt.endswith(" ") else ""
        head, cand = self.encode(prompt.rstrip(" ")), self.encode(lead + candidate) or [self.pad]
        first = [self.start] if start or not head else []
        room = TOKENS_PER_BATCH - len(first)
        if len(head) + len(cand) > room:
            self.truncated += 1
            cand = cand[: TOKENS_PER_BATCH - 1]  # at least one token before the candidate
            head = head[len(head) - (room - len(cand)) :]
        return [*first, *head], cand

    def logprobs(self, pairs: Sequence[tuple[str, str]], start: bool = True) -> list[tuple[float, int]]:
        """(summed log-probability of the candidate's tokens, token count) for each (prompt, candidate);
        ``start=False``: no start token before a non-empty prompt."""
        import torch

        keys = [(prompt, candidate, start or not prompt) for prompt, candidate in pairs]  # no prompt: always the start
        todo = sorted({k for k in keys if k not in self.cache})
        if self.disk is not None and todo:
            stored = self.disk.get(todo)
            self.cache.update(stored)
            todo = [k for k in todo if k not in stored]
        encoded = {k: self._split(*k) for k in todo}
        bar = Progress("lm scores", len(todo), "texts")
        for group in token_batches([len(encoded[p][0]) + len(encoded[p][1]) for p in todo], TOKENS_PER_BATCH):
            batch = [todo[i] for i in group]
            sequences = [encoded[p][0] + encoded[p][1] for p in batch]
            logits = self.forward(sequences)
            rows, cols, targets = [], [], []
            for row, p in enumerate(batch):
                prompt_len, cand = len(encoded[p][0]), encoded[p][1]
                for offset, token in enumerate(cand):
                    rows.append(row)
                    cols.append(prompt_len + offset - 1)  # the logits at position t predict token t+1
                    targets.append(token)
            token_lp: list[float] = []
            for at in range(0, len(rows), LOGPROB_ROWS):  # a few rows at a time: no second copy of the logits
                part = slice(at, at + LOGPROB_ROWS)
                picked = logits[torch.tensor(rows[part]), torch.tensor(cols[part])].float().log_softmax(-1)
                token_lp += picked[torch.arange(picked.shape[0]), torch.tensor(targets[part])].tolist()
            at = 0
            for p in batch:
                n = len(encoded[p][1])
                self.cache[p] = (float(sum(token_lp[at : at + n])), n)
                at += n
            if self.disk is not None:
                self.disk.put((p, self.cache[p]) for p in batch)
            bar.update(len(batch))
        bar.close()
        return [self.cache[k] for k in keys]


@functools.lru_cache(maxsize=4)
def causal_lm(name: str | None = None) -> CausalLM:
    """One :class:`CausalLM` (model + cache) per model name per process."""
    return CausalLM(name)


class LMScorer(PairScorer):
    """Log-likelihood of the candidate under a causal LM, given the anchor's prompt."""

    kind = "lm"
    loads_model = True

    def __init__(
        self,
        model: str | None = None,
        reduction: str = "mean",
        prompt: str = DEFAULT_PROMPT,
        image_prompt: str = DEFAULT_IMAGE_PROMPT,
        blind: bool = False,
        start: bool = True,
    ) -> None:
        if reduction not in REDUCTIONS:
            raise ValueError(f"lm reduction must be one of {', '.join(REDUCTIONS)}, got {reduction!r}")
        if "{text}" not in prompt:
            raise ValueError("the lm prompt template must contain {text}")
        try:
            prompt.format(text="")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"the lm prompt template may hold no field but {{text}} (write {{{{ for a brace): {exc!r}") from exc
        super().__init__(
            model=model, reduction=reduction, prompt=prompt, image_prompt=image_prompt, blind=bool(blind), start=bool(start)
        )
        self._lm: CausalLM | None = None
        if blind:
            self.kind = "blind-prior"

    @property
    def lm(self) -> CausalLM:
        if self._lm is None:
            self._lm = causal_lm(self.options["model"])
        return self._lm

    def describe(self) -> dict[str, Any]:
        out = super().describe()
        if self._lm is not None:
            out["truncated"] = self._lm.truncated
        return out

    def prompt_for(self, anchor: Anchor) -> str:
        if self.options["blind"]:
            return ""
        if "text" in anchor:
            return self.options["prompt"].format(text=anchor["text"])
        return self.options["image_prompt"] if "image" in anchor else ""

    def score_pairs(self, anchors: Sequence[Anchor], candidates: Sequence[str]) -> list[float]:
        texts = [c.strip() for c in candidates]
        conditional = self.lm.logprobs([(self.prompt_for(a), c) for a, c in zip(anchors, texts)], self.options["start"])
        reduction = self.options["reduction"]
        if reduction == "sum":
            return [s for s, _ in conditional]
        if reduction == "mean":
            return [s / n for s, n in conditional]
        prior = self.lm.logprobs([("", c) for c in texts])
        return [s - p for (s, _), (p, _) in zip(conditional, prior)]
