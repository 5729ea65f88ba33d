"""The manifest written beside every output (``<out>.manifest.json``): what produced it, from what."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import negatives

MANIFEST_SCHEMA = "negatives/manifest/1"


def manifest_path(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(out.name + ".manifest.json")


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def loaded_models() -> dict[str, Any]:
    """Names and versions of the models this process loaded (none when models were never imported)."""
    models = sys.modules.get("negatives.models")
    return models.describe() if models is not None else {}


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
        manifest["input"] = {"path": str(input_path), "sha256": file_sha256(input_path)}
    if extra:
        manifest.update(extra)
    return manifest


def read_manifest(out: str | Path) -> dict[str, Any] | None:
    """The manifest beside ``out``, or None when there is none."""
    path = manifest_path(out)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
