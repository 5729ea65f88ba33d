"""Our neighbour mining vs sentence-transformers' ``mine_hard_negatives``, same corpus, same embeddings.

    .venv/bin/python benchmarks/bench_mining_vs_st.py [--coco ../shared/data/coco/captions_val2017.json]
        [-k 5] [--relative-margin 0.05] [--max-similarity 0.95] [--limit N] [--repeat 3] [--raw]

Corpus: the COCO captions (skipped when the file is absent). sentence-transformers gets one
(anchor=caption, positive=sibling caption) row for every caption and each other caption of its
image, plus our corpus (so both sides number the corpus in the same order); we get the same captions
as records with ``meta.siblings``. Settings match: exact search (FAISS flat on our side),
``num_negatives=k``, ``sampling_strategy="top"``, the same ``relative_margin``, our
``max_similarity`` as its ``max_score`` (here both compare a candidate with the caption itself) and
the same number of retrieved candidates per query (its ``range_max`` is set from ours).

Same input treatment: by default both sides get the captions with *twins* removed, i.e. only the
first caption of each form up to case, spacing and punctuation (COCO has captions that differ only
by a trailing space; the tokenizer gives them the same embedding). Our guards deliberately mask such
twins of the positive and siblings and return one caption per form, sentence-transformers does not,
so on the raw captions the lists differ exactly there; a sibling that was a twin is replaced by the
kept caption of its form. ``--raw`` runs on the captions as they are and sorts the differences
into twins and other causes.

Same embeddings: our embedder fills our cache once; the very same vectors are written into
sentence-transformers' ``cache_folder`` under its own key (SHA-256 of model name and texts), so
neither side encodes anything while timed and both load their ``.npy`` inside the timed region.
The three miners run ``--repeat`` times in turn; printed: the load average, each round's seconds,
the median per miner and the ratio of medians (target: ours >= 1.5x faster), and agreement of the
returned negatives per caption (target: identical for exact search).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_COCO = Path(__file__).resolve().parents[2] / "shared" / "data" / "coco" / "captions_val2017.json"
OURS = "negatives.mine_neighbours (FAISS exact)"
ST_TORCH = "sentence-transformers (torch top-k)"
ST_FAISS = "sentence-transformers (FAISS flat)"


def st_cache(folder: Path, model: Any, queries: list[str], corpus: list[str], vectors: dict[str, np.ndarray]) -> None:
    """Write our vectors where ``mine_hard_negatives(cache_folder=folder)`` will look for them."""
    name = model.model_card_data.base_model or ""
    for kind, texts in (("query", queries), ("corpus", corpus)):
        key = hashlib.sha256(repr((name, None, None, texts)).encode(), usedforsecurity=False).hexdigest()
        np.save(folder / f"{kind}_embeddings_{key}.npy", np.stack([vectors[t] for t in texts]))


def without_twins(records: list, normalise: Any) -> list:
    """The first record of every caption form; siblings renamed to the kept caption of their form."""
    first: dict[str, str] = {}
    for r in records:
        first.setdefault(normalise(r.positive), r.positive)
    out, seen = [], set()
    for r in records:
        form = normalise(r.positive)
        if form in seen:  # a twin, or the same caption for another image
            continue
        seen.add(form)
        siblings = (first[normalise(s)] for s in r.siblings)
        r.meta["siblings"] = list(dict.fromkeys(s for s in siblings if s != r.positive))
        out.append(r)
    return out


def load(path: Path, limit: int | None, raw: bool) -> list:
    from negatives.mining import normalise
    from negatives.readers import Reject, read_records

    records = [r for r in read_records(path, fmt="coco") if not isinstance(r, Reject)][:limit]
    present = {r.positive for r in records}
    for r in records:  # with --limit, siblings outside the subset are not in the corpus of either side
        r.meta["siblings"] = [s for s in r.siblings if s in present]
    if not raw:
        records = without_twins(records, normalise)
    return [r for r in records if r.siblings]


def differences(ours: dict[str, list[str]], theirs: dict[str, list[str]], captions: list[str]) -> Counter:
    """Why lists differ: ``twins`` (one side has two captions of one form, or they differ only in
    which caption of a form) or ``other``."""
    from negatives.mining import normalise

    why: Counter = Counter()
    for t in captions:
        a, b = ours[t], theirs.get(t, [])
        if a == b:
            continue
        fa, fb = [normalise(x) for x in a], [normalise(x) for x in b]
        twins = len(set(fb)) < len(fb) or len(set(fa)) < len(fa) or fa == fb
        why["twins" if twins else "other"] += 1
    return why


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coco", type=Path, default=DEFAULT_COCO)
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--relative-margin", type=float, default=0.05)
    parser.add_argument("--max-similarity", type=float, default=0.95)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N captions")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the three miners, in turn")
    parser.add_argument("--raw", action="store_true", help="keep caption twins (see the module docstring)")
    args = parser.parse_args()
    if not args.coco.is_file():
        print(f"skipped: {args.coco} is absent")
        return

    from negatives.models import load_embedder  # first: it sets offline mode and the torchvision fix

    from datasets import Dataset
    from sentence_transformers.util import mine_hard_negatives

    from negatives.embeddings import Embedder
    from negatives.mining import mine_neighbours

    records = load(args.coco, args.limit, args.raw)
    model = load_embedder()
    corpus = list(dict.fromkeys(r.positive for r in records))
    vectors = dict(zip(corpus, np.asarray(Embedder(model).embed_corpus(corpus))))  # fills our cache (untimed)

    pairs = [(r.positive, s) for r in records for s in r.siblings]
    dataset = Dataset.from_dict({"anchor": [a for a, _ in pairs], "positive": [p for _, p in pairs]})
    st_queries = list(dict.fromkeys(a for a, _ in pairs))
    m = max(Counter(a for a, _ in pairs).values())  # sentence-transformers retrieves range_max + m
    options: dict[str, Any] = dict(
        anchor_column_name="anchor", positive_column_name="positive", corpus=corpus, num_negatives=args.k,
        relative_margin=args.relative_margin, max_score=args.max_similarity, sampling_strategy="top",
        output_format="labeled-list", verbose=False,
    )
    treatment = "raw" if args.raw else "twins removed"
    print(f"{len(records):,} captions with siblings ({treatment}), corpus {len(corpus):,}, "
          f"{len(pairs):,} (anchor, positive) rows; k={args.k}, relative_margin={args.relative_margin}, "
          f"max_similarity={args.max_similarity}")

    seconds: dict[str, list[float]] = {OURS: [], ST_TORCH: [], ST_FAISS: []}
    outputs: dict[str, Any] = {}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        st_cache(Path(folder), model, st_queries, corpus, vectors)
        for _ in range(args.repeat):
            start = time.perf_counter()
            outputs[OURS] = mine_neighbours(
                records, args.k, embedder=Embedder(model), index="exact",
                relative_margin=args.relative_margin, max_similarity=args.max_similarity,
            )
            seconds[OURS].append(time.perf_counter() - start)
            pool = outputs[OURS][1].settings["pool"]
            for label, use_faiss in ((ST_TORCH, False), (ST_FAISS, True)):
                start = time.perf_counter()
                outputs[label] = mine_hard_negatives(
                    dataset, model, cache_folder=folder, use_faiss=use_faiss, range_max=pool - m, **options
                )
                seconds[label].append(time.perf_counter() - start)
    load_after = os.getloadavg()
    ours, stats = outputs[OURS]
    print(f"retrieval window: {pool} candidates per query on both sides")
    print(f"load average (1, 5, 15 min) before {load_before}, after {load_after} on {os.cpu_count()} CPUs")

    median = {label: statistics.median(s) for label, s in seconds.items()}
    print(f"\n{'miner':<42} {'median s':>9} {'ours faster by':>15}   rounds (s)")
    for label, s in seconds.items():
        ratio = "" if label == OURS else f"{median[label] / median[OURS]:.2f}x"
        print(f"{label:<42} {median[label]:>9.2f} {ratio:>15}   {', '.join(f'{x:.2f}' for x in s)}")

    ours_by_text = {r.positive: [d.text for d in ours[r.id]] for r in records}
    repeated = Counter(r.positive for r in records)
    unique = [t for t in ours_by_text if repeated[t] == 1]
    for label in (ST_TORCH, ST_FAISS):
        theirs: dict[str, list[str]] = {}
        for anchor, texts in zip(outputs[label]["anchor"], outputs[label]["positive"]):
            theirs.setdefault(anchor, texts[1:])
        same = sum(ours_by_text[t] == theirs.get(t, []) for t in unique)
        print(f"\nagreement with {label}, on {len(unique):,} captions that occur once:")
        print(f"  identical ordered lists of negatives: {same:,} ({same / len(unique):.2%}); "
              f"negatives returned: ours {sum(map(len, ours_by_text.values())):,}, "
              f"theirs {sum(map(len, theirs.values())):,}")
        why = differences(ours_by_text, theirs, unique)
        if why:
            print(f"  differing: {dict(why)}")
        for t in [t for t in unique if ours_by_text[t] != theirs.get(t, [])][:3]:
            q = vectors[t]
            print(f"  differs: {t!r}\n    ours:   {[(x, round(float(vectors[x] @ q), 6)) for x in ours_by_text[t]]}"
                  f"\n    theirs: {[(x, round(float(vectors[x] @ q), 6)) for x in theirs.get(t, [])]}")
    if len(unique) < len(records):
        print(f"\n(captions occurring for several images, {len(records) - len(unique):,}, are left out: "
              "sentence-transformers merges equal anchors into one query with the union of their positives)")
    print(f"our guard counts: {stats.removed}; kept {stats.kept:,}")


if __name__ == "__main__":
    main()
