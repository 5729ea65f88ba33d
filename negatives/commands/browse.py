"""Write a browsable static site of a set (and of its probe runs and audit): open index.html from disk, no server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from negatives.browse import DEFAULT_PER_PAGE
from negatives.commands.options import Overwrite

OutDir = Annotated[Path, typer.Option("--out", "-o", help="Output folder of the site (index.html, items.html, ...).", show_default=False)]
Reports = Annotated[
    Optional[list[Path]],
    typer.Option("--report", "-r", help="A probe or sweep output folder of this set (repeatable): per-item scores, outcome filters, figures."),
]
Audit = Annotated[Optional[Path], typer.Option("--audit", help="An audit output folder of this set: its verdicts on the overview.")]
ImageRoot = Annotated[
    Optional[Path],
    typer.Option(exists=True, file_okay=False, help="Images are read inside this folder only and shown as thumbnails; without it, by name."),
]
PerPage = Annotated[int, typer.Option(min=1, help="Items per page (and per data file).")]


def main(
    input: Annotated[Path, typer.Argument(help="The set: a record file.", show_default=False)],
    out: OutDir,
    report: Reports = None,
    audit: Audit = None,
    image_root: ImageRoot = None,
    per_page: PerPage = DEFAULT_PER_PAGE,
    overwrite: Overwrite = False,
) -> None:
    from negatives.browse import browse

    manifest = browse(input, out, reports=report or (), audit=audit, image_root=image_root, per_page=per_page, overwrite=overwrite)
    counts = manifest["counts"]
    typer.echo(f"wrote {counts['items']} items ({counts['distractors']} distractors) on {counts['pages']} pages, "
               f"{counts['thumbnails']} thumbnails to {out}")  # fmt: skip
    typer.echo(f"open {(out / 'index.html').resolve().as_uri()}")
