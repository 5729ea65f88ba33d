"""The WordNet index and the lexical lookups built on it, against NLTK's reader of the real WordNet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from negatives import cache, models, wordnet_index
from negatives.lexical import in_classes, main_sense_in, noun_lexname, related, sister_terms
from negatives.lexicon import CROSS_CLASSES, JUVENILE_CLASSES
from negatives.wordnet_index import WordNetIndex

LOOKUPS = [
    ("dogs", "n"), ("geese", "n"), ("mice", "n"), ("axes", "n"), ("glasses", "n"), ("buses", "n"),
    ("hot_dog", "n"), ("Table", "n"), ("xyzzy", "n"), ("ran", "v"), ("running", "v"), ("rides", "v"),
    ("sat", "v"), ("lying", "v"), ("does", "v"),
]


@pytest.fixture(scope="module")
def reader() -> Any:
    return models.wordnet()


@pytest.fixture(scope="module")
def tables(reader: Any) -> dict[str, Any]:
    return wordnet_index.build(reader)


def _nltk(s: Any) -> tuple[str, tuple[str, ...]]:
    return s.lexname(), tuple(s.lemma_names())


def _ours(index: WordNetIndex, s: int) -> tuple[str, tuple[str, ...]]:
    return index.lexname(s), index.lemma_names(s)


def test_index_answers_as_nltk(reader: Any, tables: dict[str, Any]) -> None:
    index = WordNetIndex(tables)
    for lemma, pos in LOOKUPS:
        theirs, ours = reader.synsets(lemma, pos), index.synsets(lemma, pos)
        assert [_nltk(s) for s in theirs] == [_ours(index, s) for s in ours], lemma
        for s, i in zip(theirs, ours):
            assert index.synset(s.name()) == i
            assert index.lemma_counts(i) == tuple(lem.count() for lem in s.lemmas())
            assert index.frame_ids(i) == (tuple(tuple(lem.frame_ids()) for lem in s.lemmas()) if pos == "v" else ())
            for relation in ("hypernyms", "instance_hypernyms", "hyponyms"):
                assert sorted(_ours(index, r) for r in getattr(index, relation)(i)) == sorted(
                    _nltk(r) for r in getattr(s, relation)()
                ), (lemma, relation)
            assert index.gloss(i) == (s.definition() if pos == "v" else "")
            closure = s.closure(lambda x: x.hypernyms() + x.instance_hypernyms())
            assert sorted(_ours(index, r) for r in index.hypernym_closure(i)) == sorted(map(_nltk, closure))
    assert index.synsets("xyzzy", "n") == ()


def test_relations_are_sorted_whatever_the_hash_seed(tables: dict[str, Any]) -> None:
    for relation in ("hypernyms", "instance_hypernyms", "hyponyms"):
        assert all(list(r) == sorted(r) for r in tables[relation])


def test_index_round_trips_through_the_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tables: dict[str, Any]
) -> None:
    source = tmp_path / "data.noun"
    source.write_text("WordNet")
    signature = wordnet_index._signature([str(source)])
    header = {"version": "3.0", "path": str(tmp_path), "nltk": "x", "signature": signature}
    monkeypatch.setenv("NEGATIVES_CACHE", str(tmp_path / "cache"))
    wordnet_index._write(wordnet_index.index_path(), header, tables)
    assert wordnet_index._read(wordnet_index.index_path()) == (header, tables)

    def no_build(reader: Any) -> dict[str, Any]:
        raise AssertionError("a cached index is loaded, not built")

    monkeypatch.setattr(wordnet_index, "build", no_build)
    monkeypatch.setattr(cache, "_loaded", {})
    wordnet_index.load.cache_clear()
    try:
        index = wordnet_index.load()
        dog = index.synsets("dogs", "n")[0]
        assert _ours(index, dog) == ("noun.animal", ("dog", "domestic_dog", "Canis_familiaris"))
        assert cache.describe()["wordnet"]["wordnet"] == {"version": "3.0", "path": str(tmp_path), "nltk": "x"}
    finally:
        wordnet_index.load.cache_clear()
    source.write_text("WordNet 3.1")  # a changed source file makes the cached index stale
    assert wordnet_index._read(wordnet_index.index_path()) is None
    assert list((tmp_path / "cache" / "wordnet").iterdir()) == [wordnet_index.index_path()]  # no temporary left


class _Payload:
    def __reduce__(self) -> tuple[Any, tuple[()]]:
        return (Path("/never-created").mkdir, ())  # what a planted pickle would run on load


def test_a_cache_file_that_would_run_code_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import pickle

    monkeypatch.setenv("NEGATIVES_CACHE", str(tmp_path))
    path = wordnet_index.index_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(pickle.dumps(_Payload()))
    assert wordnet_index._read(path) is None and not Path("/never-created").exists()


def test_known_sister_terms() -> None:
    assert {"fox", "wolf"} <= set(sister_terms("dog", "n")) and "puppy" not in sister_terms("dog", "n")
    assert {"truck", "bike"} <= set(sister_terms("car", "n"))
    assert "drink" in sister_terms("eat", "v", True) and "lie" in sister_terms("sit", "v", False)
    assert related("dog", "puppy", "n") and related("dog", "animal", "n") and not related("dog", "cat", "n")
    # WordNet files "sport" ("wear or display in an ostentatious manner") beside "wear": a manner of it, never a sister
    assert "sport" not in sister_terms("wear", "v", True) and "possess" in sister_terms("wear", "v", True)


def test_known_lexnames_and_classes() -> None:
    assert noun_lexname("table") == "noun.artifact"  # furniture before data
    assert noun_lexname("dogs") == "noun.animal" and noun_lexname("pizza") == "noun.food"
    assert noun_lexname("person") == "noun.person" and noun_lexname("people") == "noun.person"  # WordNet: noun.Tops, noun.group
    assert noun_lexname("animal") == "noun.animal" and noun_lexname("xyzzy") is None
    assert in_classes("puppy", JUVENILE_CLASSES) and not in_classes("cup", JUVENILE_CLASSES)
    assert in_classes("doctor", CROSS_CLASSES) and not in_classes("kitten", CROSS_CLASSES)
    assert in_classes("cat", ("vehicle.n.01",)) and not main_sense_in("cat", ("vehicle.n.01",))  # a tracked vehicle, rarely
    assert main_sense_in("truck", ("vehicle.n.01",)) and not main_sense_in("xyzzy", ("vehicle.n.01",))
