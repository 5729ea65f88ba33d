"""Read exports back into Records: HF datasets folders, parquet, lm-eval folders and inspect JSONL.

Files written by ``negatives export`` carry each item whole (the ``record`` column or metadata), so
they come back losslessly, with the distractors the export kept, in their original order.
HF datasets or parquet tables without a ``record`` column are read from the flat columns
(``id, positive, distractors`` and optionally ``anchor_text``, ``anchor_image``, ``engines``,
``ops``, ``levels``, ``difficulties``). SugarCrepe JSON is read by :mod:`negatives.readers`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from negatives.errors import InputError
from negatives.exporters.common import check_choices
from negatives.readers import RowError, json_object
from negatives.records import Distractor, Record, RecordError

KINDS = ("hf", "parquet", "lm-eval", "inspect")


def detect(path: str | Path) -> str:
    """Which export ``path`` is: ``hf``, ``parquet``, ``lm-eval`` or ``inspect``."""
    path = Path(path)
    if path.is_dir():
        if (path / "state.json").is_file() or (path / "dataset_dict.json").is_file():
            return "hf"
        if any(path.glob("*.yaml")) and (path / "data").is_dir():
            return "lm-eval"
        raise InputError(f"{path}: neither a datasets folder (save_to_disk) nor an lm-eval task folder")
    if path.suffix.lower() == ".parquet":
        return "parquet"
    if path.suffix.lower() in (".jsonl", ".json"):
        return "inspect"
    raise InputError(f"{path}: cannot tell which export this is")


def import_records(path: str | Path, kind: str | None = None) -> Iterator[Record]:
    """Records of an export; ``kind`` is one of :data:`KINDS` (default: detected)."""
    kind = kind or detect(path)
    readers = {"hf": _from_dataset, "parquet": _from_parquet, "lm-eval": _from_lm_eval, "inspect": _from_inspect}
    if kind not in readers:
        raise InputError(f"unknown export kind {kind!r}; choose one of {', '.join(KINDS)}")
    return readers[kind](Path(path))


def _record(value: Any, where: str) -> Record:
    try:
        return Record.from_dict(json.loads(value) if isinstance(value, str) else value)
    except (RecordError, json.JSONDecodeError, TypeError) as exc:
        raise InputError(f"{where}: bad stored record: {exc}") from exc


# -- tables ----------------------------------------------------------------------------------------


def _from_rows(rows: Iterator[dict[str, Any]], where: str) -> Iterator[Record]:
    for index, row in enumerate(rows):
        at = f"{where}: row {index}"
        if row.get("record"):
            yield _record(row["record"], at)
            continue
        try:
            yield _flat_record(row)
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{at}: {exc}") from exc


def _flat_record(row: dict[str, Any]) -> Record:
    texts = list(row["distractors"])
    n = len(texts)

    def column(name: str, default: Any) -> list[Any]:
        values = row.get(name)
        if values is None:
            return [default] * n
        if len(values) != n:
            raise ValueError(f"column {name!r} has {len(values)} values for {n} distractors")
        return list(values)

    image, text = row.get("anchor_image"), row.get("anchor_text")
    anchor = {"image": image} if image else ({"text": text} if text else {})
    return Record(
        id=str(row["id"]),
        task="image-caption" if image else "text",
        anchor=anchor,
        positive=str(row["positive"]),
        distractors=[
            Distractor(text=t, engine=e, op=o, level=lv, difficulty=df)
            for t, e, o, lv, df in zip(
                texts, column("engines", "imported"), column("ops", "imported"), column("levels", None), column("difficulties", None)
            )
        ],
    )


def _from_dataset(path: Path) -> Iterator[Record]:
    import datasets

    ds = datasets.load_from_disk(str(path))
    if isinstance(ds, datasets.DatasetDict):
        raise InputError(f"{path}: a DatasetDict with splits {sorted(ds)}; pass one split's folder")
    yield from _from_rows(iter(ds), str(path))


def _from_parquet(path: Path) -> Iterator[Record]:
    import pyarrow.parquet as pq

    yield from _from_rows(iter(pq.read_table(path).to_pylist()), str(path))


# -- multiple-choice JSONL ---------------------------------------------------------------------------


def _json_lines(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                row = json_object(line)
            except RowError as exc:
                raise InputError(f"{where}: {exc}") from exc
            yield where, row


def _from_inspect(path: Path) -> Iterator[Record]:
    for where, row in _json_lines(path):
        meta = row.get("metadata") or {}
        if "record" not in meta or "order" not in meta:
            raise InputError(f"{where}: not an inspect sample written by negatives (no metadata.record/order)")
        record = _record(meta["record"], where)
        check_choices(row.get("choices") or [], meta["order"], record, where)
        yield record


def _from_lm_eval(path: Path) -> Iterator[Record]:
    """Rows of every task, merged back by item: distractors return to their original positions."""
    parts: dict[int, tuple[Record, dict[int, Distractor]]] = {}
    for data in sorted((path / "data").glob("*.jsonl")):
        for where, row in _json_lines(data):
            try:
                record = _record(row["record"], where)
                check_choices(row["choices"], row["order"], record, where)
                _, slots = parts.setdefault(int(row["record_index"]), (record, {}))
                slots.update(zip((int(i) for i in row["distractor_index"]), record.distractors))
            except KeyError as exc:
                raise InputError(f"{where}: not an lm-eval row written by negatives (no {exc})") from exc
    for _, (record, slots) in sorted(parts.items()):
        if sorted(slots) != list(range(len(slots))):
            raise InputError(f"{path}: item {record.id!r} misses distractors {sorted(set(range(max(slots) + 1)) - set(slots))}")
        record.distractors = [slots[i] for i in range(len(slots))]
        yield record
