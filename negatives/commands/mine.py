"""Mine embedding neighbours as distractors (retrieval alone, with false-negative guards).

Every positive of the input is embedded (cached on disk) and each item gets its k nearest other
positives that pass the guards: never a sibling, never a near-duplicate, and within the relative
margin of the positive. ``--triplets`` also writes sentence-transformers style
{"anchor", "positive", "negative"} rows.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from negatives.commands.options import Input, Out, Overwrite, Seed, input_options
from negatives.readers import ReadOptions
from negatives.records import Distractor, Record


class IndexKind(str, Enum):
    auto = "auto"
    exact = "exact"
    hnsw = "hnsw"
    ivf = "ivf"


def triplet_rows(record: Record, negatives: list[Distractor]) -> list[dict[str, str]]:
    """(anchor, positive, negative) rows: the anchor text or image; with no anchor, the positive is
    the anchor and each sibling a positive; with neither, no rows."""
    anchor = record.anchor_text or record.anchor_image
    pairs = [(anchor, record.positive)] if anchor else [(record.positive, s) for s in record.siblings]
    return [{"anchor": a, "positive": p, "negative": n.text} for a, p in pairs for n in negatives if n.text]


@input_options
def main(
    input: Input,
    out: Out,
    k: Annotated[int, typer.Option("-k", "--k", help="Negatives per item.")] = 5,
    max_similarity: Annotated[float, typer.Option(help="Drop candidates more similar than this to the positive.")] = 0.95,
    relative_margin: Annotated[
        float, typer.Option(help="A negative may score at most ref - |ref| * margin (ref: the positive's score).")
    ] = 0.05,
    no_margin: Annotated[bool, typer.Option("--no-margin", help="Turn the relative margin off.")] = False,
    range_min: Annotated[int, typer.Option(help="Skip this many best surviving candidates.")] = 0,
    range_max: Annotated[Optional[int], typer.Option(help="Candidates retrieved per item (default as in sentence-transformers).")] = None,
    index: Annotated[IndexKind, typer.Option(help="FAISS index: auto picks exact, HNSW or IVF by corpus size.")] = IndexKind.auto,
    model: Annotated[Optional[str], typer.Option(help="sentence-transformers model name or path (default: offline MiniLM).")] = None,
    triplets: Annotated[Optional[Path], typer.Option(help="Also write (anchor, positive, negative) JSONL rows here.")] = None,
    overwrite: Overwrite = False,
    seed: Seed = 0,
    *,
    read: ReadOptions,
    on_error: str,
    rejects: Path | None,
) -> None:
    from rich.console import Console

    from negatives.mining import mine_neighbours
    from negatives.pipeline import checked_rows, plan_run, run
    from negatives.writers import atomic_open

    outputs = plan_run(input, out, read=read, on_error=on_error, rejects=rejects, overwrite=overwrite)
    if triplets is not None:
        outputs.add(triplets, "triplets file")
    records = list(checked_rows(input, read, on_error))
    try:
        mined, stats = mine_neighbours(
            records, k, max_similarity=max_similarity, relative_margin=None if no_margin else relative_margin,
            range_min=range_min, range_max=range_max, index=index.value, model=model, seed=seed,
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc

    def attach(batch: list[Record]) -> list[Record]:
        for record in batch:
            record.distractors.extend(mined[record.id])
        return batch

    with outputs:
        manifest = run(
            input, out, attach, read=read, on_error=on_error, rejects=rejects, overwrite=overwrite, seed=seed,
            command="mine", config={"mining": stats.settings}, extra=lambda: {"mining": stats.to_dict()}, outputs=outputs,
        )
        if triplets is not None:
            with atomic_open(triplets) as fh:
                for record in records:
                    for row in triplet_rows(record, mined[record.id]):
                        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    Console(stderr=True).print(stats.table())
    c = manifest["counts"]
    typer.echo(f"read {c['read']}, wrote {c['written']} records with {stats.kept} negatives to {out}, rejected {c['rejected']}")
