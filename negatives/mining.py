"""Mine embedding neighbours as distractors, behind false-negative guards.

The corpus is every distinct positive of the input. Each item asks a query: its anchor text when it
has one (the retrieval setting of sentence-transformers' ``mine_hard_negatives``), else its positive
(captions of an image anchor). The ``range_max + P`` nearest corpus texts are retrieved, where ``P`` is
the largest number of other positives of any item, so that masking positives never shrinks the
window. Candidates then pass these guards, in this order (each removal is counted once, by the first
guard that applies):

``positive``        the item's own positive, or a text equal to it up to case, spacing and punctuation;
``sibling``         another positive of the same item (``meta.siblings``, e.g. COCO's other captions
                    of the same image), also matched up to case, spacing and punctuation;
``near_duplicate``  similarity to the positive above ``max_similarity``;
``margin``          relative margin (NV-Retriever TopK-PercPos): a negative may score at most
                    ``ref - |ref| * relative_margin`` against the query, where ``ref`` is the lowest
                    query-positive similarity of the item (anchor-positive, or positive-sibling when
                    the query is the positive) over its declared positives (a sibling's own text,
                    not the case/spacing twins the sibling guard also masks). Subtracting
                    ``|ref| * margin`` rather than multiplying by ``1 - margin`` keeps the threshold
                    below ``ref`` when ``ref`` is negative (sentence-transformers #3819). Items with
                    no reference skip this guard;
``twin``            equal, up to case, spacing and punctuation, to a better surviving candidate
                    of the same item (COCO has captions that differ only by a trailing space).

Of the survivors, best first, the first ``range_min`` are skipped (``range_min``: likely false
negatives too close to call) and the next ``k`` are kept; the rest are ``beyond_k``. With the same
embeddings and settings this returns what ``mine_hard_negatives`` returns with exact search, on a
corpus without twins (on one with twins, ours returns one caption per form where it returns both);
``benchmarks/bench_mining_vs_st.py`` checks it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from negatives.records import Distractor, Record
from negatives.validators import normalise  # equal forms up to case, spacing, punctuation: the same caption

GUARDS = ("positive", "sibling", "near_duplicate", "margin", "twin", "range_min", "beyond_k")
QUERY_CHUNK = 8192
PAIR_CHUNK = 256


def distribution(values: Any) -> dict[str, float]:
    """Count, mean, std and quantiles of ``values`` (the miner's distribution table)."""
    v = np.asarray(values, dtype=np.float64)
    if v.size == 0:
        return {"count": 0}
    q = np.quantile(v, [0.0, 0.25, 0.5, 0.75, 1.0])
    return {
        "count": int(v.size),
        "mean": round(float(v.mean()), 4),
        "std": round(float(v.std()), 4),
        **{name: round(float(x), 4) for name, x in zip(("min", "25%", "50%", "75%", "max"), q)},
    }


@dataclass
class MiningStats:
    """What retrieval proposed, what each guard removed, what was kept, and the score distributions."""

    settings: dict[str, Any]
    items: int = 0
    corpus: int = 0
    proposed: int = 0
    removed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GUARDS, 0))
    kept: int = 0
    short_items: int = 0  # items that got fewer than k negatives
    no_reference: int = 0  # items without a margin reference (no anchor text, no sibling)
    reference_scores: dict[str, float] = field(default_factory=dict)
    negative_scores: dict[str, float] = field(default_factory=dict)
    index: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "settings": self.settings,
            "items": self.items,
            "corpus": self.corpus,
            "proposed": self.proposed,
            "removed": dict(self.removed),
            "kept": self.kept,
            "short_items": self.short_items,
            "no_reference": self.no_reference,
            "reference_scores": self.reference_scores,
            "negative_scores": self.negative_scores,
            "index": self.index,
            "hint": self.hint(),
        }

    def hint(self) -> str | None:
        """Which knob to relax when items got fewer than k negatives, or None."""
        if not self.short_items:
            return None
        culprits = sorted(
            (g for g in ("near_duplicate", "margin", "range_min") if self.removed[g]),
            key=lambda g: -self.removed[g],
        )
        knobs = {"near_duplicate": "raise --max-similarity", "margin": "lower --relative-margin", "range_min": "lower --range-min"}
        advice = ["raise --range-max"] + [knobs[g] for g in culprits]
        return f"{self.short_items} of {self.items} items got fewer than k={self.settings['k']} negatives: " + ", ".join(advice)

    def table(self) -> Any:
        """A rich renderable: guard counts, then score distributions, then the index report."""
        from rich.console import Group
        from rich.table import Table

        guards = Table(title=f"neighbours: {self.items} items, corpus of {self.corpus}")
        guards.add_column("stage")
        guards.add_column("candidates", justify="right")
        guards.add_column("share", justify="right")
        total = max(1, self.proposed)
        guards.add_row("proposed", f"{self.proposed:,}", "100.0%")
        for guard in GUARDS:
            guards.add_row(f"removed: {guard}", f"{self.removed[guard]:,}", f"{self.removed[guard] / total:.1%}")
        guards.add_row("kept", f"{self.kept:,}", f"{self.kept / total:.1%}")
        scores = Table(title="similarity to the query")
        scores.add_column("metric")
        scores.add_column("reference (positive)", justify="right")
        scores.add_column("kept negative", justify="right")
        for key in ("count", "mean", "std", "min", "25%", "50%", "75%", "max"):
            scores.add_row(key, str(self.reference_scores.get(key, "-")), str(self.negative_scores.get(key, "-")))
        parts: list[Any] = [guards, scores]
        index = self.index
        line = f"index: {index.get('kind')} over {index.get('size', 0):,} vectors, built in {index.get('build_seconds')} s"
        if index.get("recall") is not None:
            line += f"; recall@{index['recall_k']} vs exact {index['recall']:.3f} on {index['recall_sample']} queries"
        parts.append(line)
        if self.no_reference:
            parts.append(f"{self.no_reference} items have no anchor text or sibling: margin not applied to them")
        if self.hint():
            parts.append(f"[yellow]{self.hint()}[/yellow]")
        return Group(*parts)


