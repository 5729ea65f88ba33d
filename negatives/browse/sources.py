"""What the site shows beside the set: probe runs (``--report``) and an audit (``--audit``).

Each folder is checked before any work: a probe folder needs ``report.json`` and ``items.jsonl``
(the per-item scores), an audit folder ``audit.json``; one made from another set (its recorded
SHA-256 differs from the set's) is refused, since its per-item scores would sit on the wrong items.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from negatives.errors import UsageError
from negatives.manifest import read_manifest


@dataclass
class ProbeRun:
    """One probe folder: its report, its sweep figure and per-item scores under the scorers' labels."""

    folder: Path
    report: dict[str, Any]
    labels: dict[str, str]  # scorer name in the report -> label on the site (unique over all runs)
    items: dict[str, dict[str, Any]]  # item id -> {"scores": {label: [...]}, "correct": {label: bool}}

    @property
    def figure(self) -> Path | None:
        path = self.folder / "sweep.png"
        return path if path.is_file() else None

    def summary(self) -> list[dict[str, Any]]:
        """Overall item accuracy of each scorer, with its interval and chance."""
        rows = []
        for name, result in self.report.get("scorers", {}).items():
            overall = result.get("metrics", {}).get("overall") or [{}]
            keep = ("n", "accuracy", "lo", "hi", "chance", "pairwise_accuracy")
            rows.append({"scorer": self.labels[name], **{k: overall[0].get(k) for k in keep}})
        return rows


def _json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path.parent} is no {what} folder (it has no {path.name})") from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise UsageError(f"{path}: cannot read it as JSON: {exc}") from None


def _same_set(recorded: str | None, sha256: str, folder: Path, what: str) -> None:
    if recorded is not None and recorded != sha256:
        raise UsageError(f"{folder}: this {what} was made from another set (SHA-256 {recorded[:12]}..., "
                         f"the set is {sha256[:12]}...); give the {what} of this set")  # fmt: skip


def load_probe_runs(folders: list[Path], sha256: str) -> list[ProbeRun]:
    """The probe folders, checked; scorers named alike in two folders get the folder's name in front."""
    reports = [_probe_report(folder, sha256) for folder in folders]
    names = [name for report in reports for name in report.get("scorers", {})]
    labels = [{n: n if names.count(n) == 1 else f"{folder.name}/{n}" for n in report.get("scorers", {})}
              for folder, report in zip(folders, reports)]  # fmt: skip
    shown = [label for run in labels for label in run.values()]
    if len(set(shown)) != len(shown):
        raise UsageError("two --report folders of one name hold scorers of one name; give the folders distinct names")
    return [ProbeRun(folder, report, names_, _item_scores(folder / "items.jsonl", names_))
            for folder, report, names_ in zip(folders, reports, labels)]  # fmt: skip


def _probe_report(folder: Path, sha256: str) -> dict[str, Any]:
    from probes.api import REPORT_SCHEMA

    report = _json(folder / "report.json", "probe report")
    if not isinstance(report, dict) or report.get("schema") != REPORT_SCHEMA:
        raise UsageError(f"{folder / 'report.json'} is not a probe report of negatives")
    _same_set((report.get("set") or {}).get("sha256"), sha256, folder, "probe report")
    if not (folder / "items.jsonl").is_file():
        raise UsageError(f"{folder} has no items.jsonl (per-item scores, written since this version): probe the set again")
    return report


def _item_scores(path: Path, labels: dict[str, str]) -> dict[str, dict[str, Any]]:
    items = {}
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            try:
                row = json.loads(line)
                items[str(row["id"])] = {
                    "scores": {labels[n]: s for n, s in row["scores"].items()},
                    "correct": {labels[n]: bool(c) for n, c in row["correct"].items()},
                }
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise UsageError(f"{path}:{number}: not a per-item score row of negatives ({exc!r})") from None
    return items


def merged_scores(runs: list[ProbeRun]) -> dict[str, dict[str, Any]]:
    """Per item id: the scores and verdicts of every scorer of every run."""
    merged: dict[str, dict[str, Any]] = {}
    for run in runs:
        for item_id, row in run.items.items():
            into = merged.setdefault(item_id, {"scores": {}, "correct": {}})
            into["scores"].update(row["scores"])
            into["correct"].update(row["correct"])
    return merged


def load_audit(folder: Path, sha256: str) -> dict[str, Any]:
    """The audit's verdict per (engine, level) group, for the overview."""
    path = folder / "audit.json"
    audit = _json(path, "audit")
    _same_set(((read_manifest(path) or {}).get("input") or {}).get("sha256"), sha256, folder, "audit")
    try:
        groups = [
            {"engine": g["engine"], "level": g["level"], "pairs": g["pairs"], "flagged": g["verdict"]["flagged"],
             "reasons": g["verdict"]["reasons"], "blind": {s: b["accuracy"] for s, b in g["blind"].items()}}
            for g in audit["groups"]
        ]  # fmt: skip
        return {"path": str(folder), "records": audit["records"], "pairs": audit["pairs"], "flagged": audit["flagged"],
                "scorers": audit["scorers"], "groups": groups}  # fmt: skip
    except (KeyError, TypeError) as exc:
        raise UsageError(f"{path} is not an audit of negatives (no {exc})") from None
