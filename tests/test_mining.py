"""Neighbour mining: FAISS index paths agree, guards remove what they should, results are deterministic."""

from __future__ import annotations

import json

import numpy as np
import pytest

from negatives.index import HNSW_EF_CAP, NeighbourIndex, build_index, choose_kind, recall_at_k
from negatives.mining import mine_neighbours, normalise
from negatives.records import Record

IMAGES = [
    ["A dog runs across a grassy field.", "A brown dog running on the grass.", "A puppy sprinting over a lawn."],
    ["A cat sleeps on a sofa.", "A kitten napping on a couch."],
    ["A man rides a surfboard on a wave.", "A surfer riding a large wave."],
    ["Two people playing tennis on a court.", "A tennis match between two players."],
    ["A red bus driving down a city street.", "A double decker bus on the road."],
    ["A plate of pasta with tomato sauce.", "Spaghetti served on a white plate."],
    ["A dog runs across the grassy field.", "A black dog chasing a frisbee."],
    ["A giraffe eating leaves from a tree.", "A tall giraffe standing near trees."],
    ["A man riding a bike on a street.", "A cyclist pedalling down a road."],
    ["A pizza with cheese on a table.", "A large pizza sitting on a wooden table."],
]


def caption_records(images: list[list[str]] = IMAGES) -> list[Record]:
    records = []
    for i, captions in enumerate(images):
        for j, caption in enumerate(captions):
            siblings = [c for c in captions if c != caption]
            records.append(Record(f"{i}-{j}", "image-caption", {"image": f"{i}.jpg"}, caption, meta={"siblings": siblings}))
    return records