@dataclass
class _Queries:
    """Per-item arrays describing what each query is and which corpus rows it must never return."""

    vectors: np.ndarray  # (items, d) query vectors
    positive: np.ndarray  # (items,) corpus row of the positive
    anchored: np.ndarray  # (items,) whether the query is an anchor text rather than the positive
    own: np.ndarray  # (items, a) rows equal to the positive up to normalisation, -2 padded
    siblings: np.ndarray  # (items, b) rows equal to a sibling up to normalisation, -2 padded
    reference: np.ndarray  # (items,) lowest query-positive similarity, NaN when none
    extra: int  # P: most positives of any item that can occupy a retrieval slot


def _padded(rows: list[list[int]]) -> np.ndarray:
    width = max((len(r) for r in rows), default=0)
    out = np.full((len(rows), max(1, width)), -2, dtype=np.int64)
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return out


def _pair_scores(vectors: np.ndarray, rows: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """(q, b) inner products of ``vectors[rows[i, j]]`` with ``queries[i]`` (negative rows score row 0)."""
    out = np.empty(rows.shape, dtype=np.float32)
    for start in range(0, len(rows), PAIR_CHUNK):
        block = slice(start, start + PAIR_CHUNK)
        out[block] = np.matmul(vectors[np.maximum(rows[block], 0)], queries[block, :, None])[..., 0]
    return out


def _queries(records: list[Record], corpus_index: dict[str, int], form: np.ndarray, forms: dict[str, int],
             vectors: np.ndarray, embedder: Any) -> _Queries:
    members: dict[int, list[int]] = defaultdict(list)  # normalised form -> corpus rows
    for row, f in enumerate(form[:-1].tolist()):
        members[f].append(row)
    anchors = sorted({r.anchor_text for r in records if r.anchor_text})
    anchor_vectors = embedder.embed_corpus(anchors) if anchors else None
    anchor_row = {text: i for i, text in enumerate(anchors)}
    positive = np.array([corpus_index[r.positive] for r in records], dtype=np.int64)
    anchored = np.array([bool(r.anchor_text) for r in records])
    query = vectors[positive]
    if anchors:
        query[anchored] = anchor_vectors[[anchor_row[r.anchor_text] for r in records if r.anchor_text]]
    own_rows, sibling_rows, reference_rows, extra = [], [], [], 0
    for record, row, has_anchor in zip(records, positive.tolist(), anchored.tolist()):
        own = members[int(form[row])]
        declared, twins = [], set()
        for sibling in record.siblings:
            exact = corpus_index.get(sibling)
            f = int(form[exact]) if exact is not None else forms.get(normalise(sibling))
            rows = members[f] if f is not None else []
            twins.update(rows)
            declared.extend([exact] if exact is not None else rows)
        sibs = sorted(twins - set(own))
        own_rows.append(own)
        sibling_rows.append(sibs)
        reference_rows.append([row, *declared] if has_anchor else declared)
        extra = max(extra, len(own) + len(sibs) - (0 if has_anchor else 1))
    refs = _padded(reference_rows)
    scores = _pair_scores(vectors, refs, query)
    reference = np.where(refs >= 0, scores, np.inf).min(axis=1)
    reference[np.isinf(reference)] = np.nan
    return _Queries(query, positive, anchored, _padded(own_rows), _padded(sibling_rows), reference, extra)


def _member(ids: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """(q, pool) mask: ids[i, j] is one of rows[i]."""
    return (ids[:, :, None] == rows[:, None, :]).any(axis=2)


def _twins(found: np.ndarray, alive: np.ndarray, form: np.ndarray) -> np.ndarray:
    """(q, pool) mask of surviving candidates whose normalised form a better survivor of the row has.

    ``form[row]`` numbers the normalised form of each corpus row (its last entry serves id -1)."""
    r, c = np.nonzero(alive)  # row-major: within a row, best first
    _, first = np.unique(r * (int(form.max()) + 2) + form[found[r, c]], return_index=True)
    later = np.ones(len(r), dtype=bool)
    later[first] = False
    out = np.zeros_like(alive)
    out[r[later], c[later]] = True
    return out


def mine_neighbours(
    records: list[Record],
    k: int = 5,
    *,
    max_similarity: float | None = 0.95,
    relative_margin: float | None = 0.05,
    range_min: int = 0,
    range_max: int | None = None,
    index: str = "auto",
    embedder: Any | None = None,
    model: str | None = None,
    device: str = "auto",
    seed: int = 0,
) -> tuple[dict[str, list[Distractor]], MiningStats]:
    """The ``k`` nearest other positives of every record that survive the guards, by record id.

    ``embedder`` is an :class:`negatives.embeddings.Embedder` (default: the shared one for ``model``
    on ``device``).
    ``range_max`` defaults as in sentence-transformers: ``range_min + 10k + P`` when a guard with a
    threshold is on, else ``range_min + k + P``.
    """
    from negatives.embeddings import shared_embedder
    from negatives.index import build_index

    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if range_min < 0:
        raise ValueError(f"range_min must be non-negative, got {range_min}")
    ids = [r.id for r in records]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})[:3] if len(ids) < 10_000 else "(several)"
        raise ValueError(f"record ids must be unique to mine neighbours; duplicated: {dup}")
    embedder = embedder or shared_embedder(model, device)
    corpus = list(dict.fromkeys(r.positive for r in records))
    corpus_index = {text: i for i, text in enumerate(corpus)}
    owner = [""] * len(corpus)
    for r in reversed(records):
        owner[corpus_index[r.positive]] = r.id
    vectors = embedder.embed_corpus(corpus)
    forms: dict[str, int] = {}
    form = np.array([forms.setdefault(normalise(t), len(forms)) for t in corpus] + [-1], dtype=np.int64)
    q = _queries(records, corpus_index, form, forms, vectors, embedder)
    filtered = max_similarity is not None or relative_margin is not None
    if range_max is None:
        range_max = range_min + (10 * k if filtered else k) + q.extra
    if range_min + k > range_max:
        raise ValueError(
            f"cannot keep k={k} negatives after skipping range_min={range_min} of range_max={range_max}: "
            "lower k or range_min, or raise range_max"
        )
    pool = min(range_max + q.extra, len(corpus))
    settings = {
        "k": k, "max_similarity": max_similarity, "relative_margin": relative_margin, "range_min": range_min,
        "range_max": range_max, "pool": pool, "index": index, "embedder": embedder.id,
    }
    stats = MiningStats(settings, items=len(records), corpus=len(corpus))
    out: dict[str, list[Distractor]] = {r.id: [] for r in records}
    if not records:
        return out, stats
    faiss_index = build_index(vectors, index, recall_k=pool, seed=seed)  # type: ignore[arg-type]
    stats.index = faiss_index.report.to_dict()
    stats.no_reference = int(np.isnan(q.reference).sum())
    stats.reference_scores = distribution(q.reference[~np.isnan(q.reference)])
    kept_scores: list[np.ndarray] = []
    for start in range(0, len(records), QUERY_CHUNK):
        rows = slice(start, start + QUERY_CHUNK)
        scores, found = faiss_index.search(q.vectors[rows], pool)
        valid = found >= 0
        is_positive = _member(found, q.own[rows]) & valid
        removed = {"positive": is_positive, "sibling": _member(found, q.siblings[rows]) & valid}
        if max_similarity is not None:
            anchored = q.anchored[rows]
            to_positive = scores
            if anchored.any():
                to_positive = scores.copy()
                to_positive[anchored] = _pair_scores(vectors, found[anchored], vectors[q.positive[rows][anchored]])
            removed["near_duplicate"] = to_positive > max_similarity
        if relative_margin is not None:
            ref = q.reference[rows]
            threshold = ref - np.abs(ref) * relative_margin
            removed["margin"] = scores > np.where(np.isnan(threshold), np.inf, threshold)[:, None]
        alive = valid.copy()
        for guard, mask in removed.items():
            hit = alive & mask
            stats.removed[guard] += int(hit.sum())
            alive &= ~hit
        twins = _twins(found, alive, form)
        stats.removed["twin"] += int(twins.sum())
        alive &= ~twins
        order = np.cumsum(alive, axis=1) - 1  # rank among survivors
        keep = alive & (order >= range_min) & (order < range_min + k)
        stats.removed["range_min"] += int((alive & (order < range_min)).sum())
        stats.removed["beyond_k"] += int((alive & (order >= range_min + k)).sum())
        stats.proposed += int(valid.sum())
        rank = np.arange(1, pool + 1) - np.cumsum(is_positive, axis=1)
        item, col = np.nonzero(keep)  # row-major: each item's negatives best first
        kept_scores.append(scores[item, col])
        chunk = records[rows]
        found_rows, ranks = found[item, col].tolist(), rank[item, col].tolist()
        for i, row, score, r in zip(item.tolist(), found_rows, kept_scores[-1].astype(np.float64).tolist(), ranks):
            meta = {"score": round(score, 6), "rank": r, "source": owner[row]}
            out[chunk[i].id].append(Distractor(text=corpus[row], engine="neighbours", op="retrieve", meta=meta))
        stats.short_items += int((np.bincount(item, minlength=len(chunk)) < k).sum())
    stats.kept = sum(len(v) for v in out.values())
    stats.negative_scores = distribution(np.concatenate(kept_scores))
    return out, stats
