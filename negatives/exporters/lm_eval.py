"""lm-evaluation-harness task folder: one ``multiple_choice`` task per (engine, level) plus a group.

Layout of ``OUT/``::

    _<group>.yaml            group over all tasks (acc and acc_norm, weighted by size)
    <group>_<engine>_<level>.yaml
    data/<task>.jsonl        one row per item: context, choices (seeded order), label + provenance
    manifest.json

Run it with ``lm_eval --model hf --model_args pretrained=DIR --include_path OUT --tasks <group>``.
lm-eval reads ``dataset_kwargs.data_files`` with ``datasets.load_dataset``, which resolves relative
paths against the *working directory*, so the YAML files hold absolute paths to the data: re-export
after moving the folder. lm-eval scores ``doc_to_text + target_delimiter + choice``: the delimiter is
" " after an anchor text and "" for items without one (each choice is then scored from BOS).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from negatives.exporters.common import ExportError, Target, record_json, shuffled, write_jsonl
from negatives.records import Record
from negatives.writers import atomic_open

METRICS = ("acc", "acc_norm")
UNLEVELED = "unleveled"  # task name part for distractors without a level


def slug(name: str) -> str:
    """``name`` as a lower-case identifier (task names are identifiers in lm-eval)."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def group_name(out: Path) -> str:
    """The group is named after the folder; a name that is no identifier gets a prefix."""
    name = slug(out.name)
    return name if name and not name[0].isdigit() else f"negatives_{name}".rstrip("_")


def level_name(level: int | None) -> str:
    return UNLEVELED if level is None else f"level{level}"


def groups(record: Record) -> dict[tuple[str, int | None], list[int]]:
    """Distractor indices of ``record`` by (engine, level), in first-seen order."""
    out: dict[tuple[str, int | None], list[int]] = {}
    for index, d in enumerate(record.distractors):
        out.setdefault((d.engine, d.level), []).append(index)
    return out


def task_name(group: str, engine: str, level: int | None) -> str:
    return f"{group}_{slug(engine)}_{level_name(level)}"


def _rows(records: list[Record], seed: int) -> dict[tuple[str, int | None], list[dict[str, Any]]]:
    tasks: dict[tuple[str, int | None], list[dict[str, Any]]] = {}
    for record_index, record in enumerate(records):
        if record.task != "text" or any(d.text is None for d in record.distractors):
            what = "is an image-caption item" if record.task != "text" else "has image candidates"
            raise ExportError(
                f"record {record.id!r} {what}: lm-eval scores text only (its multimodal models cannot "
                "compute log-likelihoods), so image sets cannot run there; use --to sugarcrepe, inspect or hf"
            )
        for (engine, level), indices in groups(record).items():
            part = [record.distractors[i] for i in indices]
            mc = shuffled(record.positive, part, seed, f"{record.id}\x1f{engine}\x1f{level}")
            tasks.setdefault((engine, level), []).append(
                {
                    "id": record.id,
                    "context": record.anchor_text or "",
                    "choices": mc.choices,
                    "label": mc.label,
                    "order": mc.order,
                    "engine": engine,
                    "level": level,
                    "difficulty": mc.difficulties,
                    "op": [None if i == 0 else part[i - 1].op for i in mc.order],
                    "record_index": record_index,
                    "distractor_index": indices,
                    "record": record_json(replace(record, distractors=part)),
                }
            )
    return tasks


def _delimiter(task: str, rows: list[dict[str, Any]]) -> str:
    anchored = {bool(r["context"]) for r in rows}
    if len(anchored) > 1:
        raise ExportError(f"task {task}: some items have an anchor text and some do not; export the two kinds as separate sets")
    return " " if anchored == {True} else ""


def _task_config(task: str, group: str, data: Path, delimiter: str) -> dict[str, Any]:
    return {
        "task": task,
        "dataset_path": "json",
        "dataset_kwargs": {"data_files": {"test": str(data)}},
        "test_split": "test",
        "output_type": "multiple_choice",
        "doc_to_text": "{{context}}",
        "doc_to_choice": "choices",
        "doc_to_target": "label",
        "target_delimiter": delimiter,
        "num_fewshot": 0,
        "metric_list": [{"metric": m, "aggregation": "mean", "higher_is_better": True} for m in METRICS],
        "metadata": {"version": 1.0},
    }


def _dump(path: Path, config: dict[str, Any]) -> None:
    import yaml

    with atomic_open(path) as fh:
        yaml.safe_dump(config, fh, sort_keys=False, allow_unicode=True, width=1000)


def export(records: list[Record], target: Target, seed: int) -> dict[str, Any]:
    group = group_name(target.final)
    tasks = _rows(records, seed)
    names: list[str] = []
    sizes: dict[str, int] = {}
    for (engine, level), rows in sorted(tasks.items(), key=lambda kv: (kv[0][0], kv[0][1] is None, kv[0][1] or 0)):
        name = task_name(group, engine, level)
        if name in sizes:
            raise ExportError(f"engines {engine!r} and another one give the same task name {name!r}")
        rel = Path("data") / f"{name}.jsonl"
        with atomic_open(target.path / rel) as fh:
            sizes[name] = write_jsonl(fh, rows)
        _dump(target.path / f"{name}.yaml", _task_config(name, group, target.final.resolve() / rel, _delimiter(name, rows)))
        names.append(name)
    _dump(
        target.path / f"_{group}.yaml",
        {
            "group": group,
            "task": names,
            "aggregate_metric_list": [{"metric": m, "aggregation": "mean", "weight_by_size": True} for m in METRICS],
            "metadata": {"version": 1.0},
        },
    )
    return {
        "counts": {"items": sum(sizes.values()), "tasks": len(names)},
        "lm_eval": {"group": group, "tasks": sizes},
        "usage": f"lm_eval --model hf --model_args pretrained=MODEL --include_path {target.final} --tasks {group}",
    }
