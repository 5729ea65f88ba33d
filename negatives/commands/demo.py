"""Run the whole job on the built-in scene world: render it, build graded text and image distractors,
probe the small CLIP, the blind panel and the language models, and write reports with difficulty-sweep
figures (into --out, default ./demo-out)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

Out = Annotated[Path, typer.Option("--out", "-o", help="Output directory.")]
Scenes = Annotated[int, typer.Option(help="Scenes to render (each gives up to four captions).")]

LEVELS = 5
PER_LEVEL = 2
TEXT_SCORERS = ("lm", "lm-choice", "biencoder", "blind")


def graded(records: list, scenes: dict, seed: int) -> tuple[list, dict]:
    """The graded-set pipeline of ``negatives generate`` (engines and random captions), with the ground
    truth of the scene world keeping only the false candidates. Returns the graded records and the
    per-engine validity (share the ground truth calls false)."""
    from negatives.builder import GradedSetBuilder
    from negatives.world.truth import TruthCheck

    truth = TruthCheck(scenes)
    builder = GradedSetBuilder(["entity", "binding", "count", "relation", "random"], per_engine=3, levels=LEVELS,
                               per_level=PER_LEVEL, seed=seed, checks=[truth])
    return [r for r in builder.build(records) if r.distractors], truth.validity()


def text_task(scenes: dict) -> list:
    """Context: a scene's written description; positive: its longest caption (a one-line summary)."""
    from negatives.records import Record
    from negatives.world.captions import captions, description

    records = []
    for image_id, scene in sorted(scenes.items()):
        if len(scene.groups) > 1:
            summary = max(captions(scene, n=4), key=len)
            records.append(Record(id=f"scene-{image_id}", task="text", anchor={"text": description(scene)},
                                  positive=summary, meta={"image_id": image_id}))
    return records


def image_selection(records: list, world: Any, scenes: dict, clip: tuple, seed: int) -> tuple[list, dict]:
    """One text-to-image item per image (its first caption), with graded image distractors."""
    import json

    from negatives.image_distractors import ImageCorpus, add_image_distractors, embed_images, text_to_image
    from negatives.world.truth import evaluate

    doc = json.loads(world.captions.read_text(encoding="utf-8"))
    paths = [str((world.images / img["file_name"]).resolve()) for img in doc["images"]]
    by_id = {img["id"]: [] for img in doc["images"]}
    for ann in doc["annotations"]:
        by_id[ann["image_id"]].append(ann["caption"])
    scene_of = {path: scenes[img["id"]] for path, img in zip(paths, doc["images"])}
    corpus = ImageCorpus(paths, embed_images(paths, clip), [by_id[img["id"]] for img in doc["images"]])
    first: dict[Any, Any] = {}
    for record in records:
        first.setdefault(record.meta["image_id"], record)
    items = [text_to_image(r) for r in first.values()]
    stats = add_image_distractors(items, corpus, levels=LEVELS, per_level=PER_LEVEL, seed=seed,
                                  is_true=lambda caption, path: evaluate(caption, scene_of[path]))
    return items, stats.to_dict()


def probe(path: Path, records: list, scorers: dict, out: Path, overwrite: bool, seed: int) -> dict:
    """Score the set written at ``path`` with ``scorers``; report and sweep figure into ``out``."""
    from negatives.manifest import file_sha256
    from probes.api import evaluate, write_outputs

    report = evaluate(records, scorers, progress=False, seed=seed)
    report["set"] = {"path": str(path), "sha256": file_sha256(path), "records": len(records), "rejected": 0}
    report["config"] = {"scorers": list(scorers), "seed": seed, "panels": "all"}
    write_outputs(report, out, panels="all", overwrite=overwrite)
    return report


def accuracy_table(report: dict) -> list[str]:
    """Markdown: one row per scorer, accuracy per difficulty level."""
    levels = sorted({row["level"] for s in report["scorers"].values() for row in s["metrics"]["level"]
                     if row.get("level") is not None})
    lines = ["| scorer | " + " | ".join(f"level {lv}" for lv in levels) + " |",
             "|---|" + "---|" * len(levels)]
    for name, result in report["scorers"].items():
        acc = {row["level"]: row for row in result["metrics"]["level"]}
        cells = [f"{acc[lv]['accuracy']:.2f} (n={acc[lv]['n']})" if lv in acc else "-" for lv in levels]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def engine_table(report: dict, scorer: str) -> list[str]:
    """Markdown: accuracy of one scorer per engine/op (which edits fool it)."""
    lines = ["| op | accuracy | n |", "|---|---|---|"]
    for row in report["scorers"][scorer]["metrics"]["op"]:
        lines.append(f"| {row['op']} | {row['accuracy']:.2f} | {row['n']} |")
    return lines


