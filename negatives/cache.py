"""Where the project keeps what it builds once (converted models, indexes, trained checkpoints), and
the record of the models a process has loaded, for run manifests.

Below every loader (:mod:`negatives.models`, :mod:`negatives.wordnet_data`,
:mod:`negatives.wordnet_index`, :mod:`negatives.clip_train`): it imports none of them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

_loaded: dict[str, dict[str, Any]] = {}


def cache_dir() -> Path:
    """Where converted models and built data live: `$NEGATIVES_CACHE` or `~/.cache/negatives`."""
    return Path(os.environ.get("NEGATIVES_CACHE") or Path.home() / ".cache" / "negatives")


def build_once(target: Path, marker: str, build: Callable[[Path], object]) -> Path:
    """``target``, made by ``build(staging)`` unless ``target/marker`` exists.

    ``build`` fills a fresh directory next to ``target``, which is then renamed into place
    atomically; when a concurrent builder got there first, its copy is kept and ours deleted, an
    incomplete ``target`` (no marker) is replaced, and a failed build leaves nothing behind.
    """
    if not (target / marker).is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
        try:
            build(staging)
            if target.exists() and not (target / marker).is_file():
                shutil.rmtree(target)  # a stale, incomplete copy (a complete one has the marker)
            try:
                os.replace(staging, target)
            except OSError:  # a concurrent builder's copy is there already: keep it
                if not (target / marker).is_file():
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # gone once renamed; cleared on failure
    return target


def record_model(kind: str, name: str, **info: Any) -> None:
    """Note a loaded model (``kind``: spacy, embedder, lm, open_clip, wordnet) for :func:`describe`."""
    _loaded.setdefault(kind, {})[name] = info


def describe() -> dict[str, dict[str, Any]]:
    """Names and versions of the models loaded so far, by kind, for run manifests."""
    return {kind: {name: dict(info) for name, info in sorted(entries.items())}
            for kind, entries in sorted(_loaded.items())}
