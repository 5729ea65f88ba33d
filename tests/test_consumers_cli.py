"""The consumers of our exports, run by their own command lines in the shipped environment.

Each runs in a subprocess exactly as a user types it (no import of ours first: the torchvision fix
is the venv's start-up hook), offline, on the cached SmolLM2 directory, on an export moved away
from where it was written and from a different working directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _export_data import qa_records

from negatives.exporters import export

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
PROBE_AS_LM_EVAL = 'lm,reduction=sum,prompt="{text} ",start=false'


@pytest.fixture(scope="module")
def model_dir() -> Path:
    from negatives.models import ModelNotAvailable, causal_lm_dir

    try:
        return causal_lm_dir()
    except ModelNotAvailable as exc:
        pytest.skip(str(exc))


def consumer(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.skip(f"{name} is not installed in this environment")
    return str(path)


def run(command: list[str], cwd: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_CACHE": str(tmp_path / "hf")}
    env.pop("PYTHONPATH", None)
    cwd.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stderr[-4000:]}"
    return result


def moved(made: Path, to: Path) -> Path:
    to.parent.mkdir(parents=True, exist_ok=True)
    made.rename(to)
    return to


def test_lm_eval_runs_a_moved_export_and_agrees_with_the_probe(tmp_path: Path, model_dir: Path) -> None:
    records = qa_records()
    export(records, "lm-eval", tmp_path / "made" / "qa")
    folder = moved(tmp_path / "made" / "qa", tmp_path / "shared" / "qa")
    command = [
        consumer("lm_eval"), "--model", "hf", "--model_args", f"pretrained={model_dir},dtype=float32",
        "--include_path", str(folder), "--tasks", "qa_all", "--limit", str(len(records)),
        "--device", "cpu", "--batch_size", "8", "--output_path", str(tmp_path / "results"), "--log_samples",
    ]
    run(command, tmp_path / "elsewhere", tmp_path)
    (samples_file,) = (tmp_path / "results").rglob("samples_qa_all_*.jsonl")
    lm_eval_correct = {}
    for line in samples_file.read_text().splitlines():
        sample = json.loads(line)
        lm_eval_correct[sample["doc"]["id"]] = sample["acc"] == 1.0
    assert len(lm_eval_correct) == len(records)

    from probes.api import evaluate
    from probes.scorers import build_scorer

    report = evaluate(records, {"probe": build_scorer(PROBE_AS_LM_EVAL)}, progress=False)
    probe_correct = {row["id"]: row["correct"]["probe"] for row in report["items"]}
    assert probe_correct == lm_eval_correct  # item by item, so the accuracies agree too
    overall = report["scorers"]["probe"]["metrics"]["overall"][0]
    assert overall["accuracy"] == sum(lm_eval_correct.values()) / len(records)
    assert 0 < overall["accuracy"] < 1, "a set where the model gets some items wrong says more"


def test_inspect_runs_the_exported_task_file(tmp_path: Path, model_dir: Path) -> None:
    records = qa_records()
    manifest = export(records, "inspect", tmp_path / "made" / "qa.jsonl")
    task_file = Path(manifest["inspect"]["task_file"])
    folder = tmp_path / "shared"
    moved(tmp_path / "made", folder)
    assert (folder / task_file.name).is_file() and (folder / "qa.jsonl").is_file()
    command = [  # a relative path (inspect reads an absolute one only as FILE@TASK: the printed usage)
        consumer("inspect"), "eval", f"../shared/{task_file.name}", "--model", "hf/local",
        "-M", f"model_path={model_dir}", "-M", "device=cpu", "--limit", "2", "--max-tokens", "8",
        "--log-dir", str(tmp_path / "logs"), "--log-format", "json", "--display", "plain",
    ]
    run(command, tmp_path / "elsewhere", tmp_path)
    (log_file,) = (tmp_path / "logs").glob("*.json")
    log = json.loads(log_file.read_text())
    assert log["status"] == "success"
    scores = {s["name"]: s["metrics"] for s in log["results"]["scores"]}
    assert set(scores) == {"choice", "answered"} and log["results"]["completed_samples"] == 2
    assert 0 <= scores["answered"]["mean"]["value"] <= 1
