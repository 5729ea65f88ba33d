"""Blind-panel accuracy, the per-group verdict, and the ``audit.json`` / ``audit.md`` files.

A blind scorer's pairwise accuracy counts a tie as half a win: with no information a blind scorer
picks one of two equal candidates at random, so a set of pure swaps puts the length scorer at
exactly 50% (``strict`` counts ties as failures, as ``probes.metrics`` does). A group is *flagged*
when a blind scorer is more than ``THRESHOLD - 0.5`` away from chance in either direction (below
40% is the same artifact, inverted) or when a surface tell splits more than ``THRESHOLD`` of its
pairs one way.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from probes.metrics import wilson

THRESHOLD = 0.60
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


def verdict(tells: Mapping[str, Any], blind: Mapping[str, Mapping[str, Any]], threshold: float = THRESHOLD) -> dict[str, Any]:
    """Flag a group when any blind scorer or any surface tell gives the answer away."""
    reasons = []
    for name, acc in sorted(blind.items()):
        a = acc["accuracy"]
        if a is not None and abs(a - 0.5) > threshold - 0.5:
            side = "above" if a > 0.5 else "below"
            bound = threshold if a > 0.5 else 1 - threshold
            reasons.append(f"blind scorer {name} at {a:.1%} ({side} {bound:.0%})")
    splits = {name: t["split"] for name, t in tells["tells"].items()}
    if tells.get("position"):
        splits["position"] = tells["position"]["split"]
    for name, split in sorted(splits.items()):
        if split > threshold:
            reasons.append(f"tell {name} splits {split:.1%} of pairs")
    return {"flagged": bool(reasons), "reasons": reasons}


def percent(x: float | None) -> str:
    """A share as a percentage with one decimal, or n/a."""
    return "n/a" if x is None else f"{100 * x:.1f}"


def markdown(report: Mapping[str, Any]) -> str:
    """A short human-readable audit."""
    scorers = list(report["scorers"])
    lines = [
        "# Artifact audit",
        "",
        f"{report['records']} records, {report['pairs']} (positive, distractor) pairs, "
        f"{report['flagged']} of {len(report['groups'])} (engine, level) groups flagged. "
        f"Flag: a blind scorer outside {1 - THRESHOLD:.0%}-{THRESHOLD:.0%} pairwise accuracy (ties count half), "
        f"or a surface tell splitting more than {THRESHOLD:.0%} of pairs one way.",
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
        lines.append(
            f"| {g['engine']} | {g['level'] if g['level'] is not None else '-'} | {g['pairs']} "
            f"| {percent(g['distractor_longer'])} | {percent(g['same_bag_of_words'])} | {name} {percent(top['split'])} | "
            + " | ".join(blind)
            + f" | {'FLAGGED' if g['verdict']['flagged'] else 'ok'} |"
        )
    reasons = [(g, r) for g in report["groups"] for r in g["verdict"]["reasons"]]
    if reasons:
        lines += ["", "## Why flagged", ""]
        lines += [f"- {g['engine']} level {g['level']}: {r}" for g, r in reasons]
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
