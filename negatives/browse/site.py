"""Write the site: plan the folder, check the probe runs and the audit, stream the set into page
data scripts, copy the figures and assets, and commit the folder whole."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

from negatives.browse.items import Index, Thumbnail, item_view
from negatives.browse.sources import ProbeRun, load_audit, load_probe_runs, merged_scores
from negatives.browse.thumbs import Thumbnails
from negatives.errors import InputError, UsageError
from negatives.exporters import MANIFEST_IN_FOLDER, is_export_folder
from negatives.manifest import build_manifest, file_sha256, read_manifest
from negatives.outputs import Outputs
from negatives.pipeline import checked_rows
from negatives.readers import ReadOptions
from negatives.records import Record
from negatives.writers import write_json

DEFAULT_PER_PAGE = 50
PAGES = {"index.html": ("overview", "overview", "overview"), "items.html": ("items", "items", "index")}  # view, title, data


def browse(
    set_path: str | Path,
    out: str | Path,
    *,
    reports: Sequence[str | Path] = (),
    audit: str | Path | None = None,
    image_root: str | Path | None = None,
    per_page: int = DEFAULT_PER_PAGE,
    overwrite: bool = False,
) -> dict[str, Any]:
    """Write the browsable site of the set ``set_path`` into the folder ``out``; returns its manifest.

    ``reports`` are probe or sweep output folders of this set, ``audit`` an audit folder of it;
    images are read (and thumbnailed) only with ``image_root``, and only inside it.
    """
    set_path, out = Path(set_path), Path(out)
    folders = [Path(r) for r in reports]
    if per_page < 1:
        raise UsageError(f"--per-page must be at least 1, got {per_page}")
    if not set_path.is_file():
        raise InputError(f"{set_path}: no such file")
    outputs = Outputs([set_path, image_root, *folders, audit], overwrite)
    outputs.add(out, "site", folder=True, ours=is_export_folder)
    sha256 = file_sha256(set_path)
    runs = load_probe_runs(folders, sha256)
    audited = load_audit(Path(audit), sha256) if audit is not None else None
    root = Path(image_root) if image_root is not None else None
    records = checked_rows(set_path, ReadOptions(fmt="records", image_root=root), "fail")
    with outputs:
        site = outputs.folder(out)
        thumbnails = Thumbnails(site) if root is not None else None
        index = Index([label for run in runs for label in run.labels.values()])
        pages = _write_items(site, records, index, per_page, thumbnails, merged_scores(runs))
        counts = index.counts()
        _data(site, "index", None, {**index.to_dict(per_page), "name": set_path.name})
        _data(site, "overview", None, {
            "set": {"name": set_path.name, "path": str(set_path), "sha256": sha256},
            "manifest": read_manifest(set_path),
            "counts": counts,
            "pages": pages,
            "per_page": per_page,
            "images": "thumbnails" if root is not None else "file names only (no --image-root)",
            "reports": [_report_view(site, run, k) for k, run in enumerate(runs, start=1)],
            "audit": audited,
        })  # fmt: skip
        _write_assets(site)
        config = {"per_page": per_page, "reports": [str(f) for f in folders], "audit": str(audit) if audit else None,
                  "image_root": str(root) if root else None}  # fmt: skip
        totals = {"items": counts["items"], "distractors": counts["distractors"], "pages": pages,
                  "thumbnails": len(thumbnails.made) if thumbnails else 0}  # fmt: skip
        manifest = build_manifest("browse", config, set_path, totals, extra={"output": str(out)})
        write_json(site / MANIFEST_IN_FOLDER, manifest)
    return manifest


def _write_items(
    site: Path, records: Iterable[Record], index: Index, per_page: int, thumbnail: Thumbnail | None, scores: dict[str, Any]
) -> int:
    """One data script per ``per_page`` items; returns how many."""
    page: list[dict[str, Any]] = []
    pages = 0
    for record in records:
        found = scores.get(record.id)
        if found and any(len(s) != len(record.distractors) + 1 for s in found["scores"].values()):
            raise UsageError(f"item {record.id!r}: the probe run scored other distractors than the set holds (probed before an edit?)")
        index.add(record, found["scores"] if found else {})
        page.append(item_view(record, thumbnail, found))
        if len(page) == per_page:
            pages += 1
            _data(site, "page", pages, page)
            page = []
    if page or not pages:
        pages += 1
        _data(site, "page", pages, page)
    return pages


def _data(site: Path, kind: str, key: int | None, data: Any) -> None:
    """``data/<kind>[-key].js``: one call ``negativesData(kind, key, data)``. JSON is JavaScript; every
    non-ASCII character is escaped, so the file reads the same in any encoding."""
    folder = site / "data"
    folder.mkdir(exist_ok=True)
    text = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"), allow_nan=False)
    name = kind if key is None else f"{kind}-{key}"
    (folder / f"{name}.js").write_text(f"negativesData({json.dumps(kind)},{json.dumps(key)},{text});\n", encoding="ascii")


def _report_view(site: Path, run: ProbeRun, k: int) -> dict[str, Any]:
    figure = None
    if run.figure is not None:
        figure = f"figures/sweep-{k}.png"
        (site / "figures").mkdir(exist_ok=True)
        shutil.copyfile(run.figure, site / figure)
    return {"path": str(run.folder), "figure": figure, "scorers": run.summary()}


def _write_assets(site: Path) -> None:
    assets = resources.files("negatives.browse") / "assets"
    (site / "assets").mkdir()
    for name in ("browse.js", "browse.css"):
        (site / "assets" / name).write_bytes((assets / name).read_bytes())
    page = Template((assets / "page.html").read_text(encoding="utf-8"))
    for name, (view, title, data) in PAGES.items():
        (site / name).write_text(page.substitute(view=view, title=title, data=data), encoding="utf-8")
