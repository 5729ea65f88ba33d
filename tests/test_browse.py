"""`negatives browse`: the site of a small set with images of the built-in world and a probe run,
opened in headless Chromium (items, distractors, filters, an image, escaping), plus its output safety."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from _chromium import Chromium, find_chromium
from negatives.cli import app
from negatives.manifest import build_manifest, file_sha256, manifest_path
from negatives.readers import read_records
from negatives.records import Distractor, Edit, Record
from negatives.world.build import build_world
from negatives.writers import write_json, write_records
from probes.api import evaluate, write_outputs

HOSTILE = """<script>alert(1)</script> a "quoted" & 'single' <img src=x onerror="window.__xss=1"> caption"""
SIGNALS = {"plausibility": 0.91, "similarity": 0.83, "changed": 0.2, "same_words": False}
PER_PAGE = 5


def first_word_swapped(positive: str, new: str, level: int) -> Distractor:
    old = positive.split(" ")[0]
    return Distractor(text=new + positive[len(old) :], engine="entity", op="replace", edit=Edit((0, len(old)), old, new),
                      difficulty=0.2 * level - 0.1, level=level, checks={"edit": True, "plausible": True, "surface": False},
                      meta={"signals": SIGNALS})  # fmt: skip


def build_set(folder: Path) -> tuple[Path, Path, list[Record]]:
    """Seven items with a world image each (an entity edit at level 4 on every other one, a random
    caption at level 1 on all) and one text item whose texts are hostile HTML; returns the set,
    the image root and the records."""
    world = build_world(folder / "world", 7, seed=0)
    rows = [r for r in read_records(world.captions, fmt="coco", image_root=world.images) if isinstance(r, Record)]
    firsts = list({r.anchor_image: r for r in reversed(rows)}.values())[::-1]  # one caption per image
    records = []
    for k, row in enumerate(firsts):
        other = firsts[(k + 1) % len(firsts)].positive
        ds = [Distractor(text=other, engine="random", op="sample", difficulty=0.05, level=1, meta={"signals": SIGNALS})]
        if k % 2 == 0:
            ds.append(first_word_swapped(row.positive, "several", 4))
        records.append(Record(id=f"img-{k}", task="image-caption", anchor=dict(row.anchor), positive=row.positive,
                              distractors=ds, meta={"siblings": row.siblings[:2]}))  # fmt: skip
    records.append(Record(id="hostile", task="text", anchor={"text": HOSTILE}, positive=HOSTILE,
                          distractors=[first_word_swapped(HOSTILE, "<b>bold</b>", 4)]))  # fmt: skip
    path = folder / "set.jsonl"
    write_records(path, records)
    write_json(manifest_path(path), build_manifest("generate", {"engines": ["entity", "random"]}, world.captions, {"written": len(records)}, seed=7))
    return path, world.images, records


def probe(records: list[Record], set_path: Path, out: Path) -> Path:
    """A probe run of two scorers that disagree: the shorter candidate wins, the longer one wins."""
    scorers = {"shorter": lambda anchor, cands: [-len(c) for c in cands], "longer": lambda anchor, cands: [len(c) for c in cands]}
    report = evaluate(records, scorers, progress=False)
    report["set"] = {"path": str(set_path), "sha256": file_sha256(set_path), "records": len(records), "rejected": 0}
    write_outputs(report, out, panels="all")
    return out


def browse(*args: str | Path) -> str:
    result = CliRunner().invoke(app, ["browse", *map(str, args)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Record]]:
    folder = tmp_path_factory.mktemp("browse")
    set_path, images, records = build_set(folder)
    report = probe(records, set_path, folder / "probe")
    out = browse(set_path, "--out", folder / "site", "--report", report, "--image-root", images, "--per-page", PER_PAGE)
    assert "wrote 8 items (12 distractors) on 2 pages, 7 thumbnails" in out
    return folder / "site", records


def wrong_by_shorter(record: Record, engine: str | None = None) -> bool:
    group = [d for d in record.distractors if engine is None or d.engine == engine]
    return bool(group) and any(len(str(d.text)) <= len(record.positive) for d in group)


def test_the_site_in_chromium(site: tuple[Path, list[Record]], tmp_path: Path) -> None:
    folder, records = site
    binary = find_chromium()
    if binary is None:
        pytest.skip("Chromium is not installed: `make setup` installs Debian's chromium when run as root (apt-get install chromium)")
    count = "document.querySelectorAll({!r}).length".format
    with Chromium(binary, tmp_path / "profile") as browser:
        browser.open((folder / "items.html").as_uri())
        browser.wait("document.body.dataset.rendered")
        assert browser.evaluate(count(".item")) == PER_PAGE
        assert browser.evaluate(count(".distractor")) == sum(len(r.distractors) for r in records[:PER_PAGE])
        first = browser.wait("(() => { const i = document.querySelector('.item img'); return i && i.complete && i.naturalWidth; })()")
        assert first == 64  # the world's 64-pixel image, thumbnailed into the site

        def rendered_after(action: str) -> None:
            before = browser.evaluate("document.body.dataset.rendered")
            browser.evaluate(action)
            browser.wait(f"document.body.dataset.rendered !== {before!r}")

        rendered_after("document.querySelector('#pager button:last-of-type').click()")  # next page
        assert browser.evaluate(count(".item")) == len(records) - PER_PAGE
        assert browser.evaluate(count(".distractor")) == sum(len(r.distractors) for r in records[PER_PAGE:])

        hostile = "document.querySelector('[data-id=\"hostile\"]')"
        assert browser.evaluate(f"{hostile}.querySelector('.positive .text').textContent") == HOSTILE
        assert browser.evaluate(f"{hostile}.querySelector('.anchor').textContent") == HOSTILE
        assert browser.evaluate(f"{hostile}.querySelector('mark.new').textContent") == "<b>bold</b>"
        assert browser.evaluate(f"{hostile}.querySelectorAll('script, img, b').length") == 0
        assert browser.evaluate("[...document.scripts].map(s => s.getAttribute('src')).sort().join()") == (
            "assets/browse.js,data/index.js,data/page-1.js,data/page-2.js")  # fmt: skip

        rendered_after("(() => { const s = document.getElementById('filter-engine'); s.value = 'entity'; s.dispatchEvent(new Event('change')); })()")
        entity = [r for r in records if any(d.engine == "entity" for d in r.distractors)]
        assert browser.evaluate(count(".item")) == len(entity) < len(records)
        assert browser.evaluate(count(".distractor")) == len(entity)
        assert browser.evaluate(count(".distractor[data-engine='random']")) == 0
        assert "engine=entity" in browser.evaluate("location.hash")

        rendered_after("(() => { const s = document.getElementById('filter-outcome'); s.value = 'wrong:shorter'; s.dispatchEvent(new Event('change')); })()")
        expected = sorted(r.id for r in records if wrong_by_shorter(r, "entity"))
        assert sorted(browser.evaluate("[...document.querySelectorAll('.item')].map(i => i.dataset.id)")) == expected
        assert browser.evaluate(count(".item .score")) > 0  # per-item scores of both scorers

        browser.evaluate("location.hash = ''")
        browser.wait(f"{count('.item')} === {PER_PAGE}")
        items_png = browser.screenshot(tmp_path / "items.png")

        browser.open((folder / "index.html").as_uri())
        browser.wait("document.body.dataset.rendered")
        assert browser.wait("(() => { const i = document.querySelector('img.sweep'); return i && i.complete && i.naturalWidth; })()") > 100
        table = browser.evaluate("document.querySelector('table.counts').innerText")
        assert "level 1" in table and "level 4" in table and "entity" in table and "random" in table
        text = browser.evaluate("document.body.innerText")
        assert text.count("items it got wrong") == 2 and file_sha256(folder.parent / "world" / "captions.json") in text  # the manifest's input
        overview_png = browser.screenshot(tmp_path / "overview.png")

        assert not browser.events_of("Page.javascriptDialogOpening"), "a caption ran as a script"
        assert not browser.events_of("Runtime.exceptionThrown")
        assert browser.evaluate("window.__xss") is None
    print(f"\nscreenshots: {overview_png} {items_png}")
    assert items_png.read_bytes()[:4] == overview_png.read_bytes()[:4] == b"\x89PNG"


def test_the_site_holds_its_data_and_assets(site: tuple[Path, list[Record]]) -> None:
    folder, records = site
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert [n for n in names if not n.startswith("thumbs/")] == [
        "assets/browse.css", "assets/browse.js", "data/index.js", "data/overview.js", "data/page-1.js", "data/page-2.js",
        "figures/sweep-1.png", "index.html", "items.html", "manifest.json",
    ]  # fmt: skip
    index = json.loads((folder / "data" / "index.js").read_text().removeprefix('negativesData("index",null,').removesuffix(");\n"))
    assert sorted(index["scorers"]) == ["longer", "shorter"] and len(index["items"]) == len(records)
    hostile = dict(zip(index["scorers"], index["fooled"][-1]))
    assert hostile == {"shorter": "1", "longer": "0"}  # "<b>bold</b>" is shorter than the "<script>..." it replaced
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["command"] == "browse" and manifest["counts"]["thumbnails"] == 7
    page = json.loads((folder / "data" / "page-2.js").read_text().removeprefix('negativesData("page",2,').removesuffix(");\n"))
    assert page[-1]["positive"] == {"text": HOSTILE} and page[-1]["distractors"][0]["edit"]["new"] == "<b>bold</b>"


def test_same_input_same_bytes_and_overwrite(site: tuple[Path, list[Record]], tmp_path: Path) -> None:
    folder, _ = site
    source = folder.parent
    args = [source / "set.jsonl", "--report", source / "probe", "--image-root", source / "world" / "images", "--per-page", PER_PAGE]
    browse(*args, "--out", tmp_path / "again")
    files = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    assert all((folder / f).read_bytes() == (tmp_path / "again" / f).read_bytes() for f in files if f.name != "manifest.json")
    result = CliRunner().invoke(app, ["browse", *map(str, args), "--out", str(tmp_path / "again")])
    assert result.exit_code != 0 and "--overwrite" in str(result.exception)
    browse(*args, "--out", tmp_path / "again", "--overwrite")  # a site of ours is replaced


def test_refuses_what_it_must_not_write_or_read(site: tuple[Path, list[Record]], tmp_path: Path) -> None:
    folder, records = site
    source = folder.parent
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    cases = [
        (["--out", mine, "--overwrite"], "did not write"),
        (["--out", source / "world" / "images", "--image-root", source / "world" / "images", "--overwrite"], "input"),
        (["--out", tmp_path / "s", "--report", source / "world"], "no probe report folder"),
        (["--out", tmp_path / "s", "--per-page", "0"], "per-page"),
    ]
    other = tmp_path / "other.jsonl"
    write_records(other, records[:2])
    cases.append((["--out", tmp_path / "s", "--report", source / "probe"], "another set"))
    for extra, message in cases:
        set_path = other if message == "another set" else source / "set.jsonl"
        result = CliRunner().invoke(app, ["browse", str(set_path), *map(str, extra)])
        assert result.exit_code != 0, extra
        assert message in (str(result.exception) + result.output), (extra, result.output, result.exception)
    assert (mine / "notes.txt").read_text() == "keep me" and sorted(p.name for p in mine.iterdir()) == ["notes.txt"]
    assert not (tmp_path / "s").exists() and not list(tmp_path.glob(".*negatives-tmp"))


def test_without_image_root_images_are_named_not_read(site: tuple[Path, list[Record]], tmp_path: Path) -> None:
    folder, records = site
    browse(folder.parent / "set.jsonl", "--out", tmp_path / "plain")
    assert not (tmp_path / "plain" / "thumbs").exists()
    page = (tmp_path / "plain" / "data" / "page-1.js").read_text()
    assert '"name":"scene_000000.png"' in page and '"src"' not in page


def test_an_image_outside_the_root_is_refused(site: tuple[Path, list[Record]], tmp_path: Path) -> None:
    folder, records = site
    outside = tmp_path / "outside.jsonl"
    write_records(outside, [Record(id="x", task="image-caption", anchor={"image": "/etc/hostname"}, positive="a thing")])
    result = CliRunner().invoke(app, ["browse", str(outside), "--out", str(tmp_path / "s"), "--image-root", str(folder.parent / "world" / "images")])
    assert result.exit_code != 0 and "escapes the image root" in str(result.exception)
    assert not (tmp_path / "s").exists()
