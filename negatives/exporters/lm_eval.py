"""lm-evaluation-harness task folder: one ``multiple_choice`` task per (engine, level), a group over
them, and one task of every item against all its distractors.

Layout of ``OUT/``::

    _<group>.yaml            group over the (engine, level) tasks (acc and acc_norm, weighted by size)
    <group>_<engine>_<level>.yaml
    <group>_all.yaml         each item against all its distractors: the probe's overall item accuracy
    data/<task>.jsonl        one row per item: context, choices (seeded order), label + provenance
    negatives_loader.py      loads each task's data relative to the folder (``custom_dataset``)
    manifest.json

Run it with ``lm_eval --model hf --model_args pretrained=DIR --include_path OUT --tasks <group>`` (or
``<group>_all``). The folder can be moved: the YAML files name their data relative to it, through
:mod:`negatives.exporters.lm_eval_loader` copied in as ``negatives_loader.py`` (lm-eval resolves a
plain ``data_files`` path against the working directory). lm-eval scores ``doc_to_text +
target_delimiter + choice``: the delimiter is " " after an anchor text and "" for items without one
(each choice is then scored from the model's prefix token).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from negatives.exporters.common import ExportError, Target, identifier, record_json, shuffled, slug, write_jsonl
from negatives.records import Record
from negatives.writers import atomic_open

METRICS = ("acc", "acc_norm")
UNLEVELED = "unleveled"  # task name part for distractors without a level
ALL = "all"  # the task of each item against all its distractors (no clash: other names end in a level)
LOADER = "negatives_loader"


def group_name(out: Path) -> str:
    """The group is named after the folder (task names are identifiers in lm-eval)."""
    return identifier(out.name)


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


def _row(record: Record, record_index: int, indices: list[int], key: str, seed: int) -> dict[str, Any]:
    """The task row of ``record`` against its distractors ``indices``, shuffled by ``(seed, key)``."""
    part = [record.distractors[i] for i in indices]
    mc = shuffled(record.positive, part, seed, key)
    return {
        "id": record.id,
        "context": record.anchor_text or "",
        "choices": mc.choices,
        "label": mc.label,
        "order": mc.order,
        "engine": mc.engines,
        "level": mc.levels,
        "difficulty": mc.difficulties,
        "op": mc.ops,
        "record_index": record_index,
        "distractor_index": indices,
        "record": record_json(replace(record, distractors=part)),
    }


def _rows(records: list[Record], seed: int) -> tuple[dict[tuple[str, int | None], list[dict[str, Any]]], list[dict[str, Any]]]:
    """Rows of each (engine, level) task, and of the all-distractors task."""
    tasks: dict[tuple[str, int | None], list[dict[str, Any]]] = {}
    every: list[dict[str, Any]] = []
    for record_index, record in enumerate(records):
        if record.task != "text" or any(d.text is None for d in record.distractors):
            what = "is an image-caption item" if record.task != "text" else "has image candidates"
            raise ExportError(
                f"record {record.id!r} {what}: lm-eval scores text only (its multimodal models cannot "
                "compute log-likelihoods), so image sets cannot run there; use --to sugarcrepe, inspect or hf"
            )
        for (engine, level), indices in groups(record).items():
            key = f"{record.id}\x1f{engine}\x1f{level}"
            tasks.setdefault((engine, level), []).append(_row(record, record_index, indices, key, seed))
        every.append(_row(record, record_index, list(range(len(record.distractors))), record.id, seed))
    return tasks, every


def _delimiter(task: str, rows: list[dict[str, Any]]) -> str:
    anchored = {bool(r["context"]) for r in rows}
    if len(anchored) > 1:
        raise ExportError(f"task {task}: some items have an anchor text and some do not; export the two kinds as separate sets")
    return " " if anchored == {True} else ""


class _Function(str):
    """A YAML ``!function`` value (lm-eval imports it from a file beside the YAML)."""


def _task_config(task: str, data: Path, delimiter: str) -> dict[str, Any]:
    return {
        "task": task,
        "custom_dataset": _Function(f"{LOADER}.load"),
        "dataset_kwargs": {"data_files": {"test": data.as_posix()}},
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

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(_Function, lambda dumper, value: dumper.represent_scalar("!function", str(value)))
    with atomic_open(path) as fh:
        yaml.dump(config, fh, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=1000)


def _task(target: Target, name: str, rows: list[dict[str, Any]]) -> int:
    """Write task ``name``: its data file and its YAML; returns its size."""
    data = Path("data") / f"{name}.jsonl"
    with atomic_open(target.path / data) as fh:
        size = write_jsonl(fh, rows)
    _dump(target.path / f"{name}.yaml", _task_config(name, data, _delimiter(name, rows)))
    return size


def export(records: list[Record], target: Target, seed: int) -> dict[str, Any]:
    group = group_name(target.final)
    tasks, every = _rows(records, seed)
    names: list[str] = []
    sizes: dict[str, int] = {}
    for (engine, level), rows in sorted(tasks.items(), key=lambda kv: (kv[0][0], kv[0][1] is None, kv[0][1] or 0)):
        name = task_name(group, engine, level)
        if name in sizes:
            raise ExportError(f"engines {engine!r} and another one give the same task name {name!r}")
        sizes[name] = _task(target, name, rows)
        names.append(name)
    all_task = f"{group}_{ALL}"
    all_size = _task(target, all_task, every)
    shutil.copyfile(Path(__file__).with_name("lm_eval_loader.py"), target.path / f"{LOADER}.py")
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
        "lm_eval": {"group": group, "tasks": sizes, "all": {all_task: all_size}},
        "usage": f"lm_eval --model hf --model_args pretrained=MODEL --include_path {target.final} --tasks {group} "
                 f"(per engine and level; {all_task}: each item against all its distractors)",
    }
