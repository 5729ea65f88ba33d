"""The artifact audit: each surface tell and each blind scorer on constructed sets whose answer is known."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from negatives.audit import audit, text_pairs
from negatives.audit.tells import changed_words, pair_tells, summarize
from negatives.audit.verdict import blind_accuracy, outcomes, verdict, write_audit
from negatives.cli import app
from negatives.errors import OutputExists
from negatives.records import Distractor, Edit, Record
from probes.scorers.blind import LengthScorer, NgramScorer

CAPTIONS = [
    "A dog sits on a red couch.",
    "Two men ride bikes down a busy street.",
    "A woman holds an umbrella in the rain.",
    "A cat sleeps next to a laptop on a desk.",
    "A plate of food with broccoli and rice.",
    "A train stops at a station near the mountains.",
    "A boy throws a frisbee in the park.",
    "A bowl of fruit sits on a wooden table.",
    "Three giraffes stand in a grassy field.",
    "A man surfs a large wave in the ocean.",
    "A bus parked on the side of the road.",
    "A little girl eats a slice of pizza.",
]


def record(i: int, positive: str, distractors: list[str], engine: str = "e", level: int | None = None, **meta) -> Record:
    return Record(
        id=str(i),
        task="image-caption",
        anchor={"image": f"{i}.jpg"},
        positive=positive,
        distractors=[Distractor(text=t, engine=engine, op="op", level=level) for t in distractors],
        meta=meta,
    )


def one_each(make) -> list[Record]:
    """One record per caption with the distractor ``make(caption)``."""
    return [record(i, c, [make(c)]) for i, c in enumerate(CAPTIONS)]


def swap(caption: str) -> str:
    """Swap the second and last words: the same bag of words, the same length."""
    w = caption.rstrip(".").split()
    w[1], w[-1] = w[-1], w[1]
    return " ".join(w) + "."


def only_group(report: dict) -> dict:
    assert len(report["groups"]) == 1
    return report["groups"][0]


# --- surface tells ----------------------------------------------------------------------------


def test_longer_distractors_are_flagged_by_length_tells_and_blind_length() -> None:
    g = only_group(audit(one_each(lambda c: c.replace("A ", "A very large ", 1).replace("Two", "Two tall").replace("Three", "Three old")), {"length": LengthScorer()}))
    assert g["distractor_longer"] == 1.0
    assert g["tells"]["length_tokens"]["split"] == 1.0 and g["tells"]["length_chars"]["split"] == 1.0
    assert g["length_difference"]["tokens"]["mean"] > 0
    assert g["blind"]["length"]["accuracy"] == 1.0
    assert g["verdict"]["flagged"]
    assert any("length" in r for r in g["verdict"]["reasons"])


def test_pure_swaps_have_the_same_bag_of_words_and_leave_length_at_chance() -> None:
    g = only_group(audit(one_each(swap), {"length": LengthScorer()}))
    assert g["same_bag_of_words"] == 1.0
    assert g["distractor_longer"] == 0.0
    assert g["blind"]["length"]["accuracy"] == 0.5  # every pair ties: a blind pick is a coin flip
    assert g["blind"]["length"]["ties"] == len(CAPTIONS) and g["blind"]["length"]["strict"] == 0.0
    assert not g["verdict"]["flagged"], g["verdict"]["reasons"]


@pytest.mark.parametrize(
    ("tell", "make"),
    [
        ("initial_capital", lambda c: c[0].lower() + swap(c)[1:]),
        ("all_caps_words", lambda c: swap(c).replace(swap(c).split()[1], swap(c).split()[1].upper(), 1)),
        ("final_punctuation", lambda c: swap(c).rstrip(".")),
        ("trailing_whitespace", lambda c: swap(c) + " "),
        ("leading_whitespace", lambda c: " " + swap(c)),
        ("inner_whitespace", lambda c: swap(c).replace(" ", "  ", 1)),
    ],
)
def test_each_formatting_tell_splits_when_only_distractors_carry_it(tell: str, make) -> None:
    g = only_group(audit(one_each(make)))
    assert g["tells"][tell]["split"] == 1.0
    assert g["tells"][tell]["distractor_higher"] + g["tells"][tell]["distractor_lower"] == 1.0
    assert any(tell in r for r in g["verdict"]["reasons"])
    others = {k: v["split"] for k, v in g["tells"].items() if k not in (tell, "length_chars", "changed_word_rarity")}
    assert max(others.values()) == 0.0, others


def test_rare_inserted_words_split_by_rarity() -> None:
    rare = {"dog": "okapi", "men": "monks", "woman": "sommelier", "cat": "ocelot", "plate": "tureen", "train": "funicular",
            "boy": "squire", "bowl": "tureen", "giraffes": "okapis", "man": "monk", "bus": "charabanc", "girl": "damsel"}
    recs = [record(i, c, [c.replace(old, new, 1)]) for i, (c, (old, new)) in enumerate(zip(CAPTIONS, rare.items()))]
    g = only_group(audit(recs))
    rarity = g["tells"]["changed_word_rarity"]
    assert rarity["compared"] == len(recs)
    assert rarity["distractor_higher"] == 1.0  # the inserted word is always the rarer one
    assert rarity["mean_zipf_inserted"] < rarity["mean_zipf_removed"]
    assert g["verdict"]["flagged"]


def test_changed_words_use_the_edit_span_when_present() -> None:
    positive = "a red car next to a blue truck"
    distractor = "a blue car next to a red truck"
    assert changed_words(positive, distractor, None) == ([], [])  # a swap changes no word counts
    edit = Edit((2, 5), "red", "big")
    assert changed_words(positive, "a big car next to a blue truck", edit) == (["red"], ["big"])
    t = pair_tells(positive, distractor)
    assert t.same_bag and t.removed_zipf is None and t.inserted_zipf is None


def test_position_balance_from_the_export_order() -> None:
    first = [record(i, c, [swap(c)], options=[c, swap(c)]) for i, c in enumerate(CAPTIONS)]
    g = only_group(audit(first))
    assert g["position"] == {"n": len(CAPTIONS), "positive_first": 1.0, "split": 1.0}
    assert any("position" in r for r in g["verdict"]["reasons"])
    alternating = [record(i, c, [swap(c)], options=[c, swap(c)] if i % 2 else [swap(c), c]) for i, c in enumerate(CAPTIONS)]
    assert only_group(audit(alternating))["position"]["positive_first"] == 0.5
    assert only_group(audit(one_each(swap)))["position"] is None  # no export order: n/a


def test_summary_of_no_pairs_is_empty_not_an_error() -> None:
    s = summarize([])
    assert s["pairs"] == 0 and s["length_difference"]["tokens"]["mean"] is None


# --- blind panel and verdict ------------------------------------------------------------------


def test_outcomes_count_ties_half_and_accuracy_has_an_interval() -> None:
    assert outcomes(np.array([2.0, 0.0, -1.0])).tolist() == [1.0, 0.5, 0.0]
    acc = blind_accuracy(np.array([1.0, 1.0, 1.0, 0.0]))
    assert acc["accuracy"] == 0.875 and acc["ties"] == 1 and acc["strict"] == 0.75
    assert acc["lo"] < 0.875 < acc["hi"]
    assert blind_accuracy(np.zeros(0))["accuracy"] is None


NO_TELL = {"tells": {"length_tokens": {"split": 0.1, "distractor_higher": 0.1, "distractor_lower": 0.0}}, "position": None}


@pytest.mark.parametrize(("accuracy", "flagged"), [(0.65, True), (0.35, True), (0.55, False), (0.45, False), (0.6, False)])
def test_verdict_threshold_is_sixty_percent_either_side(accuracy: float, flagged: bool) -> None:
    n = 1000  # enough pairs for any effect past the threshold to be evidence
    judged = verdict(NO_TELL, {"x": {"accuracy": accuracy, "n": n}}, n)
    assert judged["flagged"] is flagged
    if flagged:
        (cause,) = judged["causes"]
        assert cause["direction"] == ("positive" if accuracy > 0.5 else "distractor") and cause["lo"] < accuracy < cause["hi"]


@pytest.mark.parametrize(("wins", "n", "flagged"), [(1, 1, False), (4, 4, False), (9, 9, False), (10, 10, True), (14, 20, False), (17, 20, True)])
def test_a_flag_needs_enough_pairs_and_an_interval_clear_of_chance(wins: int, n: int, flagged: bool) -> None:
    judged = verdict(NO_TELL, {"x": blind_accuracy(np.array([1.0] * wins + [-1.0] * (n - wins)))}, n)
    assert judged["flagged"] is flagged and judged["too_few"] is (n < 10)


def test_a_flagged_group_shows_three_pairs_the_remedy_and_what_its_tell_means(tmp_path) -> None:
    longer = [record(i, c, [c.replace(" ", " big ", 1)]) for i, c in enumerate(CAPTIONS * 2)]
    for r in longer[:12]:  # half the pairs grow the caption (length picks the positive), half swap words (a tie)
        r.distractors[0].op = "grow"
    for r in longer[12:]:
        r.distractors[0].op, r.distractors[0].text = "swap", swap(r.positive)
    g = only_group(audit(longer, {"length": LengthScorer()}))
    v = g["verdict"]
    assert v["flagged"] and v["causes"][0] == {**v["causes"][0], "kind": "blind", "name": "length", "direction": "positive"}
    assert [e["op"] for e in v["examples"]] == ["grow"] * 3
    assert all(len(e["distractor"]) > len(e["positive"]) for e in v["examples"])
    assert "--debias" in v["remedy"] and "--ops -e.grow" in v["remedy"]  # the operator that makes them longer
    write_audit(audit(longer, {"length": LengthScorer()}), tmp_path)
    md = (tmp_path / "audit.md").read_text()
    assert "remedy: regenerate with `negatives generate --debias`" in md and "(grow) " in md
    assert "- `length_chars`: the number of characters; higher: the distractor is longer; lower: the distractor is shorter" in md


def scramble(caption: str) -> str:
    """The positive's words reversed: the same bag of words, an implausible word sequence."""
    return " ".join(reversed(caption.rstrip(".").lower().split())).capitalize() + "."


