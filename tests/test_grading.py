"""Graded sets: quotas per level, balance across engines, determinism, the diagnostic counts and hints."""

from __future__ import annotations

import copy
import json
from collections import Counter

from rich.console import Console

from negatives.grading import GradingStats, build_graded_set
from negatives.records import Distractor, Record


def item(i: int, spec: dict[str, list[float]]) -> Record:
    """A record whose distractors are pre-scored: ``spec`` maps engine -> difficulties."""
    r = Record(f"r{i}", "image-caption", {"image": f"{i}.jpg"}, f"positive {i}", meta={"siblings": [f"sibling {i}"]})
    r.distractors = [
        Distractor(f"{engine} {i} {j}", engine, "op", difficulty=d) for engine, ds in spec.items() for j, d in enumerate(ds)
    ]
    return r


SPEC = {"entity": [0.85, 0.9, 0.95, 0.5], "binding": [0.82, 0.88, 0.55], "random": [0.05, 0.1]}


def test_quota_per_level_and_balance_across_engines() -> None:
    records = [item(i, SPEC) for i in range(20)]
    graded, stats = build_graded_set(records, levels=5, per_level=2, seed=0)
    for r in graded:
        levels = Counter(d.level for d in r.distractors)
        assert levels == {5: 2, 3: 2, 1: 2}
        top = Counter(d.engine for d in r.distractors if d.level == 5)
        assert top == {"entity": 1, "binding": 1}  # round robin, not the engine with more candidates
        assert [d.level for d in r.distractors] == sorted(d.level for d in r.distractors)
    assert stats.short == {2: 20, 4: 20}
    assert any("level 2: empty" in h for h in stats.hints())


def test_counts_add_up_and_render() -> None:
    records = [item(i, SPEC) for i in range(5)]
    records[0].distractors.append(Distractor("positive 0", "entity", "op", difficulty=0.99))  # equals the positive
    records[0].distractors.append(Distractor(None, "image", "op", image="x.jpg"))
    _, stats = build_graded_set(records, per_level=1, seed=0)
    for by_level in stats.counts.values():
        for cell in by_level.values():
            assert cell["proposed"] == cell["duplicate"] + cell["over_quota"] + cell["kept"]
    assert stats.counts["entity"][5]["duplicate"] == 1
    assert stats.unscored == {"image": 1}
    stats.add_guards("neighbours", {"sibling": 3, "margin": 2})
    d = json.loads(json.dumps(stats.to_dict()))
    assert d["level_edges"] == [0.2, 0.4, 0.6, 0.8] and d["guards"]["neighbours"]["sibling"] == 3
    console = Console(record=True, width=140)
    console.print(stats.table())
    text = console.export_text()
    assert "over_quota" in text and "level 4" in text and "sibling" in text


def test_deterministic_by_seed_and_independent_of_batching() -> None:
    spec = {"entity": [0.81, 0.82, 0.83, 0.84, 0.85], "relation": [0.86, 0.87, 0.88]}
    records = [item(i, spec) for i in range(30)]
    a, _ = build_graded_set(copy.deepcopy(records), per_level=3, seed=1)
    stats = GradingStats(per_level=3)
    b = build_graded_set(copy.deepcopy(records[:10]), per_level=3, seed=1, stats=stats)[0]
    b += build_graded_set(copy.deepcopy(records[10:]), per_level=3, seed=1, stats=stats)[0]
    c, _ = build_graded_set(copy.deepcopy(records), per_level=3, seed=2)
    dump = lambda rs: [r.to_json() for r in rs]  # noqa: E731
    assert dump(a) == dump(b)
    assert dump(a) != dump(c)
    assert stats.items == 30
