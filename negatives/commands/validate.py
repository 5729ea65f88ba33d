"""Read an input file and report row counts and every problem found (writes nothing)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer

from negatives.commands.options import Input, input_options
from negatives.readers import ReadOptions, Reject, read_records

SHOWN = 20


@input_options
def main(input: Input, *, read: ReadOptions, on_error: str, rejects: Path | None) -> None:
    from negatives.pipeline import progress

    counts: Counter[str] = Counter()
    problems: list[Reject] = []
    distractors = 0
    for item in progress(read_records(input, read), desc="validate"):
        if isinstance(item, Reject):
            problems.append(item)
            counts["rejected"] += 1
        else:
            counts[item.task] += 1
            distractors += len(item.distractors)
    good = sum(v for k, v in counts.items() if k != "rejected")
    typer.echo(f"{input}: {good + len(problems)} rows, {good} valid, {len(problems)} with problems")
    for task in sorted(k for k in counts if k != "rejected"):
        typer.echo(f"  task {task}: {counts[task]}")
    if distractors:
        typer.echo(f"  distractors already present: {distractors}")
    for r in problems[:SHOWN]:
        typer.echo(f"{input}:{r.line}: {r.reason}", err=True)
    if len(problems) > SHOWN:
        typer.echo(f"... and {len(problems) - SHOWN} more problems", err=True)
    if problems and on_error == "fail":
        raise typer.Exit(1)
