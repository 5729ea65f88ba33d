"""Report files: ``report.json`` (everything but the per-item scores), ``report.csv`` (tidy rows),
``report.md`` (for people) and ``items.jsonl`` (per-item scores, one item a line)."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from negatives.writers import atomic_open, write_json

CSV_COLUMNS = (
    "scorer", "grouping", "engine", "level", "op", "n", "accuracy", "lo", "hi", "chance", "ties",
    "n_pairs", "pairwise_accuracy", "pairwise_lo", "pairwise_hi",
)  # fmt: skip
ALL = "all"


def json_safe(obj: Any) -> Any:
    """NaN/inf become None (JSON has no NaN); tuples become lists."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    return obj


def level_label(row: dict[str, Any]) -> str:
    if "level" not in row:
        return ALL
    return "none" if row["level"] is None else str(row["level"])


def csv_rows(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for name, result in report["scorers"].items():
        for grouping, rows in result["metrics"].items():
            for row in rows:
                yield {
                    **{k: row.get(k) for k in CSV_COLUMNS if k in row},
                    "scorer": name,
                    "grouping": grouping,
                    "engine": row.get("engine", ALL),
                    "level": level_label(row),
                    "op": row.get("op", ALL),
                }


def _fmt(x: Any, digits: int = 3) -> str:
    return "" if x is None or (isinstance(x, float) and not math.isfinite(x)) else f"{x:.{digits}f}" if isinstance(x, float) else str(x)


def write_csv(report: dict[str, Any], path: Path, overwrite: bool) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in csv_rows(report):
        writer.writerow({k: _fmt(v, 6) for k, v in row.items()})
    with atomic_open(path, overwrite) as fh:
        fh.write(buffer.getvalue())


def _acc(row: dict[str, Any]) -> str:
    return f"{_fmt(row['accuracy'])} [{_fmt(row['lo'])}, {_fmt(row['hi'])}]"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header), *("| " + " | ".join(r) + " |" for r in rows), ""]


def markdown(report: dict[str, Any]) -> str:
    """A short human-readable summary of the report."""
    s = report.get("set")  # absent when the report comes from evaluate() on in-memory records
    lines = [f"# Probe report: {s['path'] if s else 'in-memory records'}", ""]
    lines += [(f"{s['records']} records read, {s['rejected']} rejected. " if s else "") + "Accuracy is item accuracy (the positive "
              "scores strictly above every distractor of the group; ties fail) with a Wilson 95% interval; "
              "chance is 1/(distractors+1).", ""]  # fmt: skip
    header = ["scorer", "items", "accuracy [95% CI]", "chance", "pairwise", "ties", "skipped"]
    rows = []
    for name, result in report["scorers"].items():
        o = result["metrics"]["overall"][0] if result["metrics"]["overall"] else None
        if o:
            rows.append([name, str(o["n"]), _acc(o), _fmt(o["chance"]), _fmt(o["pairwise_accuracy"]), str(o["ties"]), str(result["skipped"])])
    lines += ["## Overall", "", *_table(header, rows)]
    for grouping, title in (("level", "By level"), ("engine", "By engine"), ("op", "By op")):
        names = list(report["scorers"])
        keys = sorted({_key(r, grouping) for n in names for r in report["scorers"][n]["metrics"][grouping]}, key=_numeric_first)
        if len(keys) < 2 and grouping != "level":
            continue
        by = {n: {_key(r, grouping): r for r in report["scorers"][n]["metrics"][grouping]} for n in names}
        rows = [[k, *(_acc(by[n][k]) + f" n={by[n][k]['n']}" if k in by[n] else "" for n in names)] for k in keys]
        lines += [f"## {title}", "", *_table([grouping, *names], rows)]
    curves = [[n, _fmt(r["curves"]["all"]["auc"]), str(r["curves"]["all"]["chance_level"])] for n, r in report["scorers"].items() if r["curves"]["all"]["levels"]]
    if curves:
        lines += ["## Curve summary", "", "auc: area under accuracy vs level over the level span; "
                  "chance level: first level whose interval reaches chance.", "", *_table(["scorer", "auc", "chance level"], curves)]  # fmt: skip
    if report.get("comparisons"):
        rows = [[c["a"], c["b"], str(o["n"]), f"{_fmt(o['difference'])} [{_fmt(o['lo'])}, {_fmt(o['hi'])}]"] for c in report["comparisons"] for o in c["overall"]]
        lines += ["## Paired comparisons (accuracy A - B, bootstrap 95% CI over items)", "", *_table(["A", "B", "items", "difference"], rows)]
    blind = [n for n, r in report["scorers"].items() if r["description"].get("kind", "").startswith("blind") and r["metrics"]["overall"] and r["metrics"]["overall"][0]["lo"] > r["metrics"]["overall"][0]["chance"]]
    if blind:
        lines += ["## Warning", "", f"Blind scorers above chance ({', '.join(blind)}): the distractors carry surface "
                  "artifacts that give the answer away without the anchor.", ""]  # fmt: skip
    return "\n".join(lines)


def _numeric_first(key: str) -> tuple[bool, int, str]:
    digits = key.lstrip("-").isdigit()
    return (not digits, int(key) if digits else 0, key)


def _key(row: dict[str, Any], grouping: str) -> str:
    return level_label(row) if grouping == "level" else str(row[grouping])


def write_report(report: dict[str, Any], out_dir: Path, overwrite: bool) -> list[Path]:
    """Write report.json, report.csv, report.md and items.jsonl into ``out_dir``; returns the paths."""
    paths = [out_dir / "report.json", out_dir / "report.csv", out_dir / "report.md", out_dir / "items.jsonl"]
    write_json(paths[0], json_safe({k: v for k, v in report.items() if k != "items"}), overwrite=overwrite)
    write_csv(report, paths[1], overwrite)
    with atomic_open(paths[2], overwrite) as fh:
        fh.write(markdown(report))
    with atomic_open(paths[3], overwrite) as fh:
        fh.writelines(json.dumps(json_safe(row), ensure_ascii=False) + "\n" for row in report.get("items", []))
    return paths
