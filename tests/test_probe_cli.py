"""The probe and sweep commands on a small set written here: report files, figure files, rejects, determinism."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from negatives.cli import app
from negatives.records import Distractor, Record
from probes.api import evaluate, write_outputs
from probes.scorers.blind import LengthScorer

CAPTIONS = [
    "a dog running on the grass",
    "a cat sleeping on a red sofa",
    "two men playing tennis on a court",
    "a plate of food with broccoli and rice",
    "a red bus parked on the street",
    "a woman holding an umbrella in the rain",
]


def write_set(path: Path, bad_line: bool = False) -> Path:
    lines = []
    for i, c in enumerate(CAPTIONS):
        words = c.split()
        ds = [
            Distractor(text=c + " with a small green hat", engine="add", op="add", level=1),
            Distractor(text=" ".join(words[1:] + words[:1]), engine="shuffle", op="rotate", level=2),
            Distractor(text=" ".join(reversed(words)), engine="shuffle", op="reverse", level=3),
        ]
        lines.append(Record(id=str(i), task="text", anchor={"text": c}, positive=c, distractors=ds).to_json())
    lines.append(Record(id="lonely", task="text", anchor={}, positive="no distractors here").to_json())
    if bad_line:
        lines.append('{"schema": "negatives/1", "id": "bad"}')
    path.write_text("\n".join(lines) + "\n")
    return path


def test_probe_command_writes_every_output(tmp_path: Path) -> None:
    data = write_set(tmp_path / "set.jsonl")
    result = CliRunner().invoke(app, ["probe", str(data), "--scorer", "blind-length", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "blind-length: accuracy" in result.output
    for name in ("report.json", "report.csv", "report.md", "sweep.png", "sweep.svg"):
        assert (tmp_path / "out" / name).stat().st_size > 0, name
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    res = report["scorers"]["blind-length"]
    assert res["skipped"] == 1 and report["set"]["records"] == 7
    levels = {r["level"]: r["accuracy"] for r in res["metrics"]["level"]}
    assert levels[1] == 1.0  # the added words make every level-1 distractor longer
    assert levels[2] == levels[3] == 0.0  # same length: ties fail
    rows = list(csv.DictReader((tmp_path / "out" / "report.csv").open()))
    assert {"scorer", "engine", "level", "n", "accuracy", "lo", "hi", "pairwise_accuracy"} <= set(rows[0])
    assert (tmp_path / "out" / "sweep.png").read_bytes()[:4] == b"\x89PNG"
    assert "# Probe report" in (tmp_path / "out" / "report.md").read_text()
    items = [json.loads(line) for line in (tmp_path / "out" / "items.jsonl").read_text().splitlines()]
    assert [i["id"] for i in items] == [str(i) for i in range(len(CAPTIONS))]  # "lonely" has no distractors
    first = items[0]["scores"]["blind-length"]
    assert len(first) == 4 and first[0] > first[1]  # [positive, *distractors]: the added words lose on length
    assert items[0]["correct"] == {"blind-length": False} and "items" not in report  # ties at levels 2-3 fail
    again = CliRunner().invoke(app, ["probe", str(data), "--scorer", "blind-length", "--out", str(tmp_path / "out")])
    assert again.exit_code != 0 and "exists" in str(again.exception or again.output)


def test_sweep_compares_scorers_and_is_deterministic(tmp_path: Path) -> None:
    data = write_set(tmp_path / "set.jsonl", bad_line=True)
    args = ["sweep", str(data), "-s", "blind-length", "-s", "blind-ngram", "-s", "blind-length,prefer=longer", "--on-error", "skip"]
    outputs = []
    for name in ("a", "b"):
        result = CliRunner().invoke(app, [*args, "--out", str(tmp_path / name), "--panels", "all"])
        assert result.exit_code == 0, result.output
        outputs.append(tmp_path / name)
    report = json.loads((outputs[0] / "report.json").read_text())
    assert len(report["comparisons"]) == 3 and report["set"]["rejected"] == 1
    assert (outputs[0] / "rejects.jsonl").read_text().count("\n") == 1
    for name in ("report.json", "report.csv", "report.md", "sweep.svg"):
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name


def test_python_api_with_a_plain_callable(tmp_path: Path) -> None:
    records = [Record.from_json(line) for line in write_set(tmp_path / "s.jsonl").read_text().splitlines()]
    report = evaluate(records, {"first-letter": lambda a, c: [float(x == a.get("text")) for x in c], "length": LengthScorer()}, compare=True, progress=False)
    report["set"] = {"path": "memory", "records": len(records), "rejected": 0}
    paths = write_outputs(report, tmp_path / "out", panels="engine")
    assert all(p.stat().st_size > 0 for p in paths)
    assert report["scorers"]["first-letter"]["metrics"]["overall"][0]["accuracy"] == 1.0
    assert report["scorers"]["first-letter"]["curves"]["all"]["auc"] == 1.0


def test_plot_by_op_when_the_set_has_no_levels(tmp_path: Path) -> None:
    records = [
        Record(id=str(i), task="image-caption", anchor={"image": "x.jpg"}, positive=c,
               distractors=[Distractor(text=c + " and a hat", engine="imported", op=op)])
        for i, (c, op) in enumerate(zip(CAPTIONS, ["add_att", "add_obj"] * 3))
    ]  # fmt: skip
    report = evaluate(records, {"length": LengthScorer()}, progress=False)
    report["set"] = {"path": "memory", "records": len(records), "rejected": 0}
    png, svg = write_outputs(report, tmp_path, panels="engine")[-2:]
    assert png.stat().st_size > 1000 and b"add_obj" in svg.read_bytes()


def test_unknown_scorer_fails_before_writing(tmp_path: Path) -> None:
    data = write_set(tmp_path / "set.jsonl")
    result = CliRunner().invoke(app, ["probe", str(data), "--scorer", "nope", "--out", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert not (tmp_path / "out" / "report.json").exists()
    with pytest.raises(ValueError, match="unknown scorer kind"):
        raise result.exception  # type: ignore[misc]
