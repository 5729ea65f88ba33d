"""Word-level knowledge the engines share, cached per word: inflection, articles, word
frequency and WordNet sister terms.

Every result is a pure function of its arguments and cached, so a corpus pays for each distinct
lemma once. Lists derived from WordNet or sets are sorted, so choices made from them with a
seeded RNG do not depend on ``PYTHONHASHSEED``. WordNet is read through the compact index of
``negatives.wordnet_index`` (synsets are ints), which answers as NLTK's reader does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from negatives import wordnet_index
from negatives.lexicon import (
    CONSONANT_SOUND_VOWELS,
    GENERAL_LIVING_NOUNS,
    IRREGULAR_PLURALS,
    PHYSICAL_LEXNAMES,
    SCENE_CLASSES,
    SCENE_LEXNAMES,
    TRANSITIVE_FRAMES,
    VOWEL_SOUND_CONSONANTS,
)

_INTRANSITIVE_FRAMES = frozenset({1, 2})
_SINGULARS = {v: k for k, v in IRREGULAR_PLURALS.items()}


@lru_cache(maxsize=None)
def zipf(word: str) -> float:
    """Zipf frequency of ``word`` (or a multiword phrase) in English, 0 when unknown."""
    import wordfreq

    return wordfreq.zipf_frequency(word, "en")


@lru_cache(maxsize=None)
def article_for(word: str) -> str:
    """The indefinite article ("a" or "an") that goes before ``word``."""
    lower = word.lower()
    if lower[:1].isdigit():
        return "an" if lower.startswith("8") or lower in ("11", "18") else "a"
    if lower.startswith(VOWEL_SOUND_CONSONANTS):
        return "an"
    if lower.startswith(CONSONANT_SOUND_VOWELS):
        return "a"
    if len(word) > 1 and word.isupper():  # acronyms: "an MRI", "a TV"
        return "an" if word[0] in "AEFHILMNORSX" else "a"
    return "an" if lower[:1] in ("a", "e", "i", "o", "u") else "a"


def match_case(new: str, old: str) -> str:
    """``new`` with the case of ``old``'s first letter (for sentence-initial words); all in capitals
    where ``old`` is a capitalised word of three letters or more (a shouted caption), as it is where
    ``old`` has two (an acronym, "TV": "a computer", though at the start of a caption too)."""
    if not new or not old:
        return new
    if old.isupper() and len(old) > 1:  # "WOMAN" -> "WOMEN"; "TV" is an acronym, not shouting: "TV" -> "computer"
        return new.upper() if len(old) > 2 else new
    if old[0].isupper() and new[0].islower():
        return new[0].upper() + new[1:]
    first_word = new.split(" ", 1)[0]
    if old[0].islower() and new[0].isupper() and not (len(first_word) > 1 and first_word.isupper()):
        return new[0].lower() + new[1:]
    return new


@lru_cache(maxsize=None)
def plural(noun: str) -> str | None:
    """The plural of a singular noun (None when unknown); multiword nouns inflect their last word."""
    from lemminflect import getInflection

    *rest, last = noun.split(" ")
    forms = getInflection(last.lower(), "NNS")
    form = IRREGULAR_PLURALS.get(last.lower()) or (forms[0] if forms else None)
    return " ".join([*rest, match_case(form, last)]) if form else None


@lru_cache(maxsize=None)
def singular(noun: str) -> str | None:
    """The singular of a plural noun (None when unknown); multiword nouns inflect their last word."""
    from lemminflect import getLemma

    *rest, last = noun.split(" ")
    lemmas = getLemma(last.lower(), "NOUN")
    form = _SINGULARS.get(last.lower()) or (lemmas[0] if lemmas else None)
    return " ".join([*rest, match_case(form, last)]) if form else None


@lru_cache(maxsize=None)
def is_plural_noun(word: str) -> bool | None:
    """Whether ``word`` is a plural noun form (None when it is not known as a noun): it has a
    singular lemma other than itself ("games", also a lemma, has "game"), or is an irregular plural
    ("people")."""
    from lemminflect import getAllLemmas

    lower = word.lower()
    lemmas = getAllLemmas(lower, "NOUN").get("NOUN")
    if not lemmas:
        return None
    return lower in _SINGULARS or any(lemma != lower for lemma in lemmas)


@lru_cache(maxsize=None)
def inflect_verb(lemma: str, tag: str) -> str | None:
    """``lemma`` inflected for a Penn tag (VBZ, VBP, VBG, VBD, VBN, VB), None when unknown."""
    from lemminflect import getInflection

    forms = getInflection(lemma, tag)
    return forms[0] if forms else None


@lru_cache(maxsize=None)
def _senses_and_above(word: str, pos: str) -> tuple[frozenset[int], frozenset[int]]:
    """The WordNet senses of ``word`` and every synset above one of them (hypernyms, instance
    hypernyms, transitively)."""
    wn = wordnet_index.load()
    senses = wn.synsets(word.replace(" ", "_"), pos)
    return frozenset(senses), frozenset().union(*map(wn.hypernym_closure, senses))


def related(a: str, b: str, pos: str) -> bool:
    """True when ``a`` and ``b`` share a sense or one is a hypernym/hyponym of the other (any sense).

    Such a replacement would keep a caption true ("dog" -> "puppy", "dog" -> "animal").
    """
    senses_a, above_a = _senses_and_above(a, pos)
    senses_b, above_b = _senses_and_above(b, pos)
    return bool(senses_a & senses_b or senses_a & above_b or senses_b & above_a)


def _main_sense(senses: Sequence[int], pos: str) -> int | None:
    """The sense a caption most likely means: for nouns the first physical one (a table is
    furniture before data; None for top-level nouns such as "person"), for verbs the first one
    with a hypernym."""
    wn = wordnet_index.load()
    for s in senses:
        if pos == "n" and wn.lexname(s) == "noun.Tops":
            return None
        if (wn.lexname(s) in PHYSICAL_LEXNAMES) if pos == "n" else bool(wn.hypernyms(s)):
            return s
    return None


def _dominant(word: str, sense: int, senses: Sequence[int]) -> bool:
    """Whether ``sense`` is a usual meaning of ``word``: at least a third as frequent (SemCor) as its
    most frequent sense, or its first sense when WordNet has no counts ("type" is rarely a person)."""
    name = word.replace(" ", "_")
    wn = wordnet_index.load()

    def count(s: int) -> int:
        return sum(n for lem, n in zip(wn.lemma_names(s), wn.lemma_counts(s)) if lem.lower() == name)

    top = max(count(s) for s in senses)
    return count(sense) * 3 >= top if top else sense == senses[0]


@lru_cache(maxsize=None)
def _usual_sense(word: str, pos: str) -> int | None:
    """The main sense of ``word`` when it is also a usual meaning of it, else None."""
    senses = wordnet_index.load().synsets(word.replace(" ", "_"), pos)
    main = _main_sense(senses, pos)
    return main if main is not None and _dominant(word, main, senses) else None


@lru_cache(maxsize=None)
def in_classes(lemma: str, classes: tuple[str, ...]) -> bool:
    """Whether some noun sense of ``lemma`` is one of the WordNet ``classes`` or below one."""
    senses, above = _senses_and_above(lemma, "n")
    return not (senses | above).isdisjoint(_named(classes))


@lru_cache(maxsize=None)
def main_sense_in(lemma: str, classes: tuple[str, ...]) -> bool:
    """Whether the noun's main sense (as for :func:`noun_lexname`) is one of the WordNet ``classes``
    or below one: a cat is no container, though "cat" also names a tracked vehicle."""
    wn = wordnet_index.load()
    main = main_noun_sense(lemma)
    return main is not None and not ({main} | wn.hypernym_closure(main)).isdisjoint(_named(classes))


@lru_cache(maxsize=None)
def _named(names: tuple[str, ...]) -> frozenset[int]:
    """The synsets called ``names`` ("adult.n.01", ...)."""
    return frozenset(map(wordnet_index.load().synset, names))


@lru_cache(maxsize=None)
def _relatives(lemma: str, pos: str) -> tuple[tuple[str, int], ...]:
    """(word, synset) of the sisters of ``lemma``'s main sense, and of its cousins when sisters
    are few; words that could never qualify (capitalised, >2 words, the lemma) are left out."""
    wn = wordnet_index.load()
    sense = _main_sense(wn.synsets(lemma.replace(" ", "_"), pos), pos)
    if sense is None:
        return ()
    parents = wn.hypernyms(sense) + wn.instance_hypernyms(sense)
    sisters = [s for p in parents for s in wn.hyponyms(p) if s != sense]
    if len(sisters) < 5:
        uncles = [u for p in parents for g in wn.hypernyms(p) for u in wn.hyponyms(g) if u not in parents]
        sisters += [c for u in uncles for c in wn.hyponyms(u)]
    return tuple(sorted({(word, s) for s in sisters for word in _candidate_words(s) if word != lemma}))


@lru_cache(maxsize=None)
def _candidate_words(synset: int) -> tuple[str, ...]:
    """The lemma names of ``synset`` that could replace a word: lower case, letters, one or two words."""
    words = (name.replace("_", " ") for name in wordnet_index.load().lemma_names(synset))
    return tuple(w for w in words if w.islower() and w.replace(" ", "").isalpha() and w.count(" ") <= 1)


@lru_cache(maxsize=None)
def _qualifies(lemma: str, word: str, sense: int, pos: str, transitive: bool | None) -> bool:
    if abs(zipf(word) - zipf(lemma)) > 1.5 or zipf(word) < 2.0:
        return False
    if _usual_sense(word, pos) != sense or related(lemma, word, pos):
        return False
    if pos == "v" and (_defined_by(sense, lemma) or _defined_by(_usual_sense(lemma, pos), word)):
        return False
    if transitive is not None and pos == "v":
        return not _frames(word, sense).isdisjoint(TRANSITIVE_FRAMES if transitive else _INTRANSITIVE_FRAMES)
    return True


def _frames(word: str, sense: int) -> frozenset[int]:
    """The WordNet sentence frames of ``word`` in the verb ``sense``."""
    wn = wordnet_index.load()
    name = word.replace(" ", "_")
    return frozenset(f for lem, ids in zip(wn.lemma_names(sense), wn.frame_ids(sense)) if lem == name for f in ids)


@lru_cache(maxsize=None)
def other_action(lemma: str, verb: str) -> bool:
    """Whether the verb ``verb`` names another action than ``lemma`` on an object: its usual sense
    takes one (WordNet frames), and neither verb is a synonym, hypernym or hyponym of the other
    nor defined in terms of it ("ride" and "drive" qualify, "ride" and "travel" do not)."""
    sense = _usual_sense(verb, "v")
    if sense is None or verb == lemma or related(lemma, verb, "v"):
        return False
    if _defined_by(sense, lemma) or _defined_by(_usual_sense(lemma, "v"), verb):
        return False
    return not _frames(verb, sense).isdisjoint(TRANSITIVE_FRAMES)


def _defined_by(sense: int | None, verb: str) -> bool:
    """Whether WordNet defines the verb ``sense`` in terms of ``verb`` (any inflection): "sport" is
    "wear or display in an ostentatious manner", a manner of wearing, so it is never a sister that
    makes "wear" false, although WordNet files both under "have"."""
    return sense is not None and not _gloss_words(sense).isdisjoint(verb_forms(verb))


@lru_cache(maxsize=None)
def verb_forms(verb: str) -> frozenset[str]:
    from lemminflect import getAllInflections

    return frozenset((verb, *(f for fs in getAllInflections(verb, upos="VERB").values() for f in fs)))


@lru_cache(maxsize=None)
def _gloss_words(sense: int) -> frozenset[str]:
    """The lower-case words of a synset's gloss, as ``\\b``-bounded matches see them: letters
    alone, hyphenated words whole, and two-word phrases."""
    gloss = wordnet_index.load().gloss(sense).lower()
    words = re.findall(r"[a-z]+", gloss)
    pairs = (f"{a} {b}" for a, b in zip(words, words[1:]))
    return frozenset((*words, *pairs, *re.findall(r"[a-z]+(?:-[a-z]+)+", gloss)))


def sister_terms(
    lemma: str, pos: str, transitive: bool | None = None, keep: Callable[[str], bool] | None = None
) -> list[str]:
    """Co-hyponyms (or, when those are few, cousins) of the main sense of ``lemma``, closest in
    word frequency first, then alphabetical.

    A word qualifies when it is lower case, one or two words, of similar frequency (within 1.5
    on the Zipf scale), its own main sense is the sister sense and a usual one, and it is neither
    a synonym, hypernym nor hyponym of ``lemma`` in any sense; a verb also must not be defined in
    terms of the other ("sport": "wear ... in an ostentatious manner"). For verbs, ``transitive`` asks for
    WordNet frames that take (True) or lack (False) an object, so the sentence stays grammatical.
    ``keep`` filters words first (e.g. to the corpus vocabulary), which also spares the costlier
    checks; every check is cached per word.
    """
    words = {
        w for w, s in _relatives(lemma, pos) if (keep is None or keep(w)) and _qualifies(lemma, w, s, pos, transitive)
    }
    own = zipf(lemma)
    return sorted(words, key=lambda w: (round(abs(zipf(w) - own), 1), w))


@lru_cache(maxsize=None)
def noun_lexname(lemma: str) -> str | None:
    """WordNet lexicographer file ("noun.artifact") of the noun's main sense (its first physical
    one, else its first), None if unknown; people's or animals' for
    :data:`~negatives.lexicon.GENERAL_LIVING_NOUNS`."""
    if lemma in GENERAL_LIVING_NOUNS:
        return GENERAL_LIVING_NOUNS[lemma]
    wn = wordnet_index.load()
    senses = wn.synsets(lemma.replace(" ", "_"), "n")
    if not senses:
        return None
    main = _main_sense(senses, "n")
    return wn.lexname(senses[0] if main is None else main)


KIN_STEPS = 3
"""Hypernym steps within which two nouns' main senses must meet to be of one kind."""
SWAPPABLE_LEXNAMES = frozenset({"noun.person", "noun.animal", "noun.artifact", "noun.food"})
"""Things that can trade places in a scene; never places, landforms, substances or body parts."""


