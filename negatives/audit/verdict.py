"""Blind-panel accuracy, the per-group verdict, and the ``audit.json`` / ``audit.md`` files.

A blind scorer's pairwise accuracy counts a tie as half a win: with no information a blind scorer
picks one of two equal candidates at random, so a set of pure swaps puts the length scorer at
exactly 50% (``strict`` counts ties as failures, as ``probes.metrics`` does). A group is *flagged*
only on evidence: it has at least :data:`MIN_PAIRS` pairs, and a blind scorer is outside
40%-60% (below 40% is the same artifact, inverted) with a 95% interval that excludes 50%, or a
surface tell splits more than 60% of its pairs one way with an interval above 50%. A smaller group
is reported as too small to judge. Each flag names its cause, its direction, three example pairs
and the remedy (:mod:`negatives.audit.advice`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from negatives.audit.tells import DEFINITIONS, side
from probes.metrics import wilson

THRESHOLD = 0.60
MIN_PAIRS = 10  # fewer pairs in a group: too few to judge, never flagged
EPS = 1e-9


def outcomes(margins: np.ndarray) -> np.ndarray:
    """Per pair: 1 when the positive scores higher, 0.5 on a tie, 0 when the distractor does."""
    m = np.asarray(margins, dtype=float)
    return np.where(m > EPS, 1.0, np.where(m < -EPS, 0.0, 0.5))


def blind_accuracy(margins: np.ndarray) -> dict[str, Any]:
    """Pairwise accuracy of one blind scorer with a Wilson 95% interval (ties count half)."""
    out = outcomes(margins)
    n = int(out.size)
    wins = float(out.sum())
    lo, hi = wilson(wins, n)  # type: ignore[arg-type]  # a half-win is a valid count for the interval
    return {
        "n": n,
        "accuracy": wins / n if n else None,
        "lo": lo if n else None,
        "hi": hi if n else None,
        "ties": int(np.sum(out == 0.5)),
        "strict": float(np.sum(out == 1.0)) / n if n else None,
    }


def _evidence(share: float, n: int, threshold: float, both_sides: bool) -> tuple[float, float] | None:
    """The Wilson interval of ``share`` over ``n`` pairs when it shows an effect past ``threshold``
    (above it, or with ``both_sides`` below ``1 - threshold`` too) whose interval excludes 50%, in a
    group of enough pairs; else None."""
    past = share > threshold or (both_sides and share < 1 - threshold)
    if n < MIN_PAIRS or not past:
        return None
    lo, hi = wilson(share * n, n)  # type: ignore[arg-type]  # half-wins make a valid count
    return (lo, hi) if lo > 0.5 or hi < 0.5 else None


def verdict(
    tells: Mapping[str, Any], blind: Mapping[str, Mapping[str, Any]], pairs: int, threshold: float = THRESHOLD
) -> dict[str, Any]:
    """Flag a group when a blind scorer or a surface tell gives the answer away, on evidence.

    ``causes`` hold each flag's kind (``blind`` or ``tell``), name, direction (``positive`` /
    ``distractor``: what a blind scorer prefers; ``higher`` / ``lower``: the distractor's side of a
    tell) and interval; ``reasons`` say the same in words."""
    causes: list[dict[str, Any]] = []
    for name, acc in sorted(blind.items()):
        a = acc["accuracy"]
        interval = None if a is None else _evidence(a, acc["n"], threshold, both_sides=True)
        if interval:
            causes.append({"kind": "blind", "name": name, "direction": "positive" if a > 0.5 else "distractor",
                           "share": a, "lo": interval[0], "hi": interval[1]})
    directions = {name: (t["split"], "higher" if t["distractor_higher"] >= t["distractor_lower"] else "lower", pairs)
                  for name, t in tells["tells"].items()}
    if tells.get("position"):
        position = tells["position"]
        directions["position"] = (position["split"], "higher" if position["positive_first"] >= 0.5 else "lower", position["n"])
    for name, (split, side, n) in sorted(directions.items()):
        interval = _evidence(split, n, threshold, both_sides=False)  # a split is the larger side
        if interval:
            causes.append({"kind": "tell", "name": name, "direction": side, "share": split, "lo": interval[0], "hi": interval[1]})
    return {"flagged": bool(causes), "too_few": pairs < MIN_PAIRS, "reasons": [reason(c) for c in causes], "causes": causes}


def reason(cause: Mapping[str, Any]) -> str:
    """One flag in words, with its direction and interval."""
    interval = f"[{percent(cause['lo'])}, {percent(cause['hi'])}]"
    if cause["kind"] == "blind":
        picks = "the positive" if cause["direction"] == "positive" else "the distractor"
        return f"blind scorer {cause['name']} picks {picks} in {percent(cause['share'])}% of pairs {interval}"
    return f"tell {cause['name']}: {side(cause['name'], cause['direction'])} in {percent(cause['share'])}% of pairs {interval}"


def percent(x: float | None) -> str:
    """A share as a percentage with one decimal, or n/a."""
    return "n/a" if x is None else f"{100 * x:.1f}"


def markdown(report: Mapping[str, Any]) -> str:
    """A short human-readable audit: the table, then for each flagged group why, three example pairs
    and the remedy, then what each tell means."""
    scorers = list(report["scorers"])
    lines = [
        "# Artifact audit",
        "",
        f"{report['records']} records, {report['pairs']} (positive, distractor) pairs, "
        f"{report['flagged']} of {len(report['groups'])} (engine, level) groups flagged. "
        f"Flag: at least {MIN_PAIRS} pairs, and a blind scorer outside {1 - THRESHOLD:.0%}-{THRESHOLD:.0%} pairwise "
        f"accuracy (ties count half) with a 95% interval excluding 50%, or a surface tell splitting more than "
        f"{THRESHOLD:.0%} of pairs one way with an interval above 50%.",
        "",
        "| engine | level | pairs | longer % | same words % | strongest tell | "
        + " | ".join(f"{s} % [CI]" for s in scorers)
        + " | verdict |",
        "|" + "---|" * (7 + len(scorers)),
    ]
    for g in report["groups"]:
        tells = dict(g["tells"])
        if g["position"]:
            tells["position"] = g["position"]
        name, top = max(tells.items(), key=lambda kv: kv[1]["split"])
        blind = [
            f"{percent(b['accuracy'])} [{percent(b['lo'])}, {percent(b['hi'])}]" for b in (g["blind"][s] for s in scorers)
        ]
        state = "FLAGGED" if g["verdict"]["flagged"] else f"too few pairs (< {MIN_PAIRS})" if g["verdict"]["too_few"] else "ok"
        lines.append(
            f"| {g['engine']} | {g['level'] if g['level'] is not None else '-'} | {g['pairs']} "
            f"| {percent(g['distractor_longer'])} | {percent(g['same_bag_of_words'])} | {name} {percent(top['split'])} | "
            + " | ".join(blind)
            + f" | {state} |"
        )
    flagged = [g for g in report["groups"] if g["verdict"]["flagged"]]
    if flagged:
        lines += ["", "## Why flagged, and what to do", ""]
    for g in flagged:
        v = g["verdict"]
        lines += [f"### {g['engine']} level {g['level'] if g['level'] is not None else '-'}", ""]
        lines += [f"- {r}" for r in v["reasons"]]
        lines += [f"- remedy: {v['remedy']}", ""]
        for e in v["examples"]:
            lines.append(f"  - ({e['op']}) {e['positive']!r} -> {e['distractor']!r}: {e['why']}")
        lines.append("")
    lines += ["", "## Tells", "",
              "A tell splits a group when one side holds in most pairs: a blind rule (pick the shorter, pick the "
              "one with a full stop) then wins without the anchor. Each compares the distractor with its positive:", ""]
    lines += [f"- `{name}`: {what}; higher: {higher}; lower: {lower}" for name, (what, higher, lower) in DEFINITIONS.items()]
    return "\n".join(lines) + "\n"


def write_audit(report: Mapping[str, Any], out_dir: str | Path, overwrite: bool = False) -> tuple[Path, Path]:
    """Write ``audit.json`` and ``audit.md`` into ``out_dir``, committed together (with the active
    plan's other files when that plan holds them)."""
    from negatives.outputs import plan_files
    from negatives.writers import atomic_open, write_json

    out_dir = Path(out_dir)
    json_path, md_path = out_dir / "audit.json", out_dir / "audit.md"
    with plan_files((json_path, md_path), overwrite, "audit file"):
        write_json(json_path, report, overwrite)
        with atomic_open(md_path, overwrite) as fh:
            fh.write(markdown(report))
    return json_path, md_path
