"""Binding engine: swap, replace and add attributes."""

from __future__ import annotations

from collections import Counter

from _fixtures_nlp import nlp, parse, propose  # noqa: F401

from negatives.engines.base import CorpusStats
from negatives.engines.binding import BindingEngine, contrasts


def test_swap_issue_example(propose):
    assert propose(BindingEngine(), "a red car next to a blue truck", "swap") == ["a blue car next to a red truck"]


def test_replace_stays_in_category_and_never_synonym():
    assert "large" in contrasts("small") and "little" not in contrasts("small")
    assert "tall" not in contrasts("small")
    assert "red" not in contrasts("red") and "gray" not in contrasts("grey")
    assert set(contrasts("wooden")) <= {w for w in contrasts("wooden")} and "wood" not in contrasts("wooden")


def test_replace_changes_one_colour(propose):
    out = propose(BindingEngine(), "A small red bus on the street.", "replace")
    assert out
    for t in out:
        assert t != "A small red bus on the street."
        assert t.startswith("A ") and t.endswith(" bus on the street.")


def test_add_uses_corpus_cooccurrence_and_fixes_article(propose):
    stats = CorpusStats()
    for text in ["an orange umbrella", "an orange umbrella", "a red umbrella", "a blue umbrella", "a green umbrella",
                 "a pink umbrella", "a black umbrella"]:
        stats.observe(text)
    text = "A man holding a umbrella."
    assert "A man holding an orange umbrella." in propose(BindingEngine(alternatives=3), text, "add", stats=stats)


def test_add_never_states_a_nouns_default_attribute(propose):
    stats = CorpusStats()
    for text in ["a blue sky"] * 5 + ["a gray sky", "a wooden crate", "a tall tower", "a tall tower", "a small tower",
                                      "a wood table", "a wooden table", "a glass table", "a metal table"]:
        stats.observe(text)
    engine = BindingEngine(alternatives=8)
    for text, default, other in [("A kite in the sky.", "blue", "gray"), ("A crate on the floor.", "wooden", None),
                                 ("A tower at night.", "tall", "small"), ("A table in a room.", "wooden", "glass")]:
        added = set(propose(engine, text, "add", stats=stats))
        assert not any(f" {default} " in t for t in added), added  # "a blue sky" is probably true
        assert other is None or any(f" {other} " in t for t in added), added


def test_add_skips_colours_mentioned_by_siblings(propose):
    stats = CorpusStats()
    stats.attributes["car"]["colour"] = Counter({"red": 5})
    text = "A car on the road."
    assert all("red" not in t for t in propose(BindingEngine(), text, "add", siblings=("A red car driving.",), stats=stats))


def test_swap_only_trades_attributes_of_one_kind(propose):
    out = propose(BindingEngine(), "two small red circles next to a large orange square", "swap")
    assert sorted(out) == [
        "two large red circles next to a small orange square",
        "two small orange circles next to a large red square",
    ]
    assert propose(BindingEngine(), "two small red circles next to a small orange square", "swap") == [
        "two small orange circles next to a small red square"
    ]


def test_alternatives_draw_several_attributes(propose):
    one = propose(BindingEngine(), "A small red bus on the street.", "replace")
    many = propose(BindingEngine(alternatives=5), "A small red bus on the street.", "replace")
    colours = {t.split()[2] for t in many if t.startswith("A small ")}
    assert len(one) == 2 and len(colours) == 5 and "red" not in colours  # one per attribute by default


def test_move_gives_an_attribute_to_a_bare_object(propose):
    engine = BindingEngine()
    assert propose(engine, "a red car next to a truck", "move") == ["a car next to a red truck"]
    assert propose(engine, "An old man sitting on a bench.", "move") == ["A man sitting on an old bench."]
    assert propose(engine, "Red car parked near a hydrant", "move") == ["Car parked near a red hydrant"]
    assert propose(engine, "A red and white bus next to a car", "move") == []  # would leave "A and white bus"
    assert propose(engine, "a red car next to a blue truck", "move") == []  # both modified: that is a swap


def test_move_never_states_what_a_sibling_or_the_corpus_says(propose):
    engine = BindingEngine()
    text = "a red car next to a truck"
    assert propose(engine, text, "move", siblings=("A car and a red fire truck.",)) == []
    stats = CorpusStats()
    for caption in ["a red truck"] * 3 + ["a blue truck"]:
        stats.observe(caption)
    assert propose(engine, text, "move", stats=stats) == []  # red is a truck's default


def test_young_and_elderly_are_said_only_of_people_and_animals(propose):
    engine = BindingEngine(alternatives=8)
    assert propose(engine, "A young woman eating breakfast.", "move") == []  # "young breakfast"
    clock = propose(engine, "There is an old clock on the wall.", "replace")
    assert clock and not any("young" in t or "elderly" in t for t in clock)  # "a new clock" is fine
    assert "A young man sitting on a bench." in propose(engine, "An old man sitting on a bench.", "replace")


def test_shift_drops_one_attribute_and_adds_another_elsewhere(propose):
    stats = CorpusStats()
    for caption in ["a blue truck", "a white truck", "a red truck", "a green truck", "a small truck"]:
        stats.observe(caption)
    out = propose(BindingEngine(alternatives=8), "A red car next to a truck.", "shift", stats=stats)
    assert out and all(t.startswith("A car next to a ") and t.endswith(" truck.") for t in out)
    added = {t.split()[-2] for t in out}
    assert "red" not in added and added <= {"blue", "white", "green", "small"}  # "red" there is a move
    said = propose(BindingEngine(alternatives=8), "A red car next to a truck.", "shift", stats=stats, siblings=("A blue truck.",))
    assert said and "blue" not in {t.split()[-2] for t in said}
    for person in ("A black man next to a truck.", "A black person next to a truck."):  # skin colour
        assert propose(BindingEngine(alternatives=8), person, "shift", stats=stats) == []
    assert propose(BindingEngine(alternatives=8), "A red and white bus next to a truck.", "shift", stats=stats) == []
    assert propose(BindingEngine(alternatives=8), "A cute dog next to a truck.", "shift", stats=stats)  # any plain adjective
    for kept in ("A plastic dinosaur next to a truck.", "A hot dog next to a truck."):  # no dinosaur, no dog without it
        assert propose(BindingEngine(alternatives=8), kept, "shift", stats=stats) == []


def test_states_become_their_opposites(propose):
    assert propose(BindingEngine(), "An empty plate on a table.", "replace") == ["A full plate on a table."]
    assert propose(BindingEngine(alternatives=5), "A busy street at night.", "replace") == ["A deserted street at night."]
    assert contrasts("wet") == ("dry",) and contrasts("messy") == ("neat", "tidy") and "clean" not in contrasts("tidy")
