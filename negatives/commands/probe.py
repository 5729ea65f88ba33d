"""Score a graded set with one scorer (or the blind panel): accuracy per level/engine with 95% CIs, report and plot."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from negatives.commands.options import Input, Overwrite, Seed, input_options
from negatives.readers import ReadOptions

SCORER_KINDS = (  # the kinds of probes.scorers (a test keeps them in step; importing it here would slow --help)
    "lm, lm-choice, biencoder, crossencoder, clip, blind (the whole blind panel), blind-length, blind-ngram, blind-prior"
)
ScorerSpec = Annotated[str, typer.Option(
    "--scorer", "-s", help=f"KIND[:model][,key=value...], e.g. lm,reduction=sum. Kinds: {SCORER_KINDS}.", show_default=False,
)]
OutDir = Annotated[Path, typer.Option("--out", "-o", help="Output directory (report.json/csv/md, items.jsonl, sweep.png/svg).")]
BatchSize = Annotated[int, typer.Option(help="Texts, pairs or items scored per batch.")]
Panels = Annotated[str, typer.Option(help="Figure panels: 'engine' (one per engine) or 'all' (all engines together).")]


@input_options
def main(
    input: Input,
    scorer: ScorerSpec,
    out: OutDir,
    batch_size: BatchSize = 64,
    panels: Panels = "engine",
    seed: Seed = 0,
    overwrite: Overwrite = False,
    *,
    read: ReadOptions,
    on_error: str,
    rejects: Path | None,
) -> None:
    run(input, [scorer], out, read=read, on_error=on_error, rejects=rejects, batch_size=batch_size, panels=panels, seed=seed, overwrite=overwrite)


def run(input: Path, scorers: list[str], out: Path, **options: Any) -> dict[str, Any]:
    """``probes.api.probe_file`` with ``options``, then each scorer's overall accuracy echoed; returns the report."""
    from probes.api import probe_file

    report = probe_file(input, scorers, out, **options)
    _summary(report, out)
    return report


def _summary(report: dict, out: Path) -> None:
    for name, result in report["scorers"].items():
        overall = result["metrics"]["overall"]
        if overall:
            o = overall[0]
            typer.echo(f"{name}: accuracy {o['accuracy']:.3f} [{o['lo']:.3f}, {o['hi']:.3f}] over {o['n']} items (chance {o['chance']:.3f})")
        else:
            typer.echo(f"{name}: no items with distractors")
    typer.echo(f"report written to {out}/report.md")
