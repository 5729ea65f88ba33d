"""Sentence embeddings (L2-normalised float32) with an on-disk cache keyed by model id and content.

A corpus is embedded once per model: the cache file name holds a SHA-256 of the model id and of the
exact texts in order, so a second run on the same corpus loads the ``.npy`` instead of encoding.
Large corpora are written chunk by chunk into a memory-mapped ``.npy`` and read back memory-mapped,
so embedding a million texts never needs two copies in RAM. Encoder batches hold at most
:data:`TOKENS_PER_BATCH` padded tokens (:func:`encode_bounded`), so one long text costs its own
length, not a batch's worth of it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from negatives.batching import token_batches
from negatives.progress import Progress
from negatives.timings import stage

if TYPE_CHECKING:
    from negatives.parallel import Workers

MMAP_BYTES = 256 << 20  # cached matrices larger than this are memory-mapped, not read into RAM
CHUNK = 8192  # texts encoded per chunk before being written to the cache file
TOKENS_PER_BATCH = 64 * 64  # padded tokens per encoder batch: 64 captions, or 16 texts of 256 tokens


def encode_bounded(model: Any, texts: Sequence[str], batch_size: int, **options: Any) -> np.ndarray:
    """``model.encode(texts)`` in batches of at most :data:`TOKENS_PER_BATCH` padded tokens (a text's
    tokens estimated as its characters + 2, up to the model's ``max_seq_length``); one call, as
    before, when every batch of ``batch_size`` fits."""
    limit = getattr(model, "max_seq_length", None) or 512
    lengths = [min(limit, len(t) + 2) for t in texts]
    if max(lengths, default=0) * min(batch_size, len(texts)) <= TOKENS_PER_BATCH:
        return np.asarray(model.encode(list(texts), batch_size=batch_size, **options))
    out: np.ndarray | None = None
    for group in token_batches(lengths, TOKENS_PER_BATCH, batch_size):
        vectors = np.asarray(model.encode([texts[i] for i in group], batch_size=len(group), **options))
        if out is None:
            out = np.zeros((len(texts), vectors.shape[1]), dtype=vectors.dtype)
        out[group] = vectors
    assert out is not None
    return out


def model_id(model: Any) -> str:
    """A stable name for a model: its ``model_id``, else (sentence-transformers) its base model, else
    the local path it came from."""
    if isinstance(getattr(model, "model_id", None), str):
        return model.model_id
    card = getattr(model, "model_card_data", None)
    name = getattr(card, "base_model", None) or getattr(card, "model_name", None)
    if not name:
        try:
            name = model[0].auto_model.config._name_or_path
        except (AttributeError, IndexError, KeyError, TypeError):
            name = type(model).__name__
    return str(name)


def content_hash(model_name: str, texts: Sequence[str]) -> str:
    """SHA-256 of the model id and the texts (length-prefixed, so no two lists collide)."""
    digest = hashlib.sha256(model_name.encode("utf-8") + b"\0")
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


class Embedder:
    """Encode texts with a sentence embedding model into normalised float32 rows.

    ``model`` is a loaded model (anything with ``encode``); when omitted, ``name`` (default: the
    reference embedder, all-MiniLM-L6-v2 in ONNX Runtime int8; ``minilm``: the float32 model; any
    sentence-transformers name or path) is loaded on ``device`` through
    :func:`negatives.models.load_reference_embedder` on first use. ``cache_dir`` defaults to
    ``negatives.cache.cache_dir() / "embeddings"``.
    """

    def __init__(
        self,
        model: Any | None = None,
        *,
        name: str | None = None,
        cache_dir: str | Path | None = None,
        batch_size: int = 64,
        device: str = "auto",
    ) -> None:
        self._model = model
        self.name = name
        self.device = device
        self._cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.batch_size = batch_size
        self._known: dict[str, tuple[np.ndarray, int]] = {}  # text -> (corpus matrix, row), this process
        self.workers: Workers | None = None
        """Processes that encode a corpus's chunks with this embedder's ``name`` and ``device``,
        each chunk as one call, as here (so the vectors are the same for any number)."""

    @property
    def model(self) -> Any:
        if self._model is None:
            from negatives.models import load_reference_embedder

            self._model = load_reference_embedder(self.name, self.device)
        return self._model

    @property
    def id(self) -> str:
        return model_id(self.model)

    @property
    def cache_dir(self) -> Path:
        if self._cache_dir is None:
            from negatives.cache import cache_dir

            self._cache_dir = cache_dir() / "embeddings"
        return self._cache_dir

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        with stage("embedding"):
            if getattr(self.model, "bounds_batches", False):  # sizes its batches by real token counts
                vectors = self.model.encode(texts, batch_size=self.batch_size)
            else:
                vectors = encode_bounded(self.model, texts, self.batch_size, normalize_embeddings=True,
                                         convert_to_numpy=True, show_progress_bar=False)
        vectors = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)

    def encode(self, texts: Sequence[str], lookup: bool = True) -> np.ndarray:
        """Embed ``texts`` without the disk cache (small batches such as difficulty scoring); texts of a
        corpus this embedder already embedded are looked up, not encoded again (unless ``lookup`` is
        false: then every text is encoded with the others, whatever this process embedded before)."""
        if not lookup:
            return self._encode(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t not in self._known]
        for i, t in enumerate(texts):
            if t in self._known:
                matrix, row = self._known[t]
                out[i] = matrix[row]
        if todo:
            out[todo] = self._encode([texts[i] for i in todo])
        return out

    @property
    def dimension(self) -> int:
        from negatives.models import embedding_dimension

        return embedding_dimension(self.model)

    def cache_path(self, texts: Sequence[str]) -> Path:
        readable = "_".join(Path(self.id).parts[-2:])
        slug = re.sub(r"[^A-Za-z0-9._-]+", "_", readable).strip("_.")[-60:] or "model"
        return self.cache_dir / f"{slug}-{content_hash(self.id, texts)[:32]}.npy"

    def embed_corpus(self, texts: Sequence[str]) -> np.ndarray:
        """Embed a corpus through the disk cache: a second call on the same texts does not encode."""
        path = self.cache_path(texts)
        if not path.exists():
            self._write(path, texts)
        vectors = _load(path)
        self._known.update((t, (vectors, i)) for i, t in enumerate(texts))
        return vectors

    def _write(self, path: Path, texts: Sequence[str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            out = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.float32, shape=(len(texts), self.dimension))
            parts = [texts[start : start + CHUNK] for start in range(0, len(texts), CHUNK)]
            workers = self.workers if self.workers is not None and self.workers.n > 1 else None
            window = workers.n if workers else 1
            with Progress("embeddings", len(texts), "texts") as bar:
                for first in range(0, len(parts), window):
                    todo = parts[first : first + window]
                    if workers:
                        done = workers.submit(partial(_encode_parts, self.name, self.device), todo)
                        with stage("embedding"):
                            vectors = [v for part in done() for v in part]
                    else:
                        vectors = [self._encode(part) for part in todo]
                    start = first * CHUNK
                    for part, v in zip(todo, vectors):
                        out[start : start + len(part)] = v
                        start += len(part)
                        bar.update(len(part))
            out.flush()
            del out
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)


def _encode_parts(name: str | None, device: str, parts: Sequence[Sequence[str]]) -> list[np.ndarray]:
    """A worker's share of a corpus: each part encoded as one call, as the parent would."""
    embedder = shared_embedder(name, device)
    return [embedder._encode(part) for part in parts]


def _load(path: Path) -> np.ndarray:
    if path.stat().st_size > MMAP_BYTES:
        return np.load(path, mmap_mode="r")
    return np.load(path)


@functools.lru_cache(maxsize=4)
def shared_embedder(name: str | None = None, device: str = "auto") -> Embedder:
    """One :class:`Embedder` per model name and device per process, so batch-wise callers load the
    model once and share the texts it embedded."""
    return Embedder(name=name, device=device)
