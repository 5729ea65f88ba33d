"""Probe a set: score it with each scorer, compute the metrics, compare scorers, write the outputs."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from negatives.errors import UsageError
from negatives.outputs import plan_files
from negatives.records import Record
from probes.metrics import curve_summary, paired_comparison, summarize
from probes.runner import ProbeRun, run_scorer
from probes.scorers.base import describe

REPORT_SCHEMA = "negatives/probe-report/1"
OUTPUTS = ("report.json", "report.csv", "report.md", "items.jsonl", "sweep.png", "sweep.svg")


def scorer_result(run: ProbeRun, scorer: Callable[..., Any]) -> dict[str, Any]:
    """Description, run statistics, metrics and curve summaries (overall and per engine) of one scorer."""
    metrics = summarize(run.items)
    engines = sorted({r["engine"] for r in metrics["engine_level"]})
    curves = {"all": curve_summary(metrics["level"])}
    curves.update({e: curve_summary([r for r in metrics["engine_level"] if r["engine"] == e]) for e in engines})
    return {"description": describe(scorer), "stats": run.stats, "skipped": run.skipped, "metrics": metrics, "curves": curves}


def item_scores(runs: Mapping[str, ProbeRun]) -> list[dict[str, Any]]:
    """One row per scored item, in set order: each scorer's scores of ``[positive, *distractors]``
    and whether it got the item right (the positive strictly above every distractor)."""
    rows: dict[str, dict[str, Any]] = {}
    for name, run in runs.items():
        for item in run.items:
            row = rows.setdefault(item.id, {"id": item.id, "scores": {}, "correct": {}})
            row["scores"][name] = [item.positive, *item.scores]
            row["correct"][name] = item.positive > max(item.scores)
    return list(rows.values())


def evaluate(
    records: Sequence[Record],
    scorers: Mapping[str, Callable[..., Any]],
    *,
    compare: bool = False,
    batch_size: int = 64,
    progress: bool = True,
    seed: int = 0,
) -> dict[str, Any]:
    """Score ``records`` with every scorer; with ``compare``, paired comparisons of every two scorers
    (overall, per level and per op). ``report["items"]`` holds the per-item scores (:func:`item_scores`).
    A built-in scorer that cannot score the set is refused first."""
    from probes.scorers import check_fit

    check_fit(scorers, records)
    runs = {name: run_scorer(records, scorer, batch_size=batch_size, progress=progress, desc=name) for name, scorer in scorers.items()}
    report: dict[str, Any] = {
        "schema": REPORT_SCHEMA,
        "scorers": {name: scorer_result(runs[name], scorers[name]) for name in scorers},
        "comparisons": [],
        "items": item_scores(runs),
    }
    if compare:
        for a, b in itertools.combinations(scorers, 2):
            pair: dict[str, Any] = {"a": a, "b": b}
            for grouping in ("overall", "level", "op"):
                pair[grouping] = paired_comparison(runs[a].items, runs[b].items, grouping, seed)
            report["comparisons"].append(pair)
    return report


def write_outputs(report: dict[str, Any], out_dir: Path, *, panels: str = "engine", overwrite: bool = False) -> list[Path]:
    """report.json/csv/md, items.jsonl and sweep.png/svg into ``out_dir``, committed together (with
    the active plan's other files when that plan holds them)."""
    from probes.plots import plot_sweep
    from probes.report import write_report

    with plan_files([out_dir / name for name in OUTPUTS], overwrite, "report file"):
        return [*write_report(report, out_dir, overwrite), *plot_sweep(report["scorers"], out_dir, panels, overwrite)]


def probe_file(
    input_path: Path,
    specs: Sequence[str],
    out_dir: Path,
    *,
    read: Any = None,
    on_error: str = "fail",
    rejects: Path | None = None,
    compare: bool = False,
    batch_size: int = 64,
    panels: str = "engine",
    seed: int = 0,
    overwrite: bool = False,
    progress: bool = True,
) -> dict[str, Any]:
    """Read a set, probe it with each spec, write every output into ``out_dir``; returns the report.

    Outputs, scorer specs and whether each scorer fits the set are checked before any model loads.
    """
    from negatives.manifest import input_digest, read_manifest
    from negatives.pipeline import checked_rows, plan_folder, write_rejects
    from negatives.readers import ReadOptions, Reject
    from probes.scorers import build_scorers, check_specs

    from probes.plots import PANELS

    read = read or ReadOptions()
    check_specs(specs)
    if panels not in PANELS:
        raise UsageError(f"--panels must be one of {', '.join(PANELS)}, got {panels!r}")
    outputs, rejects_file = plan_folder(
        input_path, out_dir, OUTPUTS, read=read, on_error=on_error, rejects=rejects, overwrite=overwrite  # type: ignore[arg-type]
    )
    rejected: list[Reject] = []
    records = list(checked_rows(input_path, read, on_error, rejected))  # type: ignore[arg-type]
    scorers = build_scorers(specs, records)
    report = evaluate(records, scorers, compare=compare, batch_size=batch_size, progress=progress, seed=seed)
    report["set"] = {
        "path": str(input_path),
        "sha256": input_digest(input_path)["sha256"],
        "records": len(records),
        "rejected": len(rejected),
        "read": read.to_dict(),
        "manifest": read_manifest(input_path),
    }
    report["config"] = {"scorers": list(specs), "batch_size": batch_size, "seed": seed, "panels": panels}
    with outputs:
        if rejected:
            write_rejects(rejects_file, rejected)
        write_outputs(report, out_dir, panels=panels, overwrite=overwrite)
    return report
