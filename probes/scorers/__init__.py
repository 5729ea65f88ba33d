"""Scorer registry and the ``--scorer KIND[:model][,key=value...]`` spec parser.

Examples: ``lm``, ``lm:/models/my-lm,reduction=sum``, ``biencoder``, ``clip:ViT-B-32,pretrained=ckpt.pt``,
``blind-ngram,n=3``, ``lm-choice,orders=2``, ``lm,prompt="Q: {text} A: "``. Values are parsed as int,
float or bool when they look like one; ``\\n`` and ``\\t`` in a value become a newline and a tab (for
prompt templates); a value in double quotes is a string and keeps its spaces; a value cannot contain
a comma. ``blind`` expands to the whole blind panel. Built-ins are imported only when built, so
nothing heavy is imported by ``import probes.scorers``. :func:`check_specs` and
:func:`check_fit` refuse a bad spec and a scorer that cannot score the set before any model loads.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from negatives.errors import UsageError
from probes.scorers.base import BuiltinScorer, EmbeddingScorer, ImagePath, ItemScorer, PairScorer, Scorer, describe

__all__ = [
    "EmbeddingScorer",
    "ImagePath",
    "ItemScorer",
    "PairScorer",
    "Scorer",
    "ScorerError",
    "build_scorer",
    "build_scorers",
    "check_fit",
    "check_specs",
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
BLIND_OPTIONS = "the blind panel takes no options; use blind-length, blind-ngram, blind-prior"
FIT = {  # (part, kind) -> (what the items have, which scorers take it)
    ("anchor", "image"): ("an image anchor", "use clip, or lm / blind, which ignore the image"),
    ("anchor", "none"): ("no anchor", "use lm or blind, which need no anchor"),
    ("anchor", "text"): ("a text anchor", "use biencoder, crossencoder, lm or blind"),
    ("candidate", "image"): ("image candidates", "use clip, the scorer that reads images"),
    ("candidate", "text"): ("text candidates", "use a text scorer (biencoder, lm, blind)"),
}


class ScorerError(UsageError, ValueError):
    """A scorer spec that cannot be built, or a scorer that cannot score the set (the message says why)."""


def register(kind: str, factory: Callable[..., Any]) -> None:
    """Make ``--scorer KIND[:model][,k=v...]`` call ``factory(model, **options)`` (or ``factory(**options)``)."""
    _registry[kind] = factory


def _factory(kind: str) -> Callable[..., Any]:
    if kind in _registry:
        return _registry[kind]
    if kind not in BUILTINS:
        known = ", ".join(sorted({*BUILTINS, *_registry, "blind"}))
        raise ScorerError(f"unknown scorer kind {kind!r}; known: {known}")
    module, name = BUILTINS[kind].split(":")
    return getattr(importlib.import_module(module), name)


def _value(raw: str) -> Any:
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':  # quoted: a string, spaces kept
        raw = raw[1:-1]
    else:
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
            raise ScorerError(f"scorer spec {spec!r}: expected key=value, got {pair!r}")
        options[key.strip().replace("-", "_")] = _value(raw.strip())
    if not kind:
        raise ScorerError(f"scorer spec {spec!r} names no kind")
    return kind.strip(), model.strip() or None, options


def build_scorer(spec: str) -> Any:
    """One scorer from a spec (``blind`` is a panel: use :func:`build_scorers`)."""
    kind, model, options = parse_spec(spec)
    factory = _factory(kind)
    try:
        return factory(model, **options) if model is not None else factory(**options)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, ScorerError):
            raise
        raise ScorerError(f"scorer spec {spec!r}: {exc}") from exc


def build_scorers(specs: Sequence[str], records: Sequence[Any] = ()) -> dict[str, Any]:
    """Name -> scorer for each spec; ``blind`` (optionally ``blind:LM``) expands to the blind panel."""
    out: dict[str, Any] = {}
    for spec in specs:
        kind, model, options = parse_spec(spec)
        if kind == "blind":
            from probes.scorers.blind import blind_panel

            if options:
                raise ScorerError(BLIND_OPTIONS)
            out.update({f"blind-{name}": scorer for name, scorer in blind_panel(records, model).items()})
        else:
            out[spec] = build_scorer(spec)
    return out


def check_specs(specs: Sequence[str]) -> None:
    """Build every spec once (cheap: models load on first use) so a bad one fails before any work."""
    if not specs:
        raise ScorerError("no scorer given; pass --scorer KIND (e.g. lm, biencoder, clip, blind)")
    for spec in specs:
        kind, _, options = parse_spec(spec)
        if kind != "blind":
            build_scorer(spec)
        elif options:
            raise ScorerError(BLIND_OPTIONS)


def _kinds(record: Any) -> tuple[str, str]:
    anchor = "text" if record.anchor_text is not None else "image" if record.anchor_image is not None else "none"
    return anchor, "image" if any(d.text is None for d in record.distractors) else "text"


def check_fit(scorers: Mapping[str, Any], records: Sequence[Any]) -> None:
    """Refuse a built-in scorer that cannot score some item of ``records`` (checked before scoring)."""
    kinds = Counter(_kinds(r) for r in records if r.distractors)
    for name, scorer in scorers.items():
        if not isinstance(scorer, BuiltinScorer):
            continue
        for (anchor, candidate), n in sorted(kinds.items()):
            for part, kind, accepted in (("anchor", anchor, scorer.anchors), ("candidate", candidate, scorer.candidates)):
                if kind not in accepted:
                    what, hint = FIT[(part, kind)]
                    raise ScorerError(f"the {name} scorer cannot score this set: {n} item(s) have {what}; {hint}")
