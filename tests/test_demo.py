"""`negatives demo` end to end on a small world: every file it promises, with real numbers in them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from negatives.cli import app
from negatives.readers import read_records

SETS = {"image-caption": {"clip", "length"}, "text-to-image": {"clip"}, "text-task": {"lm", "lm-choice", "biencoder"}}


def test_demo_end_to_end(tmp_path):
    out = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--scenes", "12"])
    assert result.exit_code == 0, result.output
    assert str(out / "demo.md") in result.output

    summary = json.loads((out / "demo.json").read_text())
    assert summary["clip_retrieval"]["image_to_text_r1"] > 5 * summary["clip_retrieval"]["chance"]
    assert summary["validity"] and all(0 <= v["validity"] <= 1 for v in summary["validity"].values())

    for name, scorers in SETS.items():
        records = list(read_records(out / f"{name}.jsonl", fmt="records"))
        assert records and all(r.distractors for r in records)
        assert all(d.level is not None for r in records for d in r.distractors)
        report = json.loads((out / name / "report.json").read_text())
        assert scorers <= set(report["scorers"])
        for figure in ("sweep.png", "sweep.svg", "report.md", "report.csv"):
            assert (out / name / figure).stat().st_size > 0
    caption_set = json.loads((out / "image-caption" / "report.json").read_text())
    levels = {row["level"]: row["accuracy"] for row in caption_set["scorers"]["clip"]["metrics"]["level"]}
    assert levels[1] > 0.5  # random captions are easy for the trained CLIP

    for name in SETS:  # a browsable site per set, its path printed before the summary
        site = out / "browse" / name
        assert (site / "index.html").is_file() and (site / "data" / "page-1.js").is_file()
        assert result.output.index(str(site / "index.html")) < result.output.index(str(out / "demo.md"))
    assert any((out / "browse" / "image-caption" / "thumbs").iterdir())
    assert '"scores":{"clip":' in (out / "browse" / "image-caption" / "data" / "page-1.js").read_text()

    again = CliRunner().invoke(app, ["demo", "--out", str(out), "--scenes", "12"])
    assert again.exit_code != 0 and "--overwrite" in str(again.exception)  # nothing is silently replaced
