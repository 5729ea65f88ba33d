"""Our neighbour mining vs sentence-transformers' ``mine_hard_negatives``, same corpus, same embeddings.

    .venv/bin/python benchmarks/bench_mining_vs_st.py [--coco ../shared/data/coco/captions_val2017.json]
        [-k 5] [--relative-margin 0.05] [--max-similarity 0.95] [--limit N]

Corpus: the COCO captions (skipped when the file is absent). sentence-transformers gets one
(anchor=caption, positive=sibling caption) row for every caption and each other caption of its
image, so both sides know the same positives; we get the same captions as records with
``meta.siblings``. Settings match: exact search, ``num_negatives=k``, ``sampling_strategy="top"``,
the same ``relative_margin``, our ``max_similarity`` as its ``max_score`` (in this setting both
compare a candidate with the caption itself) and the same number of retrieved candidates per query.

Same embeddings: our embedder fills our cache once; the very same vectors are written into
sentence-transformers' ``cache_folder`` under its own key (SHA-256 of model name and texts), so
neither side encodes anything while timed and both load their ``.npy`` inside the timed region.
Printed: seconds for each side (sentence-transformers with torch top-k and with FAISS), the speed
ratio (target: ours >= 1.5x faster) and agreement of the returned negatives per caption (target:
identical for exact search).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_COCO = Path(__file__).resolve().parents[2] / "shared" / "data" / "coco" / "captions_val2017.json"


def st_cache(folder: Path, model, queries: list[str], corpus: list[str], vectors: dict[str, np.ndarray]) -> None:
    """Write our vectors where ``mine_hard_negatives(cache_folder=folder)`` will look for them."""
    name = model.model_card_data.base_model or ""
    for kind, texts in (("query", queries), ("corpus", corpus)):
        key = hashlib.sha256(repr((name, None, None, texts)).encode(), usedforsecurity=False).hexdigest()
        np.save(folder / f"{kind}_embeddings_{key}.npy", np.stack([vectors[t] for t in texts]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coco", type=Path, default=DEFAULT_COCO)
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--relative-margin", type=float, default=0.05)
    parser.add_argument("--max-similarity", type=float, default=0.95)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N captions")
    args = parser.parse_args()
    if not args.coco.is_file():
        print(f"skipped: {args.coco} is absent")
        return

    from negatives.models import load_embedder  # first: it sets offline mode and the torchvision fix

    from datasets import Dataset
    from sentence_transformers.util import mine_hard_negatives

    from negatives.embeddings import Embedder
    from negatives.mining import mine_neighbours, normalise
    from negatives.readers import Reject, read_records

    records = [r for r in read_records(args.coco, fmt="coco") if not isinstance(r, Reject)][: args.limit]
    kept = {r.positive for r in records}
    for r in records:  # with --limit, siblings outside the subset are not in the corpus of either side
        r.meta["siblings"] = [s for s in r.siblings if s in kept]
    records = [r for r in records if r.siblings]
    model = load_embedder()
    embedder = Embedder(model)
    corpus = list(dict.fromkeys(r.positive for r in records))
    vectors = dict(zip(corpus, np.asarray(embedder.embed_corpus(corpus))))  # fills our cache (untimed)

    pairs = [(r.positive, s) for r in records for s in dict.fromkeys(r.siblings)]
    dataset = Dataset.from_dict({"anchor": [a for a, _ in pairs], "positive": [p for _, p in pairs]})
    st_queries = list(dict.fromkeys(a for a, _ in pairs))
    st_corpus = list(dict.fromkeys(p for _, p in pairs))
    options = dict(
        anchor_column_name="anchor", positive_column_name="positive", num_negatives=args.k,
        relative_margin=args.relative_margin, max_score=args.max_similarity, sampling_strategy="top",
        output_format="labeled-list", verbose=False,
    )
    # The same retrieval window on both sides: sentence-transformers retrieves range_max + m candidates,
    # m = the most (anchor, positive) rows of one anchor (equal captions of several images merge, so m
    # can exceed the siblings of any one image); we retrieve range_max + P, P = the most siblings of a record.
    m = max(Counter(a for a, _ in pairs).values())
    window = 10 * args.k + 2 * m
    by_norm = Counter(normalise(t) for t in corpus)  # our guards also mask case/punctuation twins
    own_extra = max(
        by_norm[normalise(r.positive)] - 1 + sum(by_norm[n] for n in {normalise(x) for x in r.siblings} - {normalise(r.positive)})
        for r in records
    )
    options["range_max"] = window - m
    print(f"{len(records):,} captions with siblings, corpus {len(corpus):,}, {len(pairs):,} (anchor, positive) rows; "
          f"k={args.k}, relative_margin={args.relative_margin}, max_similarity={args.max_similarity}")

    results = {}
    with tempfile.TemporaryDirectory() as folder:
        st_cache(Path(folder), model, st_queries, st_corpus, vectors)
        for label, use_faiss in (("sentence-transformers (torch top-k)", False), ("sentence-transformers (FAISS flat)", True)):
            start = time.perf_counter()
            out = mine_hard_negatives(dataset, model, cache_folder=folder, use_faiss=use_faiss, **options)
            results[label] = (time.perf_counter() - start, out)

    start = time.perf_counter()
    ours, stats = mine_neighbours(
        records, args.k, embedder=Embedder(model), index="exact", range_max=window - own_extra,
        relative_margin=args.relative_margin, max_similarity=args.max_similarity,
    )
    ours_seconds = time.perf_counter() - start
    print(f"retrieval window: {window} candidates per query on both sides (ours: {stats.settings['pool']})")
    ours_by_text = {r.positive: [d.text for d in ours[r.id]] for r in records}

    print(f"\n{'miner':<40} {'seconds':>8} {'ours faster by':>15}")
    print(f"{'negatives.mine_neighbours (FAISS exact)':<40} {ours_seconds:>8.2f} {'':>15}")
    for label, (seconds, _) in results.items():
        print(f"{label:<40} {seconds:>8.2f} {seconds / ours_seconds:>14.2f}x")

    repeated = Counter(r.positive for r in records)
    unique = [t for t in ours_by_text if repeated[t] == 1]
    for label, (_, out) in results.items():
        theirs: dict[str, list[str]] = {}
        for anchor, texts in zip(out["anchor"], out["positive"]):
            theirs.setdefault(anchor, texts[1:])
        same = sum(ours_by_text[t] == theirs.get(t, []) for t in unique)
        same_set = sum(set(ours_by_text[t]) == set(theirs.get(t, [])) for t in unique)
        print(f"\nagreement with {label}, on {len(unique):,} captions that occur once:")
        print(f"  identical ordered lists: {same:,} ({same / len(unique):.2%}); identical sets: {same_set:,} "
              f"({same_set / len(unique):.2%})")
        differ = [t for t in unique if ours_by_text[t] != theirs.get(t, [])][:3]
        for t in differ:
            print(f"  differs: {t!r}\n    ours:   {ours_by_text[t]}\n    theirs: {theirs.get(t, [])}")
    print(f"\n(captions occurring for several images, {len(records) - len(unique):,}, are left out: "
          "sentence-transformers merges equal anchors into one query with the union of their positives)")
    print(f"our guard counts: {stats.removed}; kept {stats.kept:,}")


if __name__ == "__main__":
    main()
