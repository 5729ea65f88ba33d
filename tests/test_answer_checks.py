"""A text task's distractors judged against its question: the kind of answer asked for, and no word
brought in from the question (the lures and the non-answers the issue's 104 items showed)."""

from __future__ import annotations

from collections import Counter

import pytest

from negatives.answer_checks import (
    CHECKS, QuestionChecked, answer_form, answer_type, asked, check_candidates, checked, question_copy, same_answer,
)
from negatives.records import Distractor, Record


@pytest.mark.parametrize(
    ("question", "kind"),
    [("How many legs does a spider have?", "number"), ("What colour is a ripe banana?", "colour"),
     ("When did the war end?", "time"), ("Where do penguins live?", "place"), ("Who painted the Mona Lisa?", "person"),
     ("What do bees make?", None)],
)
def test_the_question_says_what_kind_of_answer_it_wants(question: str, kind: str | None) -> None:
    assert asked(question) == kind


@pytest.mark.parametrize(
    ("question", "positive", "distractor", "kept"),
    [
        ("How many legs does a spider have?", "Eight legs.", "Ten legs.", True),
        ("How many legs does a spider have?", "Eight legs.", "Long legs.", False),
        ("How many legs does a spider have?", "Eight legs.", "100 legs.", True),
        ("What colour is a ripe banana?", "Yellow.", "Purple.", True),
        ("What colour is a ripe banana?", "Yellow.", "Soft.", False),
        ("Where do penguins live?", "In Antarctica.", "In the Sahara.", True),
        ("Where do penguins live?", "In Antarctica.", "In the morning.", False),
        ("Where do penguins live?", "On the ice.", "In the desert.", True),  # a place noun, no name
        ("Who painted the Mona Lisa?", "Leonardo da Vinci.", "Michelangelo.", True),
        ("Who painted the Mona Lisa?", "An Italian painter.", "A wooden table.", False),
        ("Who wrote Hamlet?", "William Shakespeare wrote Hamlet.", "Charles Dickens wrote Hamlet.", True),
        ("Who wrote Hamlet?", "William Shakespeare wrote Hamlet.", "Penguins live in Antarctica.", False),  # a name, of a place
        ("When did the war end?", "In 1945.", "In 1918.", True),
        ("When did the war end?", "In 1945.", "In Paris.", False),
        ("What do bees make?", "Honey.", "Milk.", True),  # no kind asked: anything goes
        ("How many legs does a spider have?", "A spider has many legs.", "A spider has long legs.", True),  # no number to keep
        # what qa100 generated before the detail rules, and what it should keep
        ("How many legs does a spider have?", "Eight legs.", "32 teeth.", False),  # another unit
        ("How many legs does a spider have?", "Eight legs.", "100 degrees legs.", False),
        ("How many players are on a football team on the pitch?", "Eleven players.", "Eleven athletes.", False),  # the same number
        ("Who flies a plane?", "A pilot.", "Two pilots.", False),  # no number asked
        ("Who flies a plane?", "A pilot.", "Neil Armstrong.", False),  # a name for a role
        ("Where is the Great Barrier Reef?", "Off the coast of Australia.", "Off the coast of Paris.", False),  # a city for a country
        ("Where is the Eiffel Tower?", "In Paris.", "In Italy.", False),
        ("Where is the Eiffel Tower?", "In Paris.", "In London.", True),
        ("Where do penguins live?", "In Antarctica.", "In the Arctic.", True),  # a continent and a region: both land
        ("Where do penguins live?", "In Antarctica.", "Through their gills.", False),
        ("Where do bees store their honey?", "In the hive.", "In Antarctica.", False),  # a name for a thing
        ("When is Christmas Day?", "On the 25th of December.", "In the morning.", False),  # another grain of time
        ("When did Columbus first reach the Americas?", "In 1492.", "In July.", False),
        ("When did humans first land on the Moon?", "In 1969.", "In Christmas Day.", False),
        ("When did Columbus first reach the Americas?", "In 1492.", "1989.", True),
        ("What colour is a ripe banana?", "Yellow.", "The blue whale.", False),  # a bare colour for a bare colour
        ("What colour is a flamingo?", "Pink.", "Red.", False),  # one shade, two names
        ("What colour is a flamingo?", "Pink.", "Blue.", True),
        ("What shape is a football?", "Round.", "Tennis.", False),
        ("What shape is a football?", "Round.", "Square.", True),
        ("What animal is known as the king of the jungle?", "The lion.", "The Nile.", False),  # no animal
        ("What animal is known as the king of the jungle?", "The lion.", "The tiger.", True),
        ("What is the largest ocean on Earth?", "The Pacific Ocean.", "Jupiter.", False),
        ("What is the capital of Japan?", "Tokyo.", "Rome.", True),  # "capital of" is a role: any city may be wrong
        ("Who was the first President of the United States?", "George Washington.", "Albert Einstein.", True),  # two names
        ("Where is Big Ben?", "In London.", "In the United States.", False),  # a country for a city
        ("Where is the Statue of Liberty?", "In New York.", "In the United States.", False),  # the city, not the state
        ("Where is the Statue of Liberty?", "In New York.", "In London.", True),
        ("Where is the Colosseum?", "In Rome.", "In Japan.", False),  # an island country for a city
        ("Where is Big Ben?", "In London.", "In Earth.", False),  # a planet is no city
        ("Where do penguins live?", "In Antarctica.", "In India.", True),
    ],
)
def test_a_distractor_gives_the_kind_and_detail_of_answer_the_positive_gives(question: str, positive: str, distractor: str, kept: bool) -> None:
    assert answer_type(question, positive, distractor) is kept


