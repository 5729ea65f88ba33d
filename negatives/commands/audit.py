"""Audit a distractor set for artifacts: surface tells and a blind-scorer panel per engine and level (audit.md/json)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from negatives.commands.options import Input, Overwrite, input_options
from negatives.readers import ReadOptions

OutDir = Annotated[Path, typer.Option("--out", "-o", help="Output directory (audit.json, audit.md).")]
Scorers = Annotated[
    Optional[list[str]],
    typer.Option("--scorer", "-s", help="Blind scorer spec (repeatable): blind (the whole panel: length, n-gram, LM prior sum and mean; the default), blind-length, blind-ngram or blind-prior.", show_default=False),
]
NoLevels = Annotated[bool, typer.Option("--no-levels", help="Group by engine only, ignoring levels.")]


@input_options
def main(
    input: Input,
    out: OutDir,
    scorer: Scorers = None,
    no_levels: NoLevels = False,
    overwrite: Overwrite = False,
    *,
    read: ReadOptions,
    on_error: str,
    rejects: Path | None,
) -> None:
    from negatives.audit import audit
    from negatives.audit.verdict import markdown, write_audit
    from negatives.manifest import build_manifest, manifest_path
    from negatives.pipeline import checked_rows, plan_folder, write_rejects
    from negatives.readers import Reject
    from negatives.writers import write_json
    from probes.scorers import build_scorers, check_fit, check_specs

    specs = scorer or ["blind"]
    check_specs(specs)
    json_path = out / "audit.json"
    outputs, rejects_file = plan_folder(
        input, out, ("audit.json", "audit.md", manifest_path(json_path).name),
        read=read, on_error=on_error, rejects=rejects, overwrite=overwrite,  # type: ignore[arg-type]
    )
    rejected: list[Reject] = []
    records = list(checked_rows(input, read, on_error, rejected))  # type: ignore[arg-type]
    scorers = build_scorers(specs, records)
    check_fit(scorers, records)
    report = audit(records, scorers, by_level=not no_levels)
    counts = {"read": len(records) + len(rejected), "records": len(records), "rejected": len(rejected), "pairs": report["pairs"]}
    config = {"scorers": specs, "by_level": not no_levels, "read": read.to_dict()}
    with outputs:
        write_audit(report, out, overwrite=overwrite)
        if rejected:
            write_rejects(rejects_file, rejected)
        write_json(manifest_path(json_path), build_manifest("audit", config, input, counts))
    typer.echo(markdown(report))
    typer.echo(f"audit written to {out}/audit.md and audit.json")
