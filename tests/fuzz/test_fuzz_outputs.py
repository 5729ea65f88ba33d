"""Dangerous output paths and interrupted runs: nothing the run did not create is deleted or replaced,
every refusal is one clear error (exit 2) before any work, and an interrupted run leaves nothing
behind (or, after SIGKILL, only temporaries the next run to the same place removes)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from _export_data import text_records, write
from harness import assert_accounted, assert_clean_error, run_cli, run_process, snapshot

import negatives.pipeline

ROWS = "".join(json.dumps({"id": i, "text": f"A dog number {i} runs on the grass."}) + "\n" for i in range(5))


@pytest.fixture()
def work(tmp_path: Path) -> Path:
    """A working folder with data/in.jsonl (raw rows), data/set.jsonl (a record set) and a note of the user's."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "in.jsonl").write_text(ROWS + '{"text": ""}\n', encoding="utf-8")
    write(tmp_path / "data" / "set.jsonl", text_records())
    (tmp_path / "data" / "notes.txt").write_text("years of work\n")
    (tmp_path / "imgs").mkdir()
    return tmp_path


def _theirs(folder: Path) -> Path:
    folder.mkdir()
    (folder / "thesis.tex").write_text("mine\n")
    return folder


def _file(path: Path, text: str = '{"mine": true}\n') -> Path:
    path.write_text(text)
    return path


# (id, prepare(work) -> None, argv, words of the error)
REFUSALS = [
    ("export-hf-into-the-input-folder", None, ["export", "data/set.jsonl", "--to", "hf", "--out", "data", "--overwrite"],
     "contains the input"),
    ("export-lm-eval-to-the-cwd", None, ["export", "data/set.jsonl", "--to", "lm-eval", "--out", ".", "--overwrite"],
     "contains the input"),
    ("export-lm-eval-to-an-absolute-cwd", None, ["export", "data/set.jsonl", "--to", "lm-eval", "--out", "{work}", "--overwrite"],
     "contains the input"),
    ("export-folder-not-ours", lambda w: _theirs(w / "theirs"),
     ["export", "data/set.jsonl", "--to", "hf", "--out", "theirs", "--overwrite"], "did not write"),
    ("export-folder-over-a-file", lambda w: _file(w / "ds"), ["export", "data/set.jsonl", "--to", "sugarcrepe", "--out", "ds",
     "--overwrite"], "not a folder"),
    ("export-folder-exists", lambda w: _theirs(w / "theirs"), ["export", "data/set.jsonl", "--to", "hf", "--out", "theirs"],
     "--overwrite"),
    ("export-user-manifest", lambda w: _file(w / "x.jsonl.manifest.json"),
     ["export", "data/set.jsonl", "--to", "inspect", "--out", "x.jsonl", "--overwrite"], "not a manifest written by negatives"),
    ("export-user-provenance", lambda w: _file(w / "t.jsonl.provenance.jsonl"),
     ["export", "data/set.jsonl", "--to", "triplets", "--out", "t.jsonl", "--overwrite"], "not a provenance file"),
    ("export-over-the-input", None, ["export", "data/set.jsonl", "--to", "inspect", "--out", "data/set.jsonl", "--overwrite"],
     "would overwrite the input"),
    ("convert-rejects-is-the-output", None,
     ["convert", "data/in.jsonl", "--out", "o.jsonl", "--on-error", "skip", "--rejects", "o.jsonl"], "both the output and the rejects file"),
    ("convert-rejects-is-the-input", None,
     ["convert", "data/in.jsonl", "--out", "o.jsonl", "--on-error", "skip", "--rejects", "data/in.jsonl", "--overwrite"],
     "would overwrite the input"),
    ("convert-rejects-is-the-manifest", None,
     ["convert", "data/in.jsonl", "--out", "o.jsonl", "--on-error", "skip", "--rejects", "o.jsonl.manifest.json"],
     "both the rejects file and the manifest"),
    ("convert-out-is-the-input", None, ["convert", "data/in.jsonl", "--out", "data/in.jsonl", "--overwrite"],
     "would overwrite the input"),
    ("convert-default-out-is-the-input", None, ["convert", "in.jsonl", "--overwrite", "--cwd=data"], "would overwrite the input"),
    ("convert-out-links-to-the-input", lambda w: (w / "link.jsonl").symlink_to(w / "data" / "in.jsonl"),
     ["convert", "data/in.jsonl", "--out", "link.jsonl", "--overwrite"], "would overwrite the input"),
    ("convert-out-hard-links-the-input", lambda w: os.link(w / "data" / "in.jsonl", w / "hard.jsonl"),
     ["convert", "data/in.jsonl", "--out", "hard.jsonl", "--overwrite"], "would overwrite the input"),
    ("convert-over-a-file-in-the-image-root", lambda w: _file(w / "imgs" / "o.jsonl"),
     ["convert", "data/in.jsonl", "--out", "imgs/o.jsonl", "--image-root", "imgs", "--overwrite"], "file of the input folder"),
    ("convert-out-is-the-image-root", None,
     ["convert", "data/in.jsonl", "--out", "imgs", "--image-root", "imgs", "--overwrite"], "would overwrite the input"),
    ("convert-parent-is-a-file", None, ["convert", "data/in.jsonl", "--out", "data/notes.txt/o.jsonl"], "is a file, not a folder"),
    ("convert-out-is-a-folder", lambda w: (w / "dir").mkdir(), ["convert", "data/in.jsonl", "--out", "dir", "--overwrite"],
     "is a folder"),
    ("convert-user-manifest", lambda w: _file(w / "o.jsonl.manifest.json"),
     ["convert", "data/in.jsonl", "--out", "o.jsonl", "--on-error", "skip", "--overwrite"], "not a manifest written by negatives"),
    ("convert-user-rejects-file", lambda w: _file(w / "o.jsonl.rejects.jsonl"),
     ["convert", "data/in.jsonl", "--out", "o.jsonl", "--on-error", "skip", "--overwrite"], "not a rejects file"),
    ("convert-unwritable-folder", None, ["convert", "data/in.jsonl", "--out", "/proc/o.jsonl"], "cannot write"),
    ("convert-uncreatable-folder", None, ["convert", "data/in.jsonl", "--out", "/proc/self/new/o.jsonl"], "cannot create the folder"),
    ("probe-report-is-the-input", lambda w: write(w / "report.json", text_records()),
     ["probe", "report.json", "--format", "records", "-s", "blind-length", "--out", ".", "--overwrite"], "would overwrite the input"),
    ("probe-rejects-is-a-report", None,
     ["probe", "data/set.jsonl", "-s", "blind-length", "--out", "r", "--on-error", "skip", "--rejects", "r/report.md"],
     "both the"),
    ("mine-triplets-is-the-output", None,
     ["mine", "data/in.jsonl", "--out", "o.jsonl", "--triplets", "o.jsonl"], "both the output and the triplets file"),
    ("generate-out-is-the-input", None, ["generate", "data/in.jsonl", "--out", "data/in.jsonl", "--overwrite"],
     "would overwrite the input"),
    ("generate-rejects-is-the-output", None,
     ["generate", "data/in.jsonl", "--out", "o.jsonl", "--on-error", "skip", "--rejects", "o.jsonl"], "both the output"),
    ("audit-rejects-is-the-input", None,
     ["audit", "data/set.jsonl", "--out", "a", "--on-error", "skip", "--rejects", "data/set.jsonl"], "would overwrite the input"),
]


