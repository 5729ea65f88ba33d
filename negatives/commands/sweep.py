"""Score a graded set with several scorers: one figure, one report, paired comparisons of every two scorers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from negatives.commands.options import Input, Overwrite, Seed, input_options
from negatives.commands.probe import SCORER_KINDS, BatchSize, OutDir, Panels, run
from negatives.readers import ReadOptions

ScorerSpecs = Annotated[list[str], typer.Option(
    "--scorer", "-s", help=f"Repeat: KIND[:model][,key=value...]. Kinds: {SCORER_KINDS}.", show_default=False,
)]


@input_options
def main(
    input: Input,
    scorer: ScorerSpecs,
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
    report = run(input, scorer, out, read=read, on_error=on_error, rejects=rejects, compare=True, batch_size=batch_size, panels=panels, seed=seed, overwrite=overwrite)
    for c in report["comparisons"]:
        o = c["overall"][0] if c["overall"] else None
        if o:
            typer.echo(f"{c['a']} - {c['b']}: {o['difference']:+.3f} [{o['lo']:+.3f}, {o['hi']:+.3f}]")
