"""Generate graded hard negatives: rule edits (entity, binding, count, relation), FAISS neighbours and
random captions, each scored for difficulty and sorted into levels 1..K."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from negatives.commands.options import ConfigOption, Input, Out, Overwrite, Seed, config_manifest, input_options
from negatives.readers import ReadOptions
from negatives.records import MAX_LEVEL, Record

DEFAULT = "entity,binding,count,relation,answer,neighbours,random"
"""The engines and sources of :data:`negatives.builder.DEFAULT_SOURCES` (kept literal: --help imports no builder)."""


class Backend(str, Enum):
    local = "local"
    ray = "ray"


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
    model: Annotated[str | None, typer.Option(
        help="Reference embedder for mining and difficulty: minilm-int8 (all-MiniLM-L6-v2 in ONNX Runtime, int8), "
             "minilm (the float32 model), minilm-static (distilled to static vectors: faster, difficulties further from "
             "the reference's), or any sentence-transformers name or path.",
        show_default="minilm-int8")] = None,
    device: Annotated[str, typer.Option(help="Where the embedder runs: auto (a GPU when there is one), cpu or cuda.")] = "auto",
    debias: Annotated[bool, typer.Option(help="Select candidates so every blind scorer is near 50%.")] = False,
    oversample: Annotated[int, typer.Option(min=1, help="With --debias: rule candidates generated per kept one.")] = 4,  # builder.DEFAULT_OVERSAMPLE
    question_lm: Annotated[bool, typer.Option(
        help="Text tasks: grade answers by the causal LM's likelihood given the question (SmolLM2, about 40 "
             "answers a second on 2 cores, cached on disk).")] = False,
    overwrite: Overwrite = False,
    explain: Annotated[bool, typer.Option(
        help="Also write OUT.explain.jsonl: every candidate dropped, with the step and the check that dropped it.")] = False,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Cores to use: processes for parsing, engines and checks, threads for the embedder "
                    "(default: every core); the output is the same for any number.",
        show_default=False)] = None,
    backend: Annotated[Backend, typer.Option(
        help="Where parsing, engines and checks run: local (forked processes) or ray (Ray actors: a Ray started "
             "on 127.0.0.1 with --workers CPUs, or the cluster at --address); the output is the same.")] = Backend.local,
    address: Annotated[str | None, typer.Option(
        help="With --backend ray: the address of a running Ray cluster to use (--workers: its CPUs by default).",
        show_default=False)] = None,
    config_file: ConfigOption = None,
    *,
    read: ReadOptions,
    on_error: str,
    rejects: Path | None,
) -> None:
    from rich.console import Console

    from negatives.builder import GradedSetBuilder
    from negatives.debias import blind_selector
    from negatives.parallel import Workers, available_workers
    from negatives.engines import select_ops
    from negatives.pipeline import checked_rows, plan_run, run
    from negatives.models import DEVICES
    from negatives.progress import progress
    from negatives.timings import StageTimes, timed

    try:
        chosen_ops = select_ops(ops)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--ops") from exc
    names = [n.strip() for n in engines.split(",") if n.strip()]
    checks = [question_plausibility()] if question_lm else []
    if device not in DEVICES:
        raise typer.BadParameter(f"{device!r}: choose auto, cpu or cuda", param_hint="--device")
    if address is not None and backend is Backend.local:
        raise typer.BadParameter("a Ray cluster's address needs --backend ray", param_hint="--address")
    outputs = plan_run(input, out, read=read, on_error=on_error, rejects=rejects, overwrite=overwrite, explain=explain)
    with ExitStack() as session:
        if backend is Backend.ray:
            from negatives.ray_backend import RayWorkers, ray_session

            cores, make_pool = session.enter_context(ray_session(address, workers)), RayWorkers
        else:
            cores, make_pool = workers or available_workers(), Workers
        try:
            builder = GradedSetBuilder(
                names, ops=chosen_ops, per_engine=per_engine, levels=levels,
                per_level=per_level, seed=seed, max_count_delta=max_count_delta, neighbours_k=neighbours_k,
                max_similarity=max_similarity, relative_margin=relative_margin, model=model, device=device,
                selector=blind_selector(per_engine, seed) if debias else None, checks=checks, oversample=oversample,
                workers=cores, pool=make_pool,
            )
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--engines") from exc
        with StageTimes() as times:
            records = list(progress(timed(checked_rows(input, read, on_error, []), "read"), desc="corpus pass"))
            total = len(records)
            try:
                transform = builder.prepare(records, watch=lambda rows: progress(rows, "corpus statistics", total=total))
                del records
                manifest = run(
                    input, out, transform, read=read, on_error=on_error, rejects=rejects, overwrite=overwrite, seed=seed,
                    command="generate", config={**builder.config(), "backend": backend.value,
                                                "config_file": config_manifest(ctx)},
                    batch_size=builder.batch_size, extra=lambda: {**builder.manifest(), "timings": times.to_dict()},
                    outputs=outputs, total=total, explain=explain,
                )
            finally:
                builder.close()
    console = Console(stderr=True)
    for table in builder.tables():
        console.print(table)
    if debias:
        from negatives.debias import DebiasStats

        for part in transform.debias_stats:  # one table per batch of 10,000 rows
            typer.echo(DebiasStats(**part).table(), err=True)
    c = manifest["counts"]
    typer.echo(f"read {c['read']}, wrote {c['written']} records to {out}, rejected {c['rejected']}")
    typer.echo(times.line(), err=True)


def question_plausibility() -> Callable[[Record], None]:
    """The --question-lm check: the default causal LM (loaded on first use) scores answers given the question."""
    from negatives.answer_plausibility import QuestionPlausibility
    from negatives.models import DEFAULT_LM_GGUF
    from probes.scorers.lm import causal_lm

    return QuestionPlausibility(lambda pairs: causal_lm(None).logprobs(pairs), model=DEFAULT_LM_GGUF)
