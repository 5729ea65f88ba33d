"""Convert an input file to the record format (no distractors added)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from negatives.commands.options import Input, Overwrite, input_options
from negatives.readers import ReadOptions


@input_options
def main(
    input: Input,
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output record file [default: ./<input stem>.jsonl]."),
    overwrite: Overwrite = False,
    *,
    read: ReadOptions,
    on_error: str,
    rejects: Path | None,
) -> None:
    from negatives.pipeline import run

    out = out or Path(input.stem + ".jsonl")
    manifest = run(input, out, read=read, on_error=on_error, rejects=rejects, overwrite=overwrite, command="convert")
    c = manifest["counts"]
    typer.echo(f"read {c['read']}, wrote {c['written']} records to {out}, rejected {c['rejected']}")
    if c["rejected"]:
        typer.echo(f"rejects: {manifest['rejects']}")
