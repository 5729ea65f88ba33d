"""Generate graded hard negatives: rule edits (entity, binding, count, relation), FAISS neighbours and
random captions, each scored for difficulty and sorted into levels 1..K."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from negatives.commands.options import ConfigOption, Input, Out, Overwrite, Seed, config_manifest, input_options
from negatives.readers import ReadOptions
from negatives.records import MAX_LEVEL

DEFAULT = "entity,binding,count,relation,neighbours,random"


@input_options
def main(
    ctx: typer.Context,
    input: Input,
    out: Out,
    engines: Annotated[str, typer.Option(help="Comma-separated engines and sources.")] = DEFAULT,
    ops: Annotated[str | None, typer.Option(
        help="Operators: engine.op names (engine.* for all of one engine), or +/- changes to the defaults, "
             "e.g. '+relation.negation,-entity.swap'. Default: every operator but relation.negation and count.plural.",
        show_default=False)] = None,
    per_engine: Annotated[int, typer.Option(min=1, help="Rule-engine distractors kept per engine and item.")] = 2,
    levels: Annotated[int, typer.Option(min=1, max=MAX_LEVEL, help="Number of difficulty levels K.")] = 5,
    per_level: Annotated[int, typer.Option(min=0, help="Distractors kept per level and item (0: keep all).")] = 2,
    seed: Seed = 0,
    max_count_delta: Annotated[int, typer.Option(min=1, help="Largest change of a count (count engine).")] = 2,
    neighbours_k: Annotated[int, typer.Option(min=1, help="Neighbours mined per item.")] = 5,
    max_similarity: Annotated[float, typer.Option(help="Drop neighbours more similar than this.")] = 0.95,
    relative_margin: Annotated[float, typer.Option(help="Neighbour at most (1-margin) x the positive's score.")] = 0.05,
    model: Annotated[str | None, typer.Option(help="Sentence-transformers model for mining and difficulty.")] = None,
    debias: Annotated[bool, typer.Option(help="Select candidates so every blind scorer is near 50%.")] = False,
    oversample: Annotated[int, typer.Option(min=1, help="With --debias: rule candidates generated per kept one.")] = 4,
    overwrite: Overwrite = False,
    config_file: ConfigOption = None,
    *,
    read: ReadOptions,
    on_error: str,
    rejects: Path | None,
) -> None:
    from rich.console import Console

    from negatives.analysis import ParseCache
    from negatives.answer_checks import QuestionChecked, check_candidates
    from negatives.engines import ENGINES, select_ops
    from negatives.generate import GenerationStats, Generator, build_corpus_stats
    from negatives.graded import CORPUS_SOURCES, GradedTransform, corpus_candidates
    from negatives.pipeline import checked_rows, plan_run, run
    from negatives.progress import progress

    names = [n.strip() for n in engines.split(",") if n.strip()]
    unknown = [n for n in names if n not in ENGINES and n not in CORPUS_SOURCES]
    if unknown or not names:
        choices = ", ".join([*ENGINES, *CORPUS_SOURCES])
        raise typer.BadParameter(f"unknown engine(s) {unknown}; choose from {choices}", param_hint="--engines")
    try:
        chosen_ops = select_ops(ops)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--ops") from exc
    outputs = plan_run(input, out, read=read, on_error=on_error, rejects=rejects, overwrite=overwrite)
    rule = [n for n in names if n in ENGINES and n not in CORPUS_SOURCES]
    sources = [n for n in names if n in CORPUS_SOURCES]
    records = list(progress(checked_rows(input, read, on_error, []), desc="corpus pass"))
    total = len(records)
    parses = ParseCache()
    parsed = progress(records, "corpus statistics", total=total)
    corpus = build_corpus_stats(parsed, entities="entity" in rule, parses=parses) if rule else None
    stats = GenerationStats(rule)
    generator = None
    if rule:
        options = {"max_delta": max_count_delta} if "count" in rule else {}
        if debias:  # a larger, more varied candidate pool to select from
            from negatives.debias import DEBIAS_OPS, overgeneration

            options.update(overgeneration(rule))
            chosen_ops |= DEBIAS_OPS
        generator = QuestionChecked(Generator(  # a text item's new distractors also answer its question's kind
            rule, per_engine * (oversample if debias else 1), seed, corpus, stats=stats, ops=chosen_ops, parses=parses, **options
        ))
    mined, mining = corpus_candidates(
        records, sources, seed, 3 * (per_level or per_engine),
        k=neighbours_k, max_similarity=max_similarity, relative_margin=relative_margin, model=model,
    )
    asked = check_candidates(records, mined)  # other items' answers pass the question checks too
    del records
    selector = None
    if debias:
        from negatives.debias import blind_selector

        selector = blind_selector(per_engine, seed)
    transform = GradedTransform(
        generator, mined, levels=levels, per_level=per_level, per_engine=per_engine, seed=seed, selector=selector,
        model=model,
    )
    if mining.get("mining"):
        transform.grading.add_guards("neighbours", mining["mining"]["removed"])
    config = {
        "engines": names, "ops": sorted(op for op in chosen_ops if op.split(".")[0] in rule),
        "per_engine": per_engine, "levels": levels, "per_level": per_level,
        "max_count_delta": max_count_delta, "neighbours_k": neighbours_k, "max_similarity": max_similarity,
        "relative_margin": relative_margin, "debias": debias, "oversample": oversample if debias else None,
        "config_file": config_manifest(config_file, ctx.command),
    }
    manifest = run(
        input, out, transform, read=read, on_error=on_error, rejects=rejects, overwrite=overwrite, seed=seed,
        command="generate", config=config, batch_size=10_000 if debias else 256,
        extra=lambda: {
            "generation": stats.to_dict(), **mining, **transform.manifest(),
            "question_checks": {"generator": generator.to_dict() if generator else None, "neighbours": dict(sorted(asked.items()))},
        },
        outputs=outputs,
        total=total,
    )
    console = Console(stderr=True)
    if rule:
        console.print(stats.table())
    console.print(transform.grading.table())
    if debias:
        from negatives.debias import DebiasStats

        for part in transform.debias_stats:  # one table per batch of 10,000 rows
            typer.echo(DebiasStats(**part).table(), err=True)
    c = manifest["counts"]
    typer.echo(f"read {c['read']}, wrote {c['written']} records to {out}, rejected {c['rejected']}")
