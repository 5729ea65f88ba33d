"""Add rule-based hard negatives (entity, binding, count, relation edits) to every input item."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from negatives.commands.options import Input, Out, Overwrite, Seed, input_options
from negatives.readers import ReadOptions


@input_options
def main(
    input: Input,
    out: Out,
    engines: Annotated[str, typer.Option(help="Comma-separated engines: entity,binding,count,relation.")] = (
        "entity,binding,count,relation"
    ),
    per_engine: Annotated[int, typer.Option(min=1, help="Distractors kept per engine and item.")] = 2,
    seed: Seed = 0,
    max_count_delta: Annotated[int, typer.Option(min=1, help="Largest change of a count (count engine).")] = 2,
    overwrite: Overwrite = False,
    *,
    read: ReadOptions,
    on_error: str,
    rejects: Path | None,
) -> None:
    from rich.console import Console

    from negatives.engines import ENGINES
    from negatives.generate import GenerationStats, Generator, build_corpus_stats
    from negatives.pipeline import checked_rows, progress, run

    names = [n.strip() for n in engines.split(",") if n.strip()]
    unknown = [n for n in names if n not in ENGINES]
    if unknown or not names:
        raise typer.BadParameter(f"unknown engine(s) {unknown}; choose from {', '.join(ENGINES)}", param_hint="--engines")
    options = {"max_delta": max_count_delta} if "count" in names else {}
    rows = progress(checked_rows(input, read, on_error, []), desc="corpus statistics")
    corpus = build_corpus_stats(rows, entities="entity" in names)
    stats = GenerationStats(names)
    generator = Generator(names, per_engine, seed, corpus, stats=stats, **options)
    config = {"engines": names, "per_engine": per_engine, "max_count_delta": max_count_delta}
    manifest = run(
        input, out, generator, read=read, on_error=on_error, rejects=rejects, overwrite=overwrite, seed=seed,
        command="generate", config=config, extra=lambda: {"generation": stats.to_dict()},
    )
    Console(stderr=True).print(stats.table())
    c = manifest["counts"]
    typer.echo(f"read {c['read']}, wrote {c['written']} records to {out}, rejected {c['rejected']}")
