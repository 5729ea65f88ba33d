"""Read an input file or folder of shards; report row counts and every problem found, each kind once (writes nothing)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer

from negatives.commands.options import Input, input_options
from negatives.readers import ReadOptions, Reject, read_records

SHOWN = 20  # kinds of problem printed
LINES_SHOWN = 5  # line numbers printed per kind


@input_options
def main(input: Input, *, read: ReadOptions, on_error: str, rejects: Path | None) -> None:
    from negatives.progress import progress

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
    lines: dict[str, list[Reject]] = {}  # reason -> its rows, in file order
    for r in problems:
        lines.setdefault(r.reason, []).append(r)
    for reason, rows in list(lines.items())[:SHOWN]:
        also = [r.line if r.file is None else f"{r.file}:{r.line}" for r in rows[1:]]
        typer.echo(f"{rows[0].where(input)}: {reason}{_also(also)}", err=True)
    if len(lines) > SHOWN:
        typer.echo(f"... and {len(lines) - SHOWN} more kinds of problem", err=True)
    if problems and on_error == "fail":
        raise typer.Exit(1)


def _also(rows: list[int | str]) -> str:
    """`` (also lines 2, 3, ...: N more rows)`` for the other rows with the same problem."""
    if not rows:
        return ""
    shown = ", ".join(map(str, rows[:LINES_SHOWN])) + (", ..." if len(rows) > LINES_SHOWN else "")
    return f" (also line{'s' if len(rows) > 1 else ''} {shown}: {len(rows)} more row{'s' if len(rows) > 1 else ''})"
