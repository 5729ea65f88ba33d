"""Plausibility: compositions read off real parses, the shipped reference, and the rules it enforces."""

from __future__ import annotations

import pytest
from _fixtures_nlp import nlp, parse  # noqa: F401

from negatives.difficulty import combine, level_of, score_difficulty
from negatives.engines import DEFAULT_OPS, select_ops
from negatives.generate import Generator
from negatives.plausibility import PlausibilityModel, reference_model
from negatives.plausibility.compositions import CompositionCounts, compositions
from negatives.plausibility.ngram import KneserNey, TrigramCounts, words
from negatives.plausibility.reference import reference
from negatives.records import Distractor, Record


def texts(generator: Generator, caption: str, siblings: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """The kept distractors of one caption, by engine.op."""
    record = Record("r", "image-caption", {}, caption, meta={"siblings": list(siblings)} if siblings else {})
    out: dict[str, list[str]] = {}
    for d in generator([record])[0].distractors:
        out.setdefault(f"{d.engine}.{d.op}", []).append(d.text)
    return out


@pytest.fixture(scope="module")
def everything(nlp):
    """Every operator on, many candidates each: what survives is what plausibility lets through."""
    ops = select_ops("entity.*,binding.*,count.*,relation.*")
    return Generator(per_engine=20, nlp=nlp, ops=ops, alternatives=20, swaps=20)


def test_compositions_of_a_real_parse(parse):
    found = set(compositions(parse("A man sitting on a wooden bench holding two cups.")))
    assert {("subj", "sit", "man"), ("pobj", "on", "bench"), ("prep", "sit", "on"), ("pp", "sit|bench", "on"),
            ("amod", "bench", "wooden"), ("obj", "hold", "cup"), ("num", "cup", "n"), ("num", "man", "1")} <= found


def test_compositions_with_a_slot_rewritten(parse):
    parsed = parse("A dog sitting on a couch.")
    k = next(i for i, np in enumerate(parsed.nps) if np.head_lemma == "couch")
    assert set(compositions(parsed, {("np", k): "cloud"}, [("np", k)])) == {
        ("num", "cloud", "1"), ("pobj", "on", "cloud"), ("pp", "sit|cloud", "on"), ("with", "cloud", "dog")}


def test_shipped_reference_is_real_caption_counts():
    ref = reference()
    assert ref.source["captions"] > 10_000 and "COCO" in ref.source["name"]
    assert ref.compositions[("amod", "dog", "brown")] > 5 and ref.compositions[("amod", "zoo", "pink")] == 0
    assert ref.compositions[("num", "dog", "n")] > 10 and ref.compositions[("num", "lake", "n")] == 0


def test_trigram_model_prefers_a_caption_to_its_scramble():
    counts = TrigramCounts()
    for caption in ["a dog sitting on a couch", "a cat sitting on a couch", "a dog lying on a bed"] * 3:
        counts.observe(caption)
    lm = KneserNey(counts)
    assert lm.logprob("a cat lying on a couch") > lm.logprob("a couch lying on a cat")
    assert lm.logprob("a dog sitting on a couch") > lm.logprob("a dog sitting on a couch couch")


def test_unattested_compositions_make_a_candidate_implausible():
    model = reference_model()
    assert model.score("Three boats on a lake.", "Three boats on two lakes.", [("num", "lake", "n")]).value == 0
    assert model.score("A red ball.", "A pink zoo.", [("amod", "zoo", "pink")]).value == 0  # "zoo": too rare a noun
    kept = model.score("A red car parked on the street.", "A blue car parked on the street.", [("amod", "car", "blue")])
    assert kept.value > 0.5 and not kept.unattested
    odd = model.score("A man sitting on a bench.", "A man sitting in the air.", [("pp", "sit|air", "in")])
    assert odd.unattested == ("pp sit|air in",)


def test_a_replacement_must_have_been_seen_with_the_other_things():
    model = reference_model()
    assert model.score("A bathroom sink and a mirror.", "A bathroom sink and a computer.",
                       [("with", "computer", "sink")]).unattested == ("with computer sink",)
    assert not model.score("A bathroom sink and a mirror.", "A bathroom sink and a toilet.", [("with", "sink", "toilet")]).unattested
    assert not model.score("A man and a dog.", "A man and a llama.", [("with", "llama", "man")]).unattested  # people: anything
    odd = model.score("A skier on a ski slope.", "A tennis player on a ski slope.", [("with", "player", "slope")])
    assert odd.unattested == ("with player slope",)  # a skier says where he is


def test_a_new_word_no_one_writes_is_refused():
    model = reference_model()
    bad = model.score("A dog sitting on a couch.", "A dog stting on a couch.", [])
    assert bad.unattested == ("word stting",) and bad.value == 0
    assert not model.score("Chopping vegetables with a knife.", "Chopping carrots with a knife.", []).unattested


def test_a_little_boy_stays_a_child(everything):
    out = texts(everything, "A little boy sitting on a couch with a plate of food.").get("entity.replace", [])
    assert "A little girl sitting on a couch with a plate of food." in out
    assert not any("woman" in t or " man " in t for t in out)


def test_three_lakes_and_two_bathrooms_are_refused(everything):
    assert not any("lakes" in t for ts in texts(everything, "A small boat on a lake.").values() for t in ts)
    assert not any("bathrooms" in t for ts in texts(everything, "A white toilet in a bathroom.").values() for t in ts)
    assert "Two dogs sitting on a couch." in texts(everything, "A dog sitting on a couch.").get("count.multiply", [])


def test_absurd_swaps_are_refused(everything):
    out = texts(everything, "An old airplane is flying through the sky.")
    assert not any("sky is flying" in t.lower() for ts in out.values() for t in ts)
    out = texts(everything, "A man riding a motorcycle in overcast weather.")
    assert not any("riding a weather" in t for ts in out.values() for t in ts)


def test_an_attested_attribute_is_kept_and_an_unattested_one_refused(everything):
    out = texts(everything, "A red car parked on the street.").get("binding.replace", [])
    assert "A blue car parked on the street." in out
    assert "A turquoise car parked on the street." not in out  # never written of a car


def test_a_composition_a_sibling_states_is_never_a_distractor(everything):
    alone = texts(everything, "A man sitting on a bench.").get("relation.verb", [])
    assert "A man standing on a bench." in alone
    siblings = ("A man is standing on a park bench.",)
    assert "A man standing on a bench." not in texts(everything, "A man sitting on a bench.", siblings).get("relation.verb", [])


def test_every_kept_distractor_records_its_plausibility(everything):
    for ts in texts(everything, "Two dogs are playing with a red ball in the park.").values():
        assert ts
    record = Record("r", "image-caption", {}, "Two dogs are playing with a red ball in the park.")
    for d in everything([record])[0].distractors:
        signals = d.meta["signals"]
        assert signals["plausibility"] >= 0.5 and "fluency" in signals and "lm_delta" in signals


def test_an_implausible_distractor_never_reaches_the_top_levels():
    for closeness_inputs in [(1.0, 0.0, True), (0.95, 0.1, False), (0.8, 0.2, False)]:
        assert level_of(combine(*closeness_inputs, plausibility=0.0)) <= 3
        assert level_of(combine(*closeness_inputs, plausibility=0.3)) <= 3
    assert level_of(combine(1.0, 0.0, True, plausibility=1.0)) == 5


def test_difficulty_scores_a_scrambled_caption_low():
    positive = "A man is riding a brown horse on the beach."
    scrambled = Distractor("A horse is riding a brown man on the beach.", "imported", "swap")
    fine = Distractor("A man is riding a brown horse on the grass.", "imported", "replace")
    record = Record("r", "text", {}, positive, [scrambled, fine])
    score_difficulty([record], plausibility=PlausibilityModel.build())
    assert scrambled.meta["signals"]["plausibility"] < fine.meta["signals"]["plausibility"]
    assert scrambled.level <= 3 < fine.level


def test_ops_switches():
    assert "relation.negation" not in DEFAULT_OPS and "entity.replace" in DEFAULT_OPS
    assert select_ops(None) == DEFAULT_OPS
    assert select_ops("+relation.negation") == DEFAULT_OPS | {"relation.negation"}
    assert select_ops("-entity.replace,+count.plural") == (DEFAULT_OPS - {"entity.replace"}) | {"count.plural"}
    assert select_ops("count.*") == {"count.change", "count.multiply", "count.plural", "count.singular"}
    with pytest.raises(ValueError, match="unknown operator"):
        select_ops("entity.teleport")
    with pytest.raises(ValueError, match="not both"):
        select_ops("count.change,-entity.replace")


def test_generator_keeps_only_the_operators_asked_for(nlp):
    only = Generator(per_engine=5, nlp=nlp, ops={"count.multiply"})
    record = Record("r", "image-caption", {}, "A dog is sitting on a red couch.")
    assert {(d.engine, d.op) for d in only([record])[0].distractors} == {("count", "multiply")}


def test_composition_counts_round_trip():
    counts = CompositionCounts()
    counts.update([("amod", "dog", "red"), ("amod", "dog", "red"), ("num", "dog", "n")])
    again = CompositionCounts.from_rows(counts.to_rows())
    assert again[("amod", "dog", "red")] == 2 and again.head_count("amod", "dog") == 2


def test_a_replacement_fits_the_nouns_around_it(everything):
    """Trains are written with tracks (195 times in 1,067 mentions), buses once in 1,617: no bus on the tracks."""
    model = PlausibilityModel.build()
    bus = [("with", "bus", "track")]
    train = [("with", "track", "train")]
    assert model.unfitting(bus, train) == ("bus beside track",)
    assert model.unfitting(train, bus) == ()  # the other way round the old pair is too rare to say
    out = texts(everything, "An orange train is going down the tracks.").get("entity.replace", [])
    assert not any(" bus " in t or " car " in t for t in out)


def test_a_compound_is_its_own_noun(parse, everything):
    """Teddy bears sit on toilets; polar bears are never written there, so a cat there is no polar bear."""
    from negatives.plausibility.compositions import noun_key

    p = parse("A teddy bear and a polar bear near a skate board and a white house.")
    assert [noun_key(np) for np in p.nps] == ["teddy bear", "polar bear", "skateboard", "house"]
    assert ("amod", "polar bear", "polar") not in compositions(p)  # the adjective is part of the noun
    model = reference_model()
    assert model.unattested([("with", "polar bear", "toilet")]) == ("with polar bear toilet",)
    for caption in ("A small cat sits perched on the back of a toilet.", "A cat laying on top of a laptop computer."):
        assert not any("polar" in t or "panda" in t for t in texts(everything, caption).get("entity.replace", []))


def test_kin_do_not_speak_for_a_common_noun_with_a_verb():
    """Bats and gloves are held, mounds never (30 compositions of "mound"): no girl holding a mound.
    Kin still speak for an attribute: blue trucks make a blue car plausible."""
    model = reference_model()
    assert model.unattested([("obj", "hold", "mound")]) == ("obj hold mound",)
    assert model.unattested([("obj", "ride", "cutting board")]) == ("obj ride cutting board",)
    assert model.unattested([("amod", "car", "blue")]) == ()


def test_real_word_typos_are_found():
    model = reference_model()
    assert model.misspelt(words("A white stop sign in font of a plant.")) == ["font (front?)"]
    assert model.misspelt(words("A plane sitting on a tarmac with a lots of buses.")) == ["lots (lot?)"]
    assert model.misspelt(words("A cat siting on a bench.")) != []
    for fine in ("A man riding a horse on a beach.", "A trash can next to a toilet.", "A red bus in front of a building."):
        assert model.misspelt(words(fine)) == [], fine


def test_a_caption_with_a_typo_is_never_a_corpus_candidate():
    from negatives.graded import corpus_candidates

    records = [Record(f"r{i}", "image-caption", {}, t) for i, t in enumerate(
        ["A dog in font of a house.", "A cat on a red sofa.", "A man riding a horse.", "Two people on a beach."]
    )]
    found, stats = corpus_candidates(records, ["random"], seed=0, per_item=3)
    texts_found = {d.text for ds in found.values() for d in ds}
    assert "A dog in font of a house." not in texts_found and texts_found
    assert stats["misspelt"]["random"] >= 1
    assert any(n["check"] == "misspelt" for r in records for n in r.dropped)


def test_a_typo_is_found_though_the_caption_itself_is_counted():
    """A run's own captions are part of the counts, so its typo was written once: still a typo."""
    model = reference_model()
    assert model.misspelt(words("Two zebras are stranding next to each other by a fence.")) == ["stranding (standing?)"]


def test_a_replacement_takes_the_count_its_slot_gives():
    """Skis are written as a pair ("a ski" 2 times in hundreds of mentions): no boy riding "a ski"."""
    model = reference_model()
    assert model.unfitting([("num", "ski", "1")], [("num", "skateboard", "1")]) == ("a ski",)
    assert model.unfitting([("num", "cat", "1")], [("num", "dog", "1")]) == ()
