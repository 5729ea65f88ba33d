"""The manifest written beside every output (``<out>.manifest.json``): what produced it, from what."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import negatives
from negatives.cache import describe
from negatives.readers import input_files

MANIFEST_SCHEMA = "negatives/manifest/1"
MANIFEST_MAX_BYTES = 64 << 20  # a larger file is no manifest of ours


def manifest_path(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(out.name + ".manifest.json")


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_digest(path: str | Path) -> dict[str, Any]:
    """The input's SHA-256; for a folder of shards, over each shard's name and SHA-256 in name order,
    with the shards listed."""
    path = Path(path)
    if not path.is_dir():
        return {"sha256": file_sha256(path)}
    files = input_files(path)
    digest = hashlib.sha256()
    for file in files:
        digest.update(f"{file.name}\x00{file_sha256(file)}\n".encode("utf-8", "surrogateescape"))
    return {"sha256": digest.hexdigest(), "files": [file.name for file in files]}


def loaded_models() -> dict[str, Any]:
    """Names and versions of the models this process loaded."""
    return describe()


def build_manifest(
    command: str,
    config: dict[str, Any],
    input_path: str | Path | None,
    counts: dict[str, int],
    seed: int | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A JSON-ready manifest; it holds no timestamp, so equal runs give equal bytes."""
    manifest: dict[str, Any] = {
        "schema": MANIFEST_SCHEMA,
        "package": {"name": "negatives", "version": negatives.__version__},
        "command": command,
        "seed": seed,
        "config": config,
        "models": loaded_models(),
        "counts": counts,
    }
    if input_path is not None:
        manifest["input"] = {"path": str(input_path), **input_digest(input_path)}
    if extra:
        manifest.update(extra)
    return manifest


def load_manifest(path: str | Path) -> dict[str, Any] | None:
    """The manifest in the file ``path``, or None when it is missing or not a manifest of ours."""
    path = Path(path)
    try:
        if not path.is_file() or path.stat().st_size > MANIFEST_MAX_BYTES:
            return None
        doc = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # unreadable, not UTF-8, not JSON
        return None
    return doc if isinstance(doc, dict) and doc.get("schema") == MANIFEST_SCHEMA else None


def is_manifest(path: Path) -> bool:
    """``path`` holds a manifest written by negatives (so a new run may replace it)."""
    return load_manifest(path) is not None


def read_manifest(out: str | Path) -> dict[str, Any] | None:
    """The manifest beside ``out``, or None when there is none (or it is not ours)."""
    return load_manifest(manifest_path(out))