def test_blind_ngram_prefers_fluent_positives_over_scrambled_ones() -> None:
    g = only_group(audit(one_each(scramble), {"ngram": NgramScorer(), "length": LengthScorer()}))
    assert g["same_bag_of_words"] == 1.0
    assert g["blind"]["ngram"]["accuracy"] > 0.6
    assert g["blind"]["length"]["accuracy"] == 0.5
    assert any("ngram" in r for r in g["verdict"]["reasons"])


@pytest.mark.slow
def test_the_blind_panel_flags_scrambled_word_order_but_length_stays_at_chance() -> None:
    from probes.scorers.blind import blind_panel

    recs = one_each(scramble)
    g = only_group(audit(recs, blind_panel(recs)))
    assert g["blind"]["length"]["accuracy"] == 0.5
    for name in ("ngram", "lm-prior-sum", "lm-prior-mean"):
        assert g["blind"][name]["accuracy"] > 0.6, name
    assert g["verdict"]["flagged"]


def test_groups_by_engine_and_level_and_skips_image_distractors() -> None:
    recs = [record(i, c, [swap(c)], engine="a", level=1 + i % 2) for i, c in enumerate(CAPTIONS)]
    recs[0].distractors.append(Distractor(text=None, engine="img", op="op", image="x.jpg"))
    report = audit(recs)
    assert [(g["engine"], g["level"]) for g in report["groups"]] == [("a", 1), ("a", 2)]
    assert report["pairs"] == len(CAPTIONS) == len(text_pairs(recs))
    assert [g["engine"] for g in audit(recs, by_level=False)["groups"]] == ["a"]


