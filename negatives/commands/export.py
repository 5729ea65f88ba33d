"""Export a record set for another evaluation suite: lm-eval, inspect, SugarCrepe, HF datasets, parquet, triplets."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from negatives.commands.options import Input, Overwrite, Seed
from negatives.exporters import FORMATS

To = Enum("To", {name.replace("-", "_"): name for name in FORMATS}, type=str)  # type: ignore[misc]

FORMAT_HELP = "; ".join(f"{name}: {fmt.help}" for name, fmt in FORMATS.items())


def main(
    input: Input,
    to: Annotated[To, typer.Option("--to", help=f"Target format. {FORMAT_HELP}.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file or folder.", show_default=False)],
    level: Annotated[Optional[list[int]], typer.Option(help="Keep distractors of this level (repeatable).")] = None,
    engine: Annotated[Optional[list[str]], typer.Option(help="Keep distractors of this engine (repeatable).")] = None,
    seed: Seed = 0,
    overwrite: Overwrite = False,
) -> None:
    from negatives.exporters import export, manifest_location
    from negatives.pipeline import checked_rows
    from negatives.readers import ReadOptions

    records = checked_rows(input, ReadOptions(fmt="records"), "fail")
    manifest = export(records, to.value, out, levels=level or None, engines=engine or None, seed=seed, overwrite=overwrite, input_path=input)
    counts = ", ".join(f"{k} {v}" for k, v in manifest["counts"].items())
    typer.echo(f"wrote {to.value} export to {out} ({counts}); manifest: {manifest_location(to.value, out)}")
    if "usage" in manifest:
        typer.echo(f"use it: {manifest['usage']}")
