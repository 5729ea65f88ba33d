"""`negatives browse` vs reading and writing the same set as JSONL, side by side in one run, and what
the site weighs: its size on disk, its files, and what a browser loads to open it.

The baseline reads the set through the same strict reader and writes it back as records (what any
command that rewrites a set pays at least); the ratio is browse / baseline. With ``--chromium``,
headless Chromium (``tests/_chromium.py``) then opens the items page and times the first page, a
filter by engine, a filter by level and the jump to the last page, as a user would see them.

    .venv/bin/python benchmarks/bench_browse.py /tmp/coco25k.jsonl [--report DIR] [--image-root ROOT] [--chromium]

Without a set it generates one from ../shared/data/coco-mini-train (80 photos, 400 captions) and skips
when that is absent.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT.parent / "shared" / "data" / "coco-mini-train"
sys.path.insert(0, str(ROOT / "tests"))  # the Chromium driver of the browse test

from negatives.browse import DEFAULT_PER_PAGE, browse  # noqa: E402
from negatives.pipeline import checked_rows  # noqa: E402
from negatives.readers import ReadOptions  # noqa: E402
from negatives.writers import write_records  # noqa: E402


def seconds(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def mini_set(work: Path) -> tuple[Path, Path]:
    if not MINI.is_dir():
        raise SystemExit(f"skipped: give a set, or provide {MINI}")
    out = work / "mini.jsonl"
    cli = str(Path(sys.executable).parent / "negatives")
    subprocess.run([cli, "generate", str(MINI / "captions.json"), "--format", "coco", "--image-root", str(MINI / "images"),
                    "--out", str(out)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return out, MINI / "images"


def in_chromium(site: Path, work: Path) -> list[tuple[str, float]]:
    """Seconds until the page shows: first page, engine filter, level filter, last page."""
    from _chromium import Chromium, find_chromium

    binary = find_chromium()
    if binary is None:
        return []
    timings = []
    with Chromium(binary, work / "profile") as browser:

        def shown(label: str, action: str) -> None:
            before = browser.evaluate("document.body.dataset.rendered || ''")
            start = time.perf_counter()
            browser.evaluate(action)
            browser.wait(f"(document.body.dataset.rendered || '') !== {before!r}", timeout=120)
            timings.append((label, time.perf_counter() - start))

        start = time.perf_counter()
        browser.open((site / "items.html").as_uri())
        browser.wait("document.body.dataset.rendered", timeout=120)
        timings.append(("open items.html, first page drawn", time.perf_counter() - start))
        engine = browser.evaluate("document.getElementById('filter-engine').options[1].value")
        shown(f"filter engine={engine}", f"(() => {{ const s = document.getElementById('filter-engine'); s.value = {engine!r}; s.dispatchEvent(new Event('change')); }})()")
        shown("and level=4", "(() => { const s = document.getElementById('filter-level'); s.value = '4'; s.dispatchEvent(new Event('change')); })()")
        shown("no filter, last page", "location.hash = 'page=' + 1e9")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", nargs="?", type=Path, help="a graded set (records JSONL)")
    parser.add_argument("--report", type=Path, action="append", default=[], help="a probe folder of the set (repeatable)")
    parser.add_argument("--image-root", type=Path)
    parser.add_argument("--per-page", type=int, default=DEFAULT_PER_PAGE)
    parser.add_argument("--chromium", action="store_true", help="also time the pages in headless Chromium")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        set_path, image_root = (args.set, args.image_root) if args.set else mini_set(work)
        read = ReadOptions(fmt="records", image_root=image_root)
        baseline = seconds(lambda: write_records(work / "copy.jsonl", checked_rows(set_path, read, "fail")))
        site = work / "site"
        manifest: dict[str, Any] = {}
        took = seconds(lambda: manifest.update(browse(set_path, site, reports=args.report, image_root=image_root, per_page=args.per_page)))
        files = [p for p in site.rglob("*") if p.is_file()]
        data = site / "data"
        size = {name: (data / f"{name}.js").stat().st_size for name in ("index", "page-1")}
        largest = max(p.stat().st_size for p in data.glob("page-*.js"))
        total = sum(p.stat().st_size for p in files)
        timings = in_chromium(site, work) if args.chromium else []

    counts = manifest["counts"]
    print(f"set {set_path}: {counts['items']:,} items, {counts['distractors']:,} distractors, {mb(set_path.stat().st_size)}")
    print(f"{'read + write the JSONL':<34} {baseline:8.1f} s")
    print(f"{'negatives browse':<34} {took:8.1f} s   ratio {took / baseline:.2f}")
    print(f"site: {mb(total)} in {len(files):,} files ({counts['pages']:,} pages of {args.per_page}, {counts['thumbnails']:,} thumbnails)")
    print(f"opening items.html loads {mb(size['index'] + size['page-1'])} (index.js {mb(size['index'])} + page-1.js); "
          f"largest page file {mb(largest)}")  # fmt: skip
    for label, value in timings:
        print(f"chromium: {label:<40} {value:6.2f} s")
    if args.chromium and not timings:
        print("chromium: not installed, pages not timed")


if __name__ == "__main__":
    main()