# --- files and command ------------------------------------------------------------------------


def test_write_audit_is_atomic_and_refuses_to_overwrite(tmp_path) -> None:
    report = audit(one_each(swap), {"length": LengthScorer()})
    json_path, md_path = write_audit(report, tmp_path / "out")
    assert json.loads(json_path.read_text())["groups"][0]["same_bag_of_words"] == 1.0
    assert "| e | - |" in md_path.read_text()
    with pytest.raises(OutputExists):
        write_audit(report, tmp_path / "out")
    write_audit(report, tmp_path / "out", overwrite=True)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["audit.json", "audit.md"]


def test_audit_command_writes_the_report(tmp_path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text("".join(r.to_json() + "\n" for r in one_each(lambda c: c.replace("A ", "A big ", 1))), encoding="utf-8")
    out = tmp_path / "audit"
    result = CliRunner().invoke(app, ["audit", str(path), "--out", str(out), "-s", "blind-length", "-s", "blind-ngram"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "audit.json").read_text())
    assert report["scorers"] == ["blind-length", "blind-ngram"]
    assert report["flagged"] == 1
    assert "FLAGGED" in (out / "audit.md").read_text()
    assert (out / "audit.json.manifest.json").exists()
    again = CliRunner().invoke(app, ["audit", str(path), "--out", str(out), "-s", "blind-length"])
    assert again.exit_code != 0