@pytest.mark.parametrize("prepare,argv,words", [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_dangerous_outputs_are_refused_before_any_work(work: Path, prepare, argv: list[str], words: str) -> None:  # noqa: ANN001
    if prepare:
        prepare(work)
    cwd = work / argv.pop()[len("--cwd=") :] if argv[-1].startswith("--cwd=") else work
    before = snapshot(work)
    result = run_cli(*[a.replace("{work}", str(work)) for a in argv], cwd=cwd)
    assert_clean_error(result, words)
    assert snapshot(work) == before, "nothing was written, moved or deleted"


def test_a_previous_export_is_replaced_whole(work: Path) -> None:
    for _ in range(2):
        result = run_cli("export", "data/set.jsonl", "--to", "hf", "--out", "ds", "--overwrite", cwd=work)
        assert result.code == 0, result.err
    assert sorted(p.name for p in work.iterdir()) == ["data", "ds", "imgs"]
    (work / "empty").mkdir()
    assert run_cli("export", "data/set.jsonl", "--to", "lm-eval", "--out", "empty", "--overwrite", cwd=work).code == 0


def test_a_second_run_to_the_same_output_fails_and_keeps_the_first(work: Path) -> None:
    assert run_cli("convert", "data/in.jsonl", "--out", "o.jsonl", "--on-error", "skip", cwd=work).code == 0
    first = snapshot(work)
    assert_clean_error(run_cli("convert", "data/in.jsonl", "--out", "o.jsonl", "--on-error", "skip", cwd=work), "--overwrite")
    assert snapshot(work) == first


def _meanwhile(monkeypatch: pytest.MonkeyPatch, action) -> None:  # noqa: ANN001
    """Run ``action`` once the first batch is written (the run's files are staged, not yet committed)."""
    monkeypatch.setattr(negatives.pipeline, "freeze_alive", action)


def test_an_output_created_meanwhile_by_another_run_is_not_replaced(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _meanwhile(monkeypatch, lambda: (work / "o.jsonl").write_text("the other run's output\n"))
    result = run_cli("convert", "data/in.jsonl", "--out", "o.jsonl", "--on-error", "skip", cwd=work)
    assert_clean_error(result, "appeared while this run was writing it")
    assert (work / "o.jsonl").read_text() == "the other run's output\n"
    assert sorted(p.name for p in work.iterdir()) == ["data", "imgs", "o.jsonl"], "no rejects, manifest or temporaries"


def test_a_failed_commit_rolls_every_file_back(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_cli("convert", "data/in.jsonl", "--out", "o.jsonl", "--on-error", "skip", cwd=work).code == 0
    before = snapshot(work)
    _meanwhile(monkeypatch, lambda: (work / "o.jsonl.manifest.json").unlink() or (work / "o.jsonl.manifest.json").mkdir())
    result = run_cli("convert", "data/in.jsonl", "--out", "o.jsonl", "--on-error", "skip", "--overwrite", cwd=work)
    assert_clean_error(result, "is a folder")
    after = snapshot(work)
    assert after.pop("o.jsonl.manifest.json") == "-"  # the folder made meanwhile stays; nothing else changed
    before.pop("o.jsonl.manifest.json")
    assert after == before


def test_ctrl_c_leaves_nothing(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt() -> None:
        raise KeyboardInterrupt

    _meanwhile(monkeypatch, interrupt)
    before = snapshot(work)
    result = run_cli("convert", "data/in.jsonl", "--out", "out/o.jsonl", "--on-error", "skip", cwd=work)
    assert_clean_error(result, code=130)
    assert snapshot(work) == before, "no output, no temporaries, not even the folder out/"


KILL = (  # python -c KILL SIGNAL ARGS: negatives ARGS, killed by SIGNAL once the first batch is staged
    "import os, signal, sys\n"
    "import negatives.pipeline as p\n"
    "sig = getattr(signal, sys.argv.pop(1))\n"
    "p.freeze_alive = lambda: os.kill(os.getpid(), sig)\n"
    "from negatives.cli import main\n"
    "sys.argv[0] = 'negatives'\n"
    "main()\n"
)


def test_sigterm_rolls_back(work: Path) -> None:
    before = snapshot(work)
    result = run_process("SIGTERM", "convert", "data/in.jsonl", "--out", "o.jsonl", "--on-error", "skip", cwd=work, code=KILL)
    assert result.code == 143 and "Traceback" not in result.err
    assert snapshot(work) == before


def test_sigkill_leftovers_are_cleaned_by_the_next_run(work: Path) -> None:
    args = ("convert", "data/in.jsonl", "--out", "o.jsonl", "--on-error", "skip")
    result = run_process("SIGKILL", *args, cwd=work, code=KILL)
    assert result.code == -9
    left = [p.name for p in work.iterdir() if p.name.startswith(".o.jsonl.")]
    assert left and all(name.endswith(".negatives-tmp") for name in left)
    result = run_cli(*args, cwd=work)
    assert result.code == 0, result.err
    assert_accounted(work / "o.jsonl")
    assert sorted(p.name for p in work.iterdir()) == ["data", "imgs", "o.jsonl", "o.jsonl.manifest.json", "o.jsonl.rejects.jsonl"]


@pytest.mark.skipif(sys.platform != "linux", reason="the SIGKILL case relies on Linux pids")
def test_export_killed_mid_commit_keeps_the_old_export(work: Path) -> None:
    assert run_cli("export", "data/set.jsonl", "--to", "hf", "--out", "ds", cwd=work).code == 0
    old = snapshot(work / "ds")
    code = (
        "import os, signal, sys\n"
        "import negatives.outputs as o\n"
        "place = o._place\n"
        "def killed(t):\n"
        "    if t.folder:\n"  # the old export is moved aside, the new one not yet in place
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    place(t)\n"
        "o._place = killed\n"
        "from negatives.cli import main\n"
        "sys.argv[0] = 'negatives'\n"
        "main()\n"
    )
    assert run_process("export", "data/set.jsonl", "--to", "hf", "--out", "ds", "--overwrite", cwd=work, code=code).code == -9
    assert not (work / "ds").exists()
    result = run_cli("export", "data/set.jsonl", "--to", "hf", "--out", "ds", cwd=work)  # the next run to ds restores it
    assert_clean_error(result, "--overwrite")
    assert snapshot(work / "ds") == old
    assert not [p for p in work.iterdir() if p.name.startswith(".")]