def main(
    out: Out = Path("demo-out"),
    scenes: Scenes = 40,
    seed: Annotated[int, typer.Option(help="Seed of the world and of every draw.")] = 0,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing demo output.")] = False,
) -> None:
    import time

    from negatives.clip_train import default_world_clip, retrieval_accuracy
    from negatives.readers import Reject, read_records
    from negatives.world.build import build_world, load_scenes
    from negatives.writers import atomic_open, check_writable, write_json, write_records
    from probes.scorers import build_scorers
    from probes.scorers.blind import blind_panel
    from probes.scorers.clip import ClipScorer

    start = time.perf_counter()
    summary_path = check_writable(out / "demo.md", overwrite)
    builtin = default_world_clip(log=typer.echo)
    clip = ClipScorer(builtin.config, builtin.pretrained)
    typer.echo(f"rendering {scenes} scenes into {out / 'world'}")
    world = build_world(out / "world", scenes, seed=seed, per_image=4, overwrite=overwrite)
    graphs = load_scenes(world.scenes)
    rows = list(read_records(world.captions, fmt="coco", image_root=world.images))
    bad = [r for r in rows if isinstance(r, Reject)]
    if bad:
        raise typer.BadParameter(f"the rendered world has unreadable rows: {bad[:3]}")

    typer.echo("generating graded caption distractors (all engines) ...")
    captions, validity = graded(rows, graphs, seed)
    write_records(out / "image-caption.jsonl", captions, overwrite)
    typer.echo("retrieving graded image distractors ...")
    selection, image_stats = image_selection(captions, world, graphs, clip.loaded, seed)
    write_records(out / "text-to-image.jsonl", selection, overwrite)
    typer.echo("building the text task (scene description -> summary) ...")
    text, text_validity = graded(text_task(graphs), graphs, seed)
    write_records(out / "text-task.jsonl", text, overwrite)

    typer.echo("probing: small CLIP + blind panel on captions, CLIP on images, LMs on the text task ...")
    sets = {
        "image-caption": (captions, {"clip": clip, **blind_panel(captions)}),
        "text-to-image": (selection, {"clip": clip}),
        "text-task": (text, build_scorers(TEXT_SCORERS, text)),
    }
    reports = {name: probe(out / f"{name}.jsonl", records, scorers, out / name, overwrite, seed)
               for name, (records, scorers) in sets.items()}
    retrieval = retrieval_accuracy(*clip.loaded, n=300, seed=seed)
    seconds = round(time.perf_counter() - start, 1)
    write_json(out / "demo.json", {"seconds": seconds, "clip": builtin._asdict(), "clip_retrieval": retrieval,
                                   "validity": validity, "text_validity": text_validity,
                                   "image_distractors": image_stats}, overwrite=True)

    lines = [
        "# negatives demo on the built-in scene world", "",
        f"{scenes} scenes, seed {seed}, {seconds} s. Small CLIP: `{builtin.pretrained}` "
        f"(held-out Recall@1 image->text {retrieval['image_to_text_r1']:.2f}, text->image "
        f"{retrieval['text_to_image_r1']:.2f}, chance {retrieval['chance']:.4f}).", "",
        "## Validity per engine (ground truth: share of distractors false of their scene)", "",
        "| engine | false | true | unknown | validity |", "|---|---|---|---|---|",
        *[f"| {e} | {v['false']} | {v['true']} | {v['unknown']} | {v['validity']:.2f} |" for e, v in validity.items()],
        "",
    ]
    for name, report in reports.items():
        lines += [f"## {name}: accuracy by difficulty level", "", *accuracy_table(report), "",
                  f"Figure: `{out / name / 'sweep.png'}`", ""]
    lines += ["## image-caption: small CLIP accuracy by edit", "", *engine_table(reports["image-caption"], "clip"), ""]
    with atomic_open(summary_path, overwrite) as fh:
        fh.write("\n".join(lines))
    from negatives.browse import browse

    sites = {name: out / "browse" / name for name in reports}
    for name, site in sites.items():
        browse(out / f"{name}.jsonl", site, reports=[out / name], image_root=world.images, overwrite=overwrite)
    typer.echo("\nbrowse the sets (open in any browser, from disk):")
    for name, site in sites.items():
        typer.echo(f"  {name}: {site / 'index.html'}")
    typer.echo("\n".join(accuracy_table(reports["image-caption"])))
    typer.echo(f"\ndone in {seconds} s. Summary: {summary_path}")
    for name in reports:
        typer.echo(f"  {name}: {out / name / 'report.md'}  figure: {out / name / 'sweep.png'}")
