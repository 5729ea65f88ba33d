"""What every fuzz case checks: the exit code, a message without a traceback, read = written + rejected,
nothing left behind, the input untouched.

:func:`run_cli` runs ``negatives`` in this process through :func:`negatives.cli.main` (the real entry
point: user errors become one line and exit code 2); any other exception escapes and fails the test
with its traceback. :func:`run_process` runs the installed command in a subprocess, for signals.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from negatives import cli

VENV_BIN = Path(sys.executable).parent


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def message(self) -> str:
        """The last line on stderr (progress bars and model-loading chatter come before it)."""
        lines = [line for line in self.err.splitlines() if line.strip()]
        return lines[-1] if lines else ""


def run_cli(*args: str | Path, cwd: Path) -> Result:
    """``negatives ARGS`` in this process, in ``cwd``."""
    out, err = io.StringIO(), io.StringIO()
    argv, here = sys.argv, Path.cwd()
    sys.argv = ["negatives", *map(str, args)]
    os.chdir(cwd)
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = argv
        os.chdir(here)
    return Result(code, out.getvalue(), err.getvalue())


def run_process(*args: str | Path, cwd: Path, env: dict[str, str] | None = None, code: str | None = None) -> Result:
    """The installed ``negatives ARGS`` (or ``python -c CODE ARGS``) in a subprocess."""
    command = [sys.executable, "-c", code] if code else [str(VENV_BIN / "negatives")]
    done = subprocess.run(
        [*command, *map(str, args)], cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=600
    )
    return Result(done.returncode, done.stdout, done.stderr)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` (hidden ones included) with a digest of its bytes."""
    out = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        out[key] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() and not path.is_symlink() else "-"
    return out


def assert_clean_error(result: Result, *words: str, code: int = 2) -> None:
    """Exit ``code`` with one clear message holding ``words``, and no traceback."""
    assert result.code == code, (result.code, result.err[-2000:])
    assert "Traceback" not in result.err and "Traceback" not in result.out
    assert all(w in result.err for w in words), (words, result.err[-2000:])


def assert_accounted(out: Path, rejects: Path | None = None) -> dict:
    """read = written + rejected in the manifest, and the output and rejects files hold exactly those rows."""
    manifest = json.loads(out.with_name(out.name + ".manifest.json").read_text(encoding="utf-8"))
    counts = manifest["counts"]
    assert counts["read"] == counts["written"] + counts["rejected"], counts
    assert len(out.read_text(encoding="utf-8").splitlines()) == counts["written"]
    rejects = rejects or out.with_name(out.name + ".rejects.jsonl")
    if manifest["config"]["on_error"] == "skip":
        rows = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
        assert len(rows) == counts["rejected"] and all(set(r) == {"line", "raw", "reason"} for r in rows)
    return manifest


def rejected(out: Path) -> dict[int, str]:
    """Line -> reason of the rejects beside ``out``."""
    rows = [json.loads(line) for line in out.with_name(out.name + ".rejects.jsonl").read_text(encoding="utf-8").splitlines()]
    return {r["line"]: r["reason"] for r in rows}