@lru_cache(maxsize=None)
def kin_senses(lemma: str) -> frozenset[int]:
    """The noun's main sense and its hypernyms up to :data:`KIN_STEPS` steps above it (WordNet synset ids)."""
    wn = wordnet_index.load()
    main = main_noun_sense(lemma)
    found, frontier = set(), [] if main is None else [main]
    for _ in range(KIN_STEPS + 1):
        found.update(frontier)
        frontier = [h for s in frontier for h in (*wn.hypernyms(s), *wn.instance_hypernyms(s))]
    return frozenset(found)


@lru_cache(maxsize=None)
def main_noun_sense(lemma: str) -> int | None:
    """The noun's main sense (a WordNet synset id), None if WordNet does not know it as a noun."""
    return _main_sense(wordnet_index.load().synsets(lemma.replace(" ", "_"), "n"), "n")


@lru_cache(maxsize=None)
def same_kind(a: str, b: str) -> bool:
    """Whether two nouns name things of one kind, which can trade places in a scene: two people,
    or two animals, artifacts or foods whose main senses meet within :data:`KIN_STEPS` hypernym
    steps ("car" and "truck": motor vehicles; "dog" and "cat": carnivores), never "desk" and
    "laptop" nor a place, a substance or a part."""
    kind = noun_lexname(a)
    if kind is None or kind != noun_lexname(b) or kind not in SWAPPABLE_LEXNAMES:
        return False
    return kind == "noun.person" or not kin_senses(a).isdisjoint(kin_senses(b))


@lru_cache(maxsize=None)
def kin_nouns(lemma: str) -> tuple[str, ...]:
    """One-word sister terms of the noun's main sense (its cousins when sisters are few), any
    frequency: the things people talk about the way they talk about ``lemma``."""
    return tuple(sorted({w for w, _ in _relatives(lemma, "n") if " " not in w}))


@lru_cache(maxsize=None)
def scene_noun(lemma: str) -> bool:
    """Whether the noun names a place, landform, substance, building, room or road: what a photo is
    *of* (:data:`~negatives.lexicon.SCENE_CLASSES`), not a thing one replaces or counts in it."""
    return noun_lexname(lemma) in SCENE_LEXNAMES or main_sense_in(lemma, SCENE_CLASSES)
