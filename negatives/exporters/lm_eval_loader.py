"""The data loader of an lm-eval export, copied into every export folder as ``negatives_loader.py``.

Each task YAML names it as ``custom_dataset: !function negatives_loader.load`` and lists its data
files relative to the folder, so the folder can be moved or shared: lm-eval would resolve a plain
``data_files`` path against the working directory. Standard library and ``datasets`` only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def load(data_files: dict[str, str], **_: Any) -> Any:
    """The task's JSONL files, paths relative to this folder, as a ``datasets.DatasetDict``.

    lm-eval calls it with the task's ``metadata`` and ``dataset_kwargs`` (and the model's arguments).
    """
    import datasets

    return datasets.load_dataset("json", data_files={split: str(HERE / path) for split, path in data_files.items()})
