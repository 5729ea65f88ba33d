"""Output safety: planned outputs are checked first, staged, committed together or rolled back; stale
temporaries of killed runs are cleaned by the next run to the same place."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from negatives.errors import OutputError, OutputExists
from negatives.manifest import MANIFEST_SCHEMA, is_manifest
from negatives.outputs import OLD, TMP, Outputs, temporary
from negatives.writers import atomic_open


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "in.jsonl").write_text('{"text": "a dog"}\n')
    (folder / "notes.txt").write_text("mine\n")
    return folder


@pytest.mark.parametrize(
    "out,words",
    [
        ("in.jsonl", "would overwrite the input"),
        (".", "contains the input"),
        ("..", "contains the input"),
    ],
)
def test_an_output_never_is_or_contains_an_input(data: Path, out: str, words: str) -> None:
    with pytest.raises(OutputError, match=words):
        Outputs([data / "in.jsonl"], overwrite=True).add(data / out, folder=out != "in.jsonl")


def test_an_output_never_replaces_anything_inside_an_input_folder(data: Path) -> None:
    with pytest.raises(OutputError, match="would replace a file of the input folder"):
        Outputs([data], overwrite=True).add(data / "notes.txt")
    Outputs([data]).add(data / "new.jsonl")  # a new file beside the images is fine


def test_a_symlink_or_hard_link_to_the_input_is_the_input(data: Path) -> None:
    (data / "link.jsonl").symlink_to(data / "in.jsonl")
    os.link(data / "in.jsonl", data / "hard.jsonl")
    for name in ("link.jsonl", "hard.jsonl"):
        with pytest.raises(OutputError, match="would overwrite the input"):
            Outputs([data / "in.jsonl"], overwrite=True).add(data / name)


def test_one_path_in_two_roles_is_refused(tmp_path: Path) -> None:
    plan = Outputs()
    plan.add(tmp_path / "o.jsonl")
    with pytest.raises(OutputError, match="both the output and the rejects file"):
        plan.add(tmp_path / "o.jsonl", "rejects file")


def test_the_working_directory_is_never_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    for folder in (tmp_path / "sub", tmp_path):
        with pytest.raises(OutputError, match="working directory"):
            Outputs(overwrite=True).add(folder, folder=True)


def _manifest_folder(path: Path) -> Path:
    path.mkdir()
    (path / "manifest.json").write_text(json.dumps({"schema": MANIFEST_SCHEMA}))
    (path / "old.txt").write_text("old export\n")
    return path


def test_a_folder_output_replaces_only_a_folder_of_ours(tmp_path: Path) -> None:
    ours = lambda p: is_manifest(p / "manifest.json")  # noqa: E731
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "thesis.tex").write_text("years of work\n")
    with pytest.raises(OutputError, match="did not write"):
        Outputs(overwrite=True).add(theirs, folder=True, ours=ours)
    with pytest.raises(OutputExists):
        Outputs().add(_manifest_folder(tmp_path / "export"), folder=True, ours=ours)
    with Outputs(overwrite=True) as plan:
        plan.add(tmp_path / "export", folder=True, ours=ours)
        (plan.folder(tmp_path / "export") / "new.txt").write_text("new\n")
    assert listing(tmp_path / "export") == ["new.txt"]
    assert listing(theirs) == ["thesis.tex"] and sorted(p.name for p in tmp_path.iterdir()) == ["export", "theirs"]


def test_a_derived_file_not_ours_is_never_replaced(tmp_path: Path) -> None:
    mine = tmp_path / "o.jsonl.manifest.json"
    mine.write_text('{"my": "notes"}\n')
    with pytest.raises(OutputError, match="not a manifest written by negatives"):
        Outputs(overwrite=True).add(mine, "manifest", ours=is_manifest)
    assert mine.read_text() == '{"my": "notes"}\n'


def test_create_fails_when_the_target_appears_meanwhile(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    with pytest.raises(OutputExists, match="appeared while"):
        with atomic_open(out) as fh:
            fh.write("ours\n")
            out.write_text("another run\n")  # a second run committed first
    assert out.read_text() == "another run\n" and listing(tmp_path) == ["o.jsonl"]


def test_files_commit_together_or_not_at_all(tmp_path: Path) -> None:
    (tmp_path / "o.jsonl").write_text("old output\n")
    plan = Outputs(overwrite=True)
    names = ["o.jsonl", "o.jsonl.rejects.jsonl", "o.jsonl.manifest.json"]
    with pytest.raises(OutputError, match="is a folder"):
        with plan:
            for name in names:
                plan.add(tmp_path / name)
            for name in names:
                with plan.open(tmp_path / name) as fh:
                    fh.write("new\n")
            (tmp_path / names[2]).mkdir()  # the last one cannot be placed
    assert (tmp_path / "o.jsonl").read_text() == "old output\n"
    assert listing(tmp_path) == ["o.jsonl", "o.jsonl.manifest.json"]


def test_a_failed_run_removes_the_folders_it_created(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        with Outputs() as plan:
            plan.add(tmp_path / "a" / "b" / "o.jsonl")
            with plan.open(tmp_path / "a" / "b" / "o.jsonl") as fh:
                fh.write("half")
                raise RuntimeError("boom")
    assert listing(tmp_path) == []


def test_without_hard_links_the_create_is_still_exclusive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: str, dst: str) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    with atomic_open(tmp_path / "o.txt") as fh:
        fh.write("x")
    assert (tmp_path / "o.txt").read_text() == "x" and listing(tmp_path) == ["o.txt"]


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


def test_stale_temporaries_of_dead_runs_are_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    pid = _dead_pid()
    stale = out.with_name(f".o.jsonl.{pid}.0123abcd.{TMP}")
    stale.write_text("half")
    folder = out.with_name(f".o.jsonl.{pid}.89abcdef.{TMP}")
    folder.mkdir()
    alive = temporary(out, TMP)  # this process is alive: its temporary stays
    alive.write_text("in progress")
    lookalike = tmp_path / ".o.jsonl.rejects.jsonl.1.0123abcd.negatives-tmp"
    lookalike.write_text("another target's")
    Outputs().add(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, lookalike.name])


def test_a_backup_left_by_a_kill_during_commit_is_restored(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    out.with_name(f".o.jsonl.{_dead_pid()}.0123abcd.{OLD}").write_text("the previous output\n")
    with pytest.raises(OutputExists):
        Outputs().add(out)
    assert out.read_text() == "the previous output\n" and listing(tmp_path) == ["o.jsonl"]


def test_sigkill_mid_write_leaves_only_what_the_next_run_cleans(tmp_path: Path) -> None:
    code = (
        "import os, signal, sys\n"
        "from negatives.writers import atomic_open\n"
        "with atomic_open(sys.argv[1]) as fh:\n"
        "    fh.write('half'); fh.flush()\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    out = tmp_path / "o.jsonl"
    subprocess.run([sys.executable, "-c", code, str(out)], check=False)
    assert not out.exists() and len(list(tmp_path.iterdir())) == 1
    with atomic_open(out) as fh:
        fh.write("whole\n")
    assert listing(tmp_path) == ["o.jsonl"]


def test_a_full_disk_is_one_clear_error_and_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError, match="No space left on device; free some space"):
        with atomic_open(tmp_path / "o.jsonl") as fh:
            fh.write("x")
    assert listing(tmp_path) == []
