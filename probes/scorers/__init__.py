"""Scorer registry and the ``--scorer KIND[:model][,key=value...]`` spec parser.

Examples: ``lm``, ``lm:/models/my-lm,reduction=sum``, ``biencoder``, ``clip:ViT-B-32,pretrained=ckpt.pt``,
``blind-ngram,n=3``, ``lm-choice,orders=2``. Values are parsed as int, float or bool when they look like
one; ``\\n`` and ``\\t`` in a value become a newline and a tab (for prompt templates); a value cannot
contain a comma. ``blind`` expands to the whole blind panel. Built-ins are imported only when built,
so nothing heavy is imported by ``import probes.scorers``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any

from probes.scorers.base import EmbeddingScorer, ImagePath, ItemScorer, PairScorer, Scorer, describe

__all__ = [
    "EmbeddingScorer",
    "ImagePath",
    "ItemScorer",
    "PairScorer",
    "Scorer",
    "build_scorer",
    "build_scorers",
    "describe",
    "parse_spec",
    "register",
]

BUILTINS: dict[str, str] = {
    "clip": "probes.scorers.clip:ClipScorer",
    "biencoder": "probes.scorers.biencoder:BiencoderScorer",
    "crossencoder": "probes.scorers.crossencoder:CrossEncoderScorer",
    "lm": "probes.scorers.lm:LMScorer",
    "lm-choice": "probes.scorers.lm_choice:LMChoiceScorer",
    "blind-length": "probes.scorers.blind:LengthScorer",
    "blind-ngram": "probes.scorers.blind:NgramScorer",
    "blind-prior": "probes.scorers.blind:prior_scorer",
}
_registry: dict[str, Callable[..., Any]] = {}


def register(kind: str, factory: Callable[..., Any]) -> None:
    """Make ``--scorer KIND[:model][,k=v...]`` call ``factory(model, **options)`` (or ``factory(**options)``)."""
    _registry[kind] = factory


def _factory(kind: str) -> Callable[..., Any]:
    if kind in _registry:
        return _registry[kind]
    if kind not in BUILTINS:
        known = ", ".join(sorted({*BUILTINS, *_registry, "blind"}))
        raise ValueError(f"unknown scorer kind {kind!r}; known: {known}")
    module, name = BUILTINS[kind].split(":")
    return getattr(importlib.import_module(module), name)


def _value(raw: str) -> Any:
    lowered = raw.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("none", "null"):
        return None
    for convert in (int, float):
        try:
            return convert(raw)
        except ValueError:
            pass
    return raw.replace("\\n", "\n").replace("\\t", "\t")


def parse_spec(spec: str) -> tuple[str, str | None, dict[str, Any]]:
    """``"lm:name,reduction=sum"`` -> ``("lm", "name", {"reduction": "sum"})``."""
    head, *pairs = spec.strip().split(",")
    kind, _, model = head.partition(":")
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"scorer spec {spec!r}: expected key=value, got {pair!r}")
        options[key.strip().replace("-", "_")] = _value(raw.strip())
    if not kind:
        raise ValueError(f"scorer spec {spec!r} names no kind")
    return kind.strip(), model.strip() or None, options


def build_scorer(spec: str) -> Any:
    """One scorer from a spec (``blind`` is a panel: use :func:`build_scorers`)."""
    kind, model, options = parse_spec(spec)
    factory = _factory(kind)
    try:
        return factory(model, **options) if model is not None else factory(**options)
    except TypeError as exc:
        raise ValueError(f"scorer spec {spec!r}: {exc}") from exc


def build_scorers(specs: Sequence[str], records: Sequence[Any] = ()) -> dict[str, Any]:
    """Name -> scorer for each spec; ``blind`` (optionally ``blind:LM``) expands to the blind panel."""
    out: dict[str, Any] = {}
    for spec in specs:
        kind, model, options = parse_spec(spec)
        if kind == "blind":
            from probes.scorers.blind import blind_panel

            if options:
                raise ValueError("the blind panel takes no options; use blind-length, blind-ngram, blind-prior")
            out.update({f"blind-{name}": scorer for name, scorer in blind_panel(records, model).items()})
        else:
            out[spec] = build_scorer(spec)
    return out