class FixedEmbedder:
    """Vectors chosen by hand, to test the guards' arithmetic exactly."""

    id = "fixed"

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = table

    def embed_corpus(self, texts: list[str]) -> np.ndarray:
        v = np.array([self.table[t] for t in texts], dtype=np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    encode = embed_corpus


@pytest.fixture(scope="module")
def embedder(tmp_path_factory: pytest.TempPathFactory):
    from negatives.embeddings import Embedder
    from negatives.models import load_embedder

    return Embedder(load_embedder(), cache_dir=tmp_path_factory.mktemp("emb"))


def clustered(n: int, d: int = 32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((20, d))
    x = centers[rng.integers(0, 20, n)] + 0.5 * rng.standard_normal((n, d))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_approximate_index_agrees_with_exact_within_its_reported_recall(kind: str) -> None:
    x = clustered(3000)
    exact = NeighbourIndex(x, "exact")
    approx = build_index(x, kind, recall_k=10)
    assert approx.report.recall is not None and approx.report.recall_k == 10
    _, truth = exact.search(x[:300], 10)
    _, found = approx.search(x[:300], 10)
    overlap = np.mean([len(np.intersect1d(t, f)) / 10 for t, f in zip(truth, found)])
    assert overlap >= approx.report.recall - 0.05
    assert approx.report.recall > 0.8


def test_default_approximate_index_is_deterministic_and_meets_its_recall() -> None:
    x = clustered(60_000, d=64)  # past EXACT_MAX: what `auto` builds for a large corpus
    first, second = build_index(x, recall_k=10), build_index(x, recall_k=10)
    assert first.kind == "ivf" and first.report.recall >= 0.95
    queries = x[np.random.default_rng(1).choice(len(x), 500, replace=False)]  # drawn apart from the tuning sample
    a, b = first.search(queries, 10), second.search(queries, 10)
    assert np.array_equal(a[1], b[1]) and np.array_equal(a[0], b[0])
    assert first.report.params == second.report.params
    _, truth = NeighbourIndex(x, "exact").search(queries, 10)
    assert recall_at_k(truth, a[1]) >= 0.95


def test_reported_recall_is_that_of_the_final_search_breadth() -> None:
    x = clustered(3000)
    index = build_index(x, "hnsw", recall_k=10, target_recall=1.01)  # never met: widened up to the cap
    assert index.report.params["efSearch"] == index.index.hnsw.efSearch == HNSW_EF_CAP
    rows = np.sort(np.random.default_rng(0).choice(len(x), 1000, replace=False))  # the index's own sample
    _, truth = NeighbourIndex(x, "exact").search(x[rows], 10)
    _, found = index.search(x[rows], 10)
    assert index.report.recall == round(recall_at_k(truth, found), 4)


def test_exact_index_returns_true_top_k() -> None:
    x = clustered(500)
    scores, ids = NeighbourIndex(x, "exact").search(x[:50], 5)
    brute = np.argsort(-(x[:50] @ x.T), axis=1)[:, :5]
    assert (ids == brute).all()
    assert np.all(np.diff(scores, axis=1) <= 1e-6)
    assert NeighbourIndex(x, "exact").report.recall is None  # measured only for approximate kinds


def test_index_kind_is_chosen_by_size_and_overridable() -> None:
    assert choose_kind(1_000) == "exact"
    assert choose_kind(500_000) == choose_kind(5_000_000) == "ivf"
    assert choose_kind(1_000, "hnsw") == "hnsw"
    with pytest.raises(ValueError):
        choose_kind(10, "lsh")  # type: ignore[arg-type]


def test_exact_and_approximate_mining_return_the_same_neighbours(embedder) -> None:
    records = caption_records()
    exact, _ = mine_neighbours(records, k=3, embedder=embedder, index="exact")
    approx, stats = mine_neighbours(records, k=3, embedder=embedder, index="hnsw")
    assert stats.index["kind"] == "hnsw" and stats.index["recall"] == 1.0
    assert {i: [d.text for d in v] for i, v in exact.items()} == {i: [d.text for d in v] for i, v in approx.items()}


def test_sibling_guard(embedder) -> None:
    records = caption_records()
    mined, stats = mine_neighbours(records, k=3, embedder=embedder, relative_margin=None, max_similarity=None)
    for r in records:
        texts = {d.text for d in mined[r.id]}
        assert r.positive not in texts and not texts & set(r.siblings)
    assert stats.removed["sibling"] > 0
    # without sibling information the nearest caption of the same image comes back
    bare = [Record(r.id, r.task, r.anchor, r.positive) for r in records]
    unguarded, _ = mine_neighbours(bare, k=3, embedder=embedder, relative_margin=None, max_similarity=None)
    assert "A brown dog running on the grass." in {d.text for d in unguarded["0-0"]}


def test_near_duplicate_guard(embedder) -> None:
    records = caption_records()
    twin = "A dog runs across the grassy field."
    open_, _ = mine_neighbours(records, k=3, embedder=embedder, relative_margin=None, max_similarity=None)
    assert open_["0-0"][0].text == twin and open_["0-0"][0].meta["score"] > 0.9
    guarded, stats = mine_neighbours(records, k=3, embedder=embedder, relative_margin=None, max_similarity=0.9)
    assert twin not in {d.text for d in guarded["0-0"]}
    assert stats.removed["near_duplicate"] > 0
    assert all(d.meta["score"] <= 0.9 for v in guarded.values() for d in v)


def test_relative_margin_uses_the_lowest_positive_score_as_reference(embedder) -> None:
    records = caption_records()
    mined, stats = mine_neighbours(records, k=5, embedder=embedder, relative_margin=0.1, max_similarity=None)
    assert stats.removed["margin"] > 0
    texts = [r.positive for r in records]
    vectors = dict(zip(texts, embedder.embed_corpus(texts)))  # the cached corpus embeddings
    for r in records:
        ref = min(float(vectors[s] @ vectors[r.positive]) for s in r.siblings)
        for d in mined[r.id]:
            assert d.meta["score"] <= ref - abs(ref) * 0.1 + 1e-5


def test_relative_margin_keeps_the_threshold_below_a_negative_reference() -> None:
    # positive-sibling similarity is negative (-0.6); "(1 - m) * ref" would let a closer -0.56 through
    table = {"p": [1, 0], "s": [-0.6, 0.8], "close": [-0.56, 0.8286], "far": [-0.8, 0.6]}
    records = [Record("a", "text", {}, "p", meta={"siblings": ["s"]}), Record("b", "text", {}, "s"),
               Record("c", "text", {}, "close"), Record("d", "text", {}, "far")]
    mined, stats = mine_neighbours(records, k=3, embedder=FixedEmbedder(table), relative_margin=0.1, max_similarity=None)
    assert [d.text for d in mined["a"]] == ["far"]
    assert stats.removed["margin"] >= 1 and stats.removed["sibling"] == 1


def test_margin_reference_is_the_declared_sibling_not_its_twins() -> None:
    # "S." is a twin of the sibling "s" (another image's caption, other embedding, 0.6 to "p"): masked
    # as a sibling, but the reference stays "s" (0.8), as in mine_hard_negatives, so "c" (0.7) is kept
    table = {"p": [1, 0], "s": [0.8, 0.6], "S.": [0.6, 0.8], "c": [0.7, 0.714], "x": [0, 1]}
    records = [Record("a", "text", {}, "p", meta={"siblings": ["s"]}), Record("b", "text", {}, "s"),
               Record("c", "text", {}, "S."), Record("d", "text", {}, "c"), Record("e", "text", {}, "x")]
    mined, stats = mine_neighbours(records, k=3, embedder=FixedEmbedder(table), relative_margin=0.05, max_similarity=None)
    assert [d.text for d in mined["a"]] == ["c", "x"]
    assert stats.removed["sibling"] == 2  # "s" and its twin "S."


def test_anchor_text_is_the_query_and_the_margin_reference() -> None:
    table = {"q": [1, 0, 0], "ans": [0.8, 0.6, 0], "near": [0.79, 0, 0.613], "mid": [0.5, 0, 0.866], "x": [0, 0, 1]}
    records = [Record("a", "text", {"text": "q"}, "ans"), Record("b", "text", {}, "near"),
               Record("c", "text", {}, "mid"), Record("d", "text", {}, "x")]
    mined, _ = mine_neighbours(records, k=3, embedder=FixedEmbedder(table), relative_margin=0.05, max_similarity=None)
    # anchor-positive = 0.8, so a negative may score at most 0.76 against the anchor: "near" (0.79) is out
    assert [d.text for d in mined["a"]] == ["mid", "x"]
    assert mined["a"][0].meta["score"] == pytest.approx(0.5, abs=1e-3)


def test_range_min_skips_the_best_survivors(embedder) -> None:
    records = caption_records()
    full, _ = mine_neighbours(records, k=4, embedder=embedder, range_max=20)
    skipped, stats = mine_neighbours(records, k=3, embedder=embedder, range_min=1, range_max=20)
    for r in records:
        assert [d.text for d in skipped[r.id]] == [d.text for d in full[r.id]][1:4]
    assert stats.removed["range_min"] > 0
    with pytest.raises(ValueError, match="range_min"):
        mine_neighbours(records, k=5, embedder=embedder, range_min=3, range_max=6)


def test_stats_add_up_and_mining_is_deterministic(embedder) -> None:
    records = caption_records()
    first, stats = mine_neighbours(records, k=2, embedder=embedder)
    second, _ = mine_neighbours(records, k=2, embedder=embedder)
    assert json.dumps({i: [d.to_dict() for d in v] for i, v in first.items()}) == json.dumps(
        {i: [d.to_dict() for d in v] for i, v in second.items()}
    )
    assert stats.proposed == sum(stats.removed.values()) + stats.kept
    assert stats.kept == sum(len(v) for v in first.values())
    d = first["1-0"][0]
    assert (d.engine, d.op, d.edit) == ("neighbours", "retrieve", None) and d.meta["rank"] >= 1
    assert json.loads(json.dumps(stats.to_dict()))["settings"]["k"] == 2


def test_duplicate_ids_are_refused(embedder) -> None:
    records = caption_records()[:3]
    records[1].id = records[0].id
    with pytest.raises(ValueError, match="unique"):
        mine_neighbours(records, embedder=embedder)


def test_mine_command_writes_records_triplets_and_manifest(tmp_path, embedder, monkeypatch) -> None:
    from typer.testing import CliRunner

    from negatives.cli import app

    monkeypatch.setenv("NEGATIVES_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "in.jsonl"
    rows = [{"id": f"q{i}", "question": q, "text": a} for i, (q, a) in enumerate([
        ("What animal runs in the field?", "A dog runs across a grassy field."),
        ("Where does the cat sleep?", "A cat sleeps on a sofa."),
        ("What is the man riding?", "A man rides a surfboard on a wave."),
        ("What are they playing?", "Two people playing tennis on a court."),
    ])]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows) + "not json\n")
    out, triplets = tmp_path / "out.jsonl", tmp_path / "triplets.jsonl"
    args = ["mine", str(source), "--out", str(out), "-k", "2", "--context-field", "question",
            "--triplets", str(triplets), "--on-error", "skip"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    written = [Record.from_json(line) for line in out.read_text().splitlines()]
    assert [r.id for r in written] == ["q0", "q1", "q2", "q3"]
    assert all(d.engine == "neighbours" and d.text != r.positive for r in written for d in r.distractors)
    rows_out = [json.loads(line) for line in triplets.read_text().splitlines()]
    assert rows_out and set(rows_out[0]) == {"anchor", "positive", "negative"}
    assert rows_out[0]["anchor"] == "What animal runs in the field?"
    manifest = json.loads((tmp_path / "out.jsonl.manifest.json").read_text())
    assert manifest["counts"]["rejected"] == 1 and manifest["mining"]["settings"]["k"] == 2
    assert CliRunner().invoke(app, args).exit_code != 0  # refuses to overwrite
    bad = CliRunner().invoke(app, [*args, "--overwrite", "-k", "5", "--range-min", "3", "--range-max", "4"])
    assert bad.exit_code != 0 and "range_min" in bad.output


def test_twins_differing_only_by_spacing_are_returned_once() -> None:
    table = {"p": [1, 0], "a dog ": [0.9, 0.436], "A dog": [0.9, 0.436], "cat": [0.5, 0.866]}
    records = [Record(str(i), "text", {}, t) for i, t in enumerate(table)]
    mined, stats = mine_neighbours(records, k=3, embedder=FixedEmbedder(table), relative_margin=None, max_similarity=None)
    texts = [d.text for d in mined["0"]]
    assert len(texts) == 2 and texts[0] in ("a dog ", "A dog") and texts[1] == "cat"
    assert stats.removed["twin"] >= 1
    for record in records:  # every item gets one caption per form
        forms = [normalise(d.text) for d in mined[record.id]]
        assert len(forms) == len(set(forms))