@pytest.mark.parametrize(
    ("question", "positive", "distractor", "kept"),
    [
        ("What is the capital of France?", "Paris.", "France.", False),
        ("What is the capital of France?", "Paris.", "Lyon.", True),
        ("How many legs does a spider have?", "Eight legs.", "Eight spiders.", False),
        ("How many legs does a spider have?", "A spider has eight legs.", "A spider has six legs.", True),  # the positive says spider too
        ("Where is the Eiffel Tower?", "In Paris.", "In the Eiffel district.", False),
    ],
)
def test_a_distractor_brings_in_no_word_of_the_question(question: str, positive: str, distractor: str, kept: bool) -> None:
    assert question_copy(question, positive, distractor) is kept


def record(question: str | None, positive: str, *wrong: tuple[str, str]) -> Record:
    anchor = {"text": question} if question else {}
    return Record("q", "text", anchor, positive, [Distractor(text, engine, "op") for text, engine in wrong])


def test_checked_distractors_say_so_and_random_ones_stay() -> None:
    removed: Counter[str] = Counter()
    r = record("What is the capital of France?", "Paris.", ("France.", "entity"), ("Lyon.", "entity"), ("France.", "random"))
    kept = checked(r, r.distractors, removed)
    assert [(d.text, d.engine) for d in kept] == [("Lyon.", "entity"), ("France.", "random")]
    assert kept[0].checks == dict.fromkeys(CHECKS, True) and removed == {"question_copy": 1}
    assert not kept[1].checks  # a random answer is never checked, so it claims no verdict
    bare = record(None, "Paris.", ("France.", "entity"))
    assert checked(bare, bare.distractors, removed) == bare.distractors and removed == {"question_copy": 1}  # no question


def test_the_generator_and_the_neighbours_are_checked() -> None:
    def generator(batch: list[Record]) -> list[Record]:
        return [record(r.anchor_text, r.positive, *((d.text, d.engine) for d in r.distractors), ("France.", "entity"), ("Marseille.", "entity")) for r in batch]

    generator.plausibility = "model"  # type: ignore[attr-defined]
    wrapped = QuestionChecked(generator)
    batch = [record("What is the capital of France?", "Paris.", ("Nice.", "imported"))]
    (out,) = wrapped(batch)
    assert [d.text for d in out.distractors] == ["Nice.", "Marseille."] and wrapped.plausibility == "model"
    assert wrapped.to_dict() == {"checks": list(CHECKS), "removed": {"question_copy": 1}}
    parent = QuestionChecked(generator)  # a worker's removals add up in the parent
    parent.add_counts(wrapped.counts())
    assert parent.removed == wrapped.removed and (wrapped.reset_counts() or not wrapped.removed)
    mined = {"q": [Distractor("Paris.", "neighbours", "retrieve"), Distractor("Six legs.", "neighbours", "retrieve")]}
    removed = check_candidates([record("How many legs does a spider have?", "Eight legs.")], mined)
    assert [d.text for d in mined["q"]] == ["Six legs."] and removed == {"answer_type": 1}  # another item's answer of another kind


@pytest.mark.parametrize(
    ("question", "positive", "distractor", "kept"),
    [
        ("What do cows drink?", "Water.", "To keep them clean and healthy.", False),
        ("What does a baker do?", "He bakes bread and cakes.", "To find warmer weather and food.", False),
        ("What is the capital of France?", "Paris.", "In Paris.", False),
        ("Why do people carry umbrellas?", "To keep dry in the rain.", "To protect our skin from the sun.", True),
        ("When did Columbus first reach the Americas?", "In 1492.", "1989.", True),  # a phrase is a noun when a time is asked
        ("Where would you go to borrow a book for free?", "To the library.", "At the post office.", True),
    ],
)
def test_a_distractor_has_the_form_of_the_positive(question: str, positive: str, distractor: str, kept: bool) -> None:
    assert answer_form(question, positive, distractor) is kept


@pytest.mark.parametrize(
    ("positive", "distractor", "kept"),
    [
        ("In Paris.", "Paris.", False),
        ("He bakes bread and cakes.", "She bakes bread and cakes.", False),
        ("Twenty-four hours.", "24 hours.", False),  # one number, two spellings
        ("The blue whale.", "The whale.", False),
        ("A pilot.", "Two pilots.", True),  # another number is another answer (answer_type refuses it)
        ("Eight legs.", "Ten legs.", True),
    ],
)
def test_a_distractor_that_restates_the_positive_is_no_wrong_answer(positive: str, distractor: str, kept: bool) -> None:
    assert same_answer("Any question?", positive, distractor) is kept
