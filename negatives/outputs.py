"""Output safety: every file and folder a run writes is planned first, staged beside its target and
committed together at the end, or rolled back.

* :meth:`Outputs.add` refuses, before any work, a target that is or contains an input, or would
  replace anything inside an input folder (new files in it are fine);
  one path in two roles (the rejects file is the output); an existing target without ``overwrite``;
  and, even with it, anything that is not ours to replace: a folder output replaces only an empty
  folder or a previous output of ours (recognised by its manifest), a derived file such as
  ``<out>.manifest.json`` only a file of ours, and never the working directory or a folder above it.
* Temporaries carry our tag and the process id (``.<name>.<pid>.<hex>.negatives-tmp``); the next run
  to the same place removes those of dead processes (a SIGKILL leaves nothing behind for long) and
  puts back a moved-aside old output (``...negatives-old``) that a kill left without a replacement.
* :meth:`Outputs.commit` creates a new file with ``os.link`` and a new folder by reserving its name
  with ``mkdir``, so it fails when the target appeared meanwhile (two runs never silently replace one
  another); an existing target is moved aside first and restored if a later step fails.

Inside ``with outputs:`` the plan is *active*: :func:`negatives.writers.atomic_open` on a planned
path writes into its staging file, so helpers that write one file each still commit together.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from negatives.errors import OutputError, OutputExists

TMP, OLD = "negatives-tmp", "negatives-old"
NAME_KEPT = 200  # characters of the target's name kept in a temporary's name (file names stop at 255)
_STALE = re.compile(rf"(?P<pid>\d+)\.[0-9a-f]{{8}}\.(?P<kind>{TMP}|{OLD})")
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS}
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}

Recognise = Callable[[Path], bool]
_active: ContextVar[Outputs | None] = ContextVar("negatives_outputs", default=None)


@dataclass
class _Target:
    path: Path  # absolute, not resolved: a symlink named as output is replaced, not followed
    role: str
    folder: bool
    ours: Recognise | None  # None: the user named it, so --overwrite is enough to replace it
    staged: Path | None = None


def active() -> Outputs | None:
    """The plan entered by the innermost ``with outputs:`` of this context, if any."""
    return _active.get()


class Outputs:
    """The files and folders one run writes: checked when added, staged, committed together."""

    def __init__(self, inputs: Iterable[str | Path | None] = (), overwrite: bool = False) -> None:
        self.inputs = [Path(os.path.abspath(p)) for p in inputs if p is not None]
        self.overwrite = overwrite
        self.targets: dict[Path, _Target] = {}
        self._made: list[Path] = []  # parent folders this plan created, removed again on rollback
        self._depth = 0
        self._token: Any = None

    # -- planning -----------------------------------------------------------------------------

    def add(self, path: str | Path, role: str = "output", *, folder: bool = False, ours: Recognise | None = None) -> Path:
        """Plan ``path``; raise :class:`OutputError` now if writing it could lose anything."""
        target = _Target(Path(os.path.abspath(path)), role, folder, ours)
        clean_stale(target.path)
        self._check_inputs(target, str(path))
        for other in self.targets.values():
            if _overlap(target.path, other.path):
                raise OutputError(f"{path} would be both the {other.role} and the {role}; give them different paths")
        if folder and _inside(Path.cwd(), target.path):
            raise OutputError(f"{path}: the {role} folder would replace the working directory; choose a new folder")
        if os.path.lexists(target.path):
            self._check_replaceable(target, str(path))
        _check_parent(target.path)
        self.targets[target.path] = target
        return target.path

    def planned(self, path: str | Path) -> bool:
        return Path(os.path.abspath(path)) in self.targets

    def _check_inputs(self, target: _Target, shown: str) -> None:
        for source in self.inputs:
            if _same(target.path, source):
                raise OutputError(f"{shown}: the {target.role} would overwrite the input {source}; choose another path")
            if _inside(source, target.path):
                raise OutputError(f"{shown}: the {target.role} contains the input {source}; choose another path")
            if source.is_dir() and _inside(target.path, source) and os.path.lexists(target.path):
                raise OutputError(f"{shown}: the {target.role} would replace a file of the input folder {source}; write it elsewhere")

    def _check_replaceable(self, target: _Target, shown: str) -> None:
        path = target.path
        if not self.overwrite:
            raise OutputExists(f"{shown} exists; pass --overwrite to replace it")
        if target.folder:
            if path.is_symlink() or not path.is_dir():
                raise OutputError(f"{shown} exists and is not a folder; the {target.role} is a folder")
            if any(path.iterdir()) and not (target.ours and target.ours(path)):
                raise OutputError(
                    f"{shown} is a folder that negatives did not write (no manifest of ours in it); "
                    "refusing to replace it: choose a new folder or remove it yourself"
                )
        elif path.is_dir() and not path.is_symlink():
            raise OutputError(f"{shown} is a folder; the {target.role} is a file")
        elif target.ours and not target.ours(path):
            raise OutputError(f"{shown} exists and is not a {target.role} written by negatives; move it away or choose another output")

    # -- staging ------------------------------------------------------------------------------

    def _target(self, path: str | Path) -> _Target:
        target = self.targets[Path(os.path.abspath(path))]
        if target.staged is not None:
            raise RuntimeError(f"{path} is staged twice")
        self._make_parents(target.path.parent)
        return target

    @contextmanager
    def open(self, path: str | Path, mode: str = "w") -> Iterator[IO[Any]]:
        """Write a planned file: its staging file, flushed to disk when the block ends."""
        target = self._target(path)
        staged = temporary(target.path, TMP)
        try:
            fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror}; choose a folder you can write to") from exc
        target.staged = staged
        text = "b" not in mode
        with os.fdopen(fd, mode, encoding="utf-8" if text else None, newline="\n" if text else None) as fh:
            try:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            except OSError as exc:
                if exc.errno not in _FULL:
                    raise
                raise OutputError(f"cannot write {path}: {exc.strerror}; free some space or choose another folder") from exc

    def folder(self, path: str | Path) -> Path:
        """The staging folder of a planned folder (created empty)."""
        target = self._target(path)
        staged = temporary(target.path, TMP)
        try:
            staged.mkdir()
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror}; choose a folder you can write to") from exc
        target.staged = staged
        return staged

    def _make_parents(self, folder: Path) -> None:
        missing = [p for p in (folder, *folder.parents) if not p.exists()]
        for p in reversed(missing):
            try:
                p.mkdir()
            except FileExistsError:
                continue
            except OSError as exc:
                raise OutputError(f"cannot create the folder {p}: {exc.strerror}") from exc
            self._made.append(p)

    # -- commit and rollback ------------------------------------------------------------------

    def commit(self) -> None:
        """Put every staged target in place; on any failure put everything back as it was."""
        staged = [t for t in self.targets.values() if t.staged is not None]
        moved: list[tuple[Path, Path]] = []
        placed: list[Path] = []
        try:
            for t in staged:
                if os.path.lexists(t.path):
                    if not self.overwrite:
                        raise OutputExists(_appeared(t.path))
                    self._check_replaceable(t, str(t.path))
                    backup = temporary(t.path, OLD)
                    os.rename(t.path, backup)
                    moved.append((t.path, backup))
                _place(t)
                placed.append(t.path)
        except BaseException as exc:
            for path in reversed(placed):
                _remove(path)
            for path, backup in reversed(moved):
                os.rename(backup, path)
            self.rollback()
            if isinstance(exc, OSError) and not isinstance(exc, FileExistsError):
                raise OutputError(f"cannot write {exc.filename or 'the output'}: {exc.strerror}") from exc
            raise
        for _, backup in moved:
            _remove(backup)
        self.targets = {p: t for p, t in self.targets.items() if t.staged is None}

    def rollback(self) -> None:
        """Remove every staging file and folder, and the folders this plan created."""
        for t in self.targets.values():
            if t.staged is not None:
                _remove(t.staged)
                t.staged = None
        for folder in reversed(self._made):
            try:
                folder.rmdir()
            except OSError:
                pass  # not empty: something else was written there meanwhile
        self._made.clear()

    def __enter__(self) -> Outputs:
        self._depth += 1
        if self._depth == 1:
            self._token = _active.set(self)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        self._depth -= 1
        if self._depth:
            return
        _active.reset(self._token)
        if kind is None:
            self.commit()
        else:
            self.rollback()


def plan_files(paths: Iterable[Path], overwrite: bool, role: str = "output") -> Outputs:
    """The active plan when it holds every one of ``paths``; else a new plan of them (checked now)."""
    paths = list(paths)
    plan = active()
    if plan is not None and all(plan.planned(p) for p in paths):
        return plan
    plan = Outputs(overwrite=overwrite)
    for path in paths:
        plan.add(path, role)
    return plan


def jsonl_with_keys(*keys: frozenset[str]) -> Recognise:
    """A recogniser of JSON-lines files of ours: empty, or a first line with exactly one set of ``keys``."""

    def recognise(path: Path) -> bool:
        try:
            with path.open("rb") as fh:
                first = fh.readline(1 << 20)
            return not first.strip() or set(json.loads(first)) in keys
        except (OSError, ValueError, TypeError, RecursionError):
            return False

    return recognise


def temporary(target: Path, kind: str) -> Path:
    """A fresh temporary name beside ``target`` that :func:`clean_stale` recognises as ours."""
    return target.with_name(f".{target.name[:NAME_KEPT]}.{os.getpid()}.{secrets.token_hex(4)}.{kind}")


def clean_stale(target: Path) -> None:
    """Remove temporaries of dead processes beside ``target``; restore a backup a kill left alone."""
    prefix = f".{target.name[:NAME_KEPT]}."
    try:
        entries = [e for e in os.scandir(target.parent) if e.name.startswith(prefix)]
    except OSError:
        return
    for entry in entries:
        match = _STALE.fullmatch(entry.name[len(prefix) :])
        if match is None or _alive(int(match["pid"])):
            continue
        path = Path(entry.path)
        if match["kind"] == OLD and len(target.name) <= NAME_KEPT and not os.path.lexists(target):
            os.rename(path, target)
        else:
            _remove(path)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _place(t: _Target) -> None:
    """Move a staged target to its path, failing if the path exists (it appeared meanwhile)."""
    assert t.staged is not None
    try:
        if t.folder:
            os.mkdir(t.path)  # reserves the name; renaming a folder over an empty one replaces it
            try:
                os.rename(t.staged, t.path)
            except BaseException:
                os.rmdir(t.path)
                raise
        else:
            try:
                os.link(t.staged, t.path)
            except OSError as exc:
                if exc.errno not in _NO_LINKS:
                    raise
                os.close(os.open(t.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))  # no hard links here
                os.replace(t.staged, t.path)
            else:
                os.unlink(t.staged)
    except FileExistsError as exc:
        raise OutputExists(_appeared(t.path)) from exc
    t.staged = None


def _appeared(path: Path) -> str:
    return f"{path} appeared while this run was writing it (another run?); nothing was replaced"


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _same(a: Path, b: Path) -> bool:
    if _real(a) == _real(b):
        return True
    try:
        return os.path.samefile(a, b)  # hard links
    except OSError:
        return False


def _inside(inner: Path, outer: Path) -> bool:
    """``inner`` is ``outer`` or lies below it (by name or after resolving links)."""
    return inner.is_relative_to(outer) or _real(inner).is_relative_to(_real(outer))


def _overlap(a: Path, b: Path) -> bool:
    return _inside(a, b) or _inside(b, a) or _same(a, b)


def _check_parent(path: Path) -> None:
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"{path}: {parent} is a file, not a folder")
            return
