"""A persistent cache of causal-LM scores, shared by every command and process.

`negatives probe`, `sweep`, `audit` and `generate --debias` all score (prompt, candidate) pairs
through :class:`probes.scorers.lm.CausalLM`, which asks this cache first: a pair scored once is read
back by any later run. One SQLite file per model under ``cache_dir()/lm-scores/``; a row is keyed by
a digest of (prompt, candidate, start-token flag) and holds the summed log-probability and the token
count. The file's name covers the model (its directory's files: names, sizes, modification times)
and :data:`VERSION` of the scoring code, so a changed model or scoring starts a new file.
``NEGATIVES_LM_CACHE`` names another folder, or ``off`` turns the cache off. Writes go in one
transaction per batch, so an interrupted run keeps what it scored; concurrent runs share the file.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

VERSION = 1  # bump when the scores' meaning changes (tokenization, truncation, start token)
Key = tuple[str, str, bool]  # (prompt, candidate, start token before a non-empty prompt)
QUERY_CHUNK = 500  # keys per SELECT (SQLite allows 999 parameters)


def cache_folder() -> Path | None:
    """Where the score files live, or None when ``NEGATIVES_LM_CACHE=off``."""
    setting = os.environ.get("NEGATIVES_LM_CACHE", "")
    if setting.lower() == "off":
        return None
    if setting:
        return Path(setting)
    from negatives.cache import cache_dir

    return cache_dir() / "lm-scores"


def model_fingerprint(directory: Path, extra: str = "") -> str:
    """A digest of the model directory's files (name, size, mtime) and ``extra`` (scoring settings)."""
    digest = hashlib.sha256(f"v{VERSION}\x1f{extra}".encode())
    for path in sorted(p for p in directory.rglob("*") if p.is_file() and not p.name.startswith(".")):
        stat = path.stat()
        digest.update(f"\x1e{path.relative_to(directory)}\x1f{stat.st_size}\x1f{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:20]


def _digest(key: Key) -> bytes:
    prompt, candidate, start = key
    return hashlib.sha256(f"{prompt}\x1f{candidate}\x1f{int(start)}".encode("utf-8", "surrogatepass")).digest()[:16]


class ScoreCache:
    """The scores of one model in one SQLite file (created on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=120)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS scores (key BLOB PRIMARY KEY, logprob REAL, tokens INTEGER) WITHOUT ROWID")

    def get(self, keys: Sequence[Key]) -> dict[Key, tuple[float, int]]:
        """The stored scores of those ``keys`` that have one."""
        by_digest = {_digest(k): k for k in keys}
        digests = list(by_digest)
        found: dict[Key, tuple[float, int]] = {}
        for at in range(0, len(digests), QUERY_CHUNK):
            part = digests[at : at + QUERY_CHUNK]
            marks = ",".join("?" * len(part))
            for digest, logprob, tokens in self.db.execute(f"SELECT key, logprob, tokens FROM scores WHERE key IN ({marks})", part):
                found[by_digest[digest]] = (logprob, tokens)
        return found

    def put(self, scores: Iterable[tuple[Key, tuple[float, int]]]) -> None:
        """Store ``(key, (logprob, tokens))`` pairs in one transaction."""
        rows = [(_digest(k), logprob, tokens) for k, (logprob, tokens) in scores]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO scores VALUES (?, ?, ?)", rows)


def open_cache(directory: Path, settings: str) -> ScoreCache | None:
    """The score file of the model in ``directory`` scored with ``settings``; None when the cache is
    off or cannot be opened (a read-only disk: the run goes on without it, and says so once)."""
    folder = cache_folder()
    if folder is None:
        return None
    path = folder / f"{directory.name[:60]}-{model_fingerprint(directory, settings)}.sqlite"
    try:
        return ScoreCache(path)
    except (OSError, sqlite3.Error) as exc:
        print(f"lm score cache {path} cannot be used ({exc}): scores are computed and not kept", file=sys.stderr)
        return None
