"""The ``relation`` engine: change how the objects relate.

Operators:

Off by default (judged against real photos and captions, fewer than half were false and read
naturally: captions say "at", "by" and "on" loosely, and an object moved "on top of a tree" or a
person "lying cutting a cake" reads absurdly): ``preposition``, ``verb`` and ``negation``; turn them
on with ``--ops +relation.preposition,+relation.verb``.

* ``preposition`` — a spatial preposition becomes a contrasting one (on/under, above/below,
  in front of/behind, inside/outside, with/without ...), only when its object is a physical thing
  (WordNet), so "on a table" -> "under a table" but not "on a sunny day"; "in" only when its object
  holds things ("in a vase" -> "next to a vase", but not "in a field"), and "in" for a place
  outside such a thing ("in front of a bus" -> "in a bus", never "in a bike"); "at" and "around"
  only for furniture; "up" and "down" only off roads ("down a hill" -> "up a hill"); the ground, a
  road or the water is never beside, behind or (unless a substance) under.
* ``side`` — "left" and "right" trade ("to the left of" -> "to the right of").
* ``verb`` — a verb becomes an action that excludes it: common actions that exclude each other
  replace one another ("sitting" -> "standing", "surfing" -> "skiing", "sleeping" -> "playing" for
  people and animals, "a herd of sheep" included, and never for things: no "a plane walking";
  "pulling a cart" -> "pushing a cart", "wearing a hat" -> "holding a hat":
  :data:`~negatives.lexicon.EXCLUSIVE_ACTIONS`, :data:`~negatives.lexicon.ONE_WAY_ACTIONS`), and
  actions the corpus attests on the same object ("riding a horse" -> "leading a horse"). Never a
  WordNet sister verb: sisters can still be true ("riding skis" -> "skiing", "a jetliner flying"
  -> "riding"). Never a verb the caption states. Past participles and participles used as
  adjectives ("a snow covered hill", "filled with", "a nice looking cake") name states: left alone.
* ``role_swap`` — subject and object of a verb trade places with their modifiers, and the verb
  agrees with the new subject ("a dog chasing a cat" -> "a cat chasing a dog"); only between
  things of one kind (:func:`~negatives.lexical.same_kind`), so never "a cake holding a man".
* ``negation`` (off by default: people do not caption with "not", so "a train is not pulling into
  the station" is easy for any language model) — "not" is added where grammatical ("is sitting" ->
  "is not sitting", "a man riding" -> "a man not riding", "sits" -> "does not sit") or removed
  ("isn't" -> "is").

Each states a relation between the same objects that the positive contradicts, and lists the
compositions it creates (a preposition with its object and the word it hangs on, a verb with its
subject and object), so plausibility refuses "sitting under a tarmac" or "a jetliner riding".
"""

from __future__ import annotations

import random

from negatives.analysis import NounPhrase, Parsed, Verb, verb_lemma
from negatives.engines.base import Candidate, Context, CorpusStats, Replacement, agreement, candidate, draw, replace_token
from negatives.lexical import (
    in_classes,
    inflect_verb,
    main_sense_in,
    match_case,
    noun_lexname,
    other_action,
    same_kind,
    scene_noun,
    verb_forms,
)
from negatives.lexicon import (
    ALONG,
    ALONG_CLASSES,
    ANIMATE_LEXNAMES,
    BELOW,
    BULKY_CLASSES,
    CHILD_WORDS,
    CHILDREN,
    CLASS_CONTRASTS,
    DEGREE_ADVERBS,
    DO_SUPPORT,
    ENDING_ACTIONS,
    EXCLUSIVE_ACTIONS,
    GENDERED_PRONOUNS,
    GENERIC_ACTIONS,
    GROUND_CLASSES,
    GROUND_LEXNAMES,
    HOLLOW_CLASSES,
    JUVENILE_CLASSES,
    IDIOMATIC_BEFORE_PREPOSITION,
    INSIDE,
    NEGATABLE_AUX,
    NON_OBJECT_NOUNS,
    NOT_ON_GROUND,
    ONE_WAY_ACTIONS,
    OPEN_CARRIERS,
    OUTSIDE_OF_IT,
    PHYSICAL_LEXNAMES,
    PLACEMENT_PARTICIPLES,
    POSTURES,
    SIDE_CONTRASTS,
    SMALL_CLAUSE_HEADS,
    SPATIAL_CONTRASTS,
)
from negatives.plausibility.compositions import compositions, noun_key

NEGATIONS = frozenset({"not", "n't"})
CONTRACTED_AUX = {"ca": "can", "wo": "will", "sha": "shall"}
"""How spaCy splits "can't", "won't", "shan't": the first part, and the word it stands for."""
_CONTRASTING_ACTIONS = {(v, transitive): tuple(w for w in group if w != v)
                        for transitive, group in EXCLUSIVE_ACTIONS for v in group} | ONE_WAY_ACTIONS
_ACTION_LEMMA = {"lay": "lie"}
PEOPLE = frozenset({"noun.person"})  # "a cat laying on a bed" means lying
NOUN_MODIFIERS = frozenset({"amod", "compound", "nmod"})
BEARING = frozenset({"hold", "carry", "lift", "pick", "cradle", "hug", "feed"})
"""Verbs whose subject bears its object: a child does not hold or carry a grown-up."""
HAVING = frozenset({"have", "contain", "include", "feature", "show", "display", "wear"})
"""Verbs of having: their subject has, shows or wears its object, never the other way round."""
LIGHT_VERBS = frozenset({"be", "have", "do", "get", "make", "take", "go", "come", "let", "seem", "appear"})
"""Verbs that name no action of their own ("takes a picture", "appears to be"): never replaced."""
ATTESTED_MIN = 2
"""Corpus mentions of an -ing verb before a noun that make it an action attested on that noun."""
_NEVER_ATTESTED = GENERIC_ACTIONS | LIGHT_VERBS


class RelationEngine:
    name = "relation"
    OPS = ("preposition", "side", "verb", "role_swap", "negation")
    DEFAULT_OPS = ("side", "role_swap")

    def __init__(self, alternatives: int = 3) -> None:
        self.alternatives = alternatives  # contrasting prepositions or actions drawn per slot
        self._attested: dict[tuple[CorpusStats, str, str], list[str]] = {}

    def propose(self, parsed: Parsed, context: Context, rng: random.Random) -> list[Candidate]:
        return (
            self.preposition(parsed, rng)
            + self.side(parsed)
            + self.verb(parsed, context, rng)
            + self.role_swap(parsed)
            + self.negation(parsed)
        )

    def preposition(self, parsed: Parsed, rng: random.Random) -> list[Candidate]:
        out = []
        for j, r in enumerate(parsed.relations):
            head = parsed.nps[r.object].head_lemma
            options = SPATIAL_CONTRASTS.get(r.prep)
            if r.prep in CLASS_CONTRASTS and in_classes(head, CLASS_CONTRASTS[r.prep][0]):
                options = CLASS_CONTRASTS[r.prep][1]
            placed = parsed.nps[r.head].head_lemma if r.head is not None else None
            if (r.prep in OUTSIDE_OF_IT and main_sense_in(head, HOLLOW_CLASSES) and not in_classes(head, OPEN_CARRIERS)
                    and not (placed and main_sense_in(placed, BULKY_CLASSES))):
                options = (*options, *INSIDE)
            lexname = noun_lexname(head)
            if not options or lexname not in PHYSICAL_LEXNAMES or (r.prep in ALONG and in_classes(head, ALONG_CLASSES)):
                continue
            if lexname in GROUND_LEXNAMES or in_classes(head, GROUND_CLASSES):  # "on the road", not "behind" or "under" it
                options = tuple(o for o in options if o not in NOT_ON_GROUND and (o not in BELOW or lexname == "noun.substance"))
            last = next((t for t in reversed(parsed.tokens) if t.end <= r.start), None)  # the word before the preposition
            if last and (last.lower in IDIOMATIC_BEFORE_PREPOSITION or last.lower in DEGREE_ADVERBS
                         or (last.tag == "VBN" and last.lemma not in PLACEMENT_PARTICIPLES)):
                continue  # "talking on a phone", "filled with food": not spatial ("parked on" is); "very close to": no "very under"
            for new in draw(rng, options, self.alternatives):
                created = compositions(parsed, {("rel", j): new}, [("rel", j)])
                c = candidate(parsed, "preposition", [Replacement(r.start, r.end, match_case(new, parsed.text[r.start : r.end]))], created)
                if c:
                    out.append(c)
        return out

    def side(self, parsed: Parsed) -> list[Candidate]:
        out = []
        for i, t in enumerate(parsed.tokens):
            side = (t.pos == "ADJ" and t.dep == "amod" and t.head > i) or (t.pos == "NOUN" and t.dep == "pobj")
            if t.lower in SIDE_CONTRASTS and side:  # "her left hand", "on the left"; never "one slice left"
                c = candidate(parsed, "side", [replace_token(parsed, i, SIDE_CONTRASTS[t.lower])])
                if c:
                    out.append(c)
        return out

    def verb(self, parsed: Parsed, context: Context, rng: random.Random) -> list[Candidate]:
        out = []
        stated = {_ACTION_LEMMA.get(v.lemma, v.lemma) for v in parsed.verbs}  # "people lying, walking": never "walking, walking"
        for k, v in enumerate(parsed.verbs):
            t = parsed.tokens[v.token]
            if v.lemma in LIGHT_VERBS or v.particle or not t.text.isalpha() or v.tag == "VBN" or t.dep in NOUN_MODIFIERS:
                continue  # past participles and participles as modifiers name states or kinds: "snow covered", "cutting board"
            # "eating a slice of pizza": the object is no noun phrase, but the verb is transitive
            transitive = v.object is not None or any(s.head == v.token and s.dep == "dobj" for s in parsed.tokens)
            contrasting = _CONTRASTING_ACTIONS.get((v.lemma if transitive else _ACTION_LEMMA.get(v.lemma, v.lemma), transitive))
            lemma = _ACTION_LEMMA.get(v.lemma, v.lemma)
            acts = transitive or (_animate(parsed, v, PEOPLE) if lemma in POSTURES else _animate(parsed, v))
            actions = list(contrasting) if contrasting and acts else []
            if v.object is not None:
                head = parsed.nps[v.object].head_lemma
                attested = self._attested_verbs(context.stats, v.lemma, head)
                actions += [a for a in attested if a not in actions and context.mentioned.isdisjoint(verb_forms(a))]
            for action in draw(rng, [a for a in actions if a not in stated], self.alternatives):
                form = inflect_verb(action, v.tag)
                created = compositions(parsed, {("verb", k): action}, [("verb", k)])
                c = candidate(parsed, "verb", [replace_token(parsed, v.token, form)], created) if form else None
                if c:
                    out.append(c)
        return out

    def _attested_verbs(self, stats: CorpusStats, lemma: str, head: str) -> list[str]:
        """Other actions the corpus attests on the noun ``head`` ("riding a horse" -> "feeding",
        "leading"), sorted; from or to a generic verb (hold, carry, use ...), which goes with most
        other actions, only the actions that end it ("carrying" -> "riding") (cached)."""
        key = (stats, lemma, head)
        if key not in self._attested:
            found = set()
            for form, n in stats.actions.get(head, {}).items():
                verb = verb_lemma(form)
                if n >= ATTESTED_MIN and verb not in _NEVER_ATTESTED and inflect_verb(verb, "VBG") == form:
                    found.add(verb)
            if lemma in GENERIC_ACTIONS:
                found &= ENDING_ACTIONS.get(lemma, frozenset())
            else:
                found = {v for v in found if other_action(lemma, v)}
            self._attested[key] = sorted(found)
        return self._attested[key]

    def role_swap(self, parsed: Parsed) -> list[Candidate]:
        out = []
        for v in parsed.verbs:
            if v.subject is None or v.object is None:
                continue
            s, o = parsed.nps[v.subject], parsed.nps[v.object]
            if s.lemma == o.lemma or s.coordinated or o.coordinated or not (_whole(parsed, s) and _whole(parsed, o)):
                continue
            if not same_kind(noun_key(s), noun_key(o)) or scene_noun(noun_key(s)) or scene_noun(noun_key(o)):
                continue  # "a cake holding a man", "a baseball bat sniffing a dog": absurd, so easy for any text model
            if v.lemma in HAVING:
                continue  # a part and its whole: "a clock tower that has a large building"
            if v.lemma in BEARING and _child(s) != _child(o):
                continue  # "a small child holds a man": the big one holds, carries or lifts the small one
            if any(t.lower in GENDERED_PRONOUNS for t in parsed.tokens):
                continue  # "kissing the young woman on top of her head": "her" would point at the other
            s_text, o_text = parsed.text[s.start : s.end], parsed.text[o.start : o.end]
            repls = [Replacement(s.start, s.end, match_case(o_text, s_text)),
                     Replacement(o.start, o.end, match_case(s_text, o_text))]
            if s.plural != o.plural:
                repls += agreement(parsed, s, o.plural)
            created = [("subj", v.lemma, noun_key(o)), ("obj", v.lemma, noun_key(s))]
            c = candidate(parsed, "role_swap", repls, created, swapped=[s_text, o_text])
            if c:
                out.append(c)
        return out

    def negation(self, parsed: Parsed) -> list[Candidate]:
        out = []
        tokens = parsed.tokens
        negated = {t.head for t in tokens if t.lower in NEGATIONS}
        for v in parsed.verbs:
            repls = _remove_negation(parsed, v) if v.neg is not None else _add_negation(parsed, v)
            c = candidate(parsed, "negation", repls) if repls else None
            if c:
                out.append(c)
        for i, t in enumerate(tokens):  # copulas: "a cat is (not) on the bed"
            if t.pos == "AUX" and t.dep in ("ROOT", "relcl", "conj") and t.lower in NEGATABLE_AUX:
                if i not in negated:
                    out.append(candidate(parsed, "negation", [Replacement(t.end, t.end, " not")]))
                elif t.lower not in CONTRACTED_AUX:
                    neg = next((k for k in range(i + 1, len(tokens)) if tokens[k].lower in NEGATIONS), None)
                    out.append(candidate(parsed, "negation", [_drop_not(parsed, neg)]) if neg else None)
        return [c for c in out if c]


def _animate(parsed: Parsed, v: Verb, kinds: frozenset[str] = ANIMATE_LEXNAMES) -> bool:
    """Whether the verb's subject is a person or an animal (of ``kinds``), or a group of them ("a
    herd of sheep walking": "herd" is no object, "sheep" are what walks); unknown subjects count as
    things."""
    subject = v.subject if v.subject is not None else _members(parsed, v)
    return subject is not None and noun_lexname(parsed.nps[subject].lemma) in kinds


def _members(parsed: Parsed, v: Verb) -> int | None:
    """The noun phrase after "of" when the verb's subject is a collection ("a group of men")."""
    t = parsed.tokens[v.token]
    heads = [i for i, s in enumerate(parsed.tokens) if s.head == v.token and s.dep in ("nsubj", "nsubjpass")]
    if t.dep == "acl":
        heads.append(t.head)
    for h in heads:
        of = next((i for i, s in enumerate(parsed.tokens) if s.head == h and s.lower == "of" and i > h), None)
        if of is not None and parsed.tokens[h].lower in NON_OBJECT_NOUNS:
            return next((k for k, np in enumerate(parsed.nps) if parsed.tokens[np.head].head == of), None)
    return None


def _whole(parsed: Parsed, np: NounPhrase) -> bool:
    """The phrase's span holds all its pre-modifiers (nothing before it hangs on its noun), so it
    can move as a unit."""
    return not any(t.end <= np.start and np.start <= parsed.tokens[t.head].start < np.end for t in parsed.tokens)


def _remove_negation(parsed: Parsed, v: Verb) -> list[Replacement]:
    tokens = parsed.tokens
    neg = tokens[v.neg]  # type: ignore[index]
    aux = [tokens[a] for a in v.aux if a < v.neg]  # type: ignore[operator]
    if not aux:
        return []
    first = aux[-1]
    if first.lower in DO_SUPPORT and v.tag == "VB":  # "does not sit" -> "sits"
        form = inflect_verb(v.lemma, DO_SUPPORT[first.lower])
        end = tokens[v.token].end
        return [Replacement(first.start, end, match_case(form, first.text))] if form else []
    if first.lower in CONTRACTED_AUX and neg.lower == "n't":  # "can't" -> "can"
        return [Replacement(first.start, neg.end, match_case(CONTRACTED_AUX[first.lower], first.text))]
    return [_drop_not(parsed, v.neg)]  # type: ignore[arg-type]


def _drop_not(parsed: Parsed, i: int) -> Replacement:
    """Delete the negation token ``i``: "isn't" -> "is", "is not" -> "is"."""
    neg = parsed.tokens[i]
    if neg.lower == "n't":
        return Replacement(neg.start, neg.end, "")
    return Replacement(parsed.tokens[i - 1].end, neg.end, "")


def _add_negation(parsed: Parsed, v: Verb) -> list[Replacement]:
    tokens = parsed.tokens
    t = tokens[v.token]
    finite_aux = [a for a in v.aux if tokens[a].lower in NEGATABLE_AUX]
    if finite_aux:  # "is sitting" -> "is not sitting"
        return [Replacement(tokens[finite_aux[0]].end, tokens[finite_aux[0]].end, " not")]
    if v.aux:
        return []
    if v.lemma == "be" and t.lower in NEGATABLE_AUX:  # "there are two dogs"
        return [Replacement(t.end, t.end, " not")]
    if t.tag in ("VBG", "VBN") and t.dep == "acl":  # "a man riding" -> "a man not riding"
        return [Replacement(t.start, t.start, "not ")]
    if t.dep == "ccomp" and tokens[t.head].lemma in SMALL_CLAUSE_HEADS:  # "getting his teeth brushed"
        return []
    if t.tag in ("VBZ", "VBP", "VBD") and t.lower not in NEGATABLE_AUX:  # "sits" -> "does not sit"
        do = "did" if t.tag == "VBD" else "does" if t.lower == inflect_verb(v.lemma, "VBZ") else "do"  # the form, not a mis-tag
        return [Replacement(t.start, t.end, match_case(f"{do} not {v.lemma}", t.text))]
    return []


def _child(np: NounPhrase) -> bool:
    """Whether the phrase names a child: "a child", "a boy", or any person noun said "little", "small", "baby"."""
    return np.head_lemma in CHILDREN or in_classes(np.head_lemma, JUVENILE_CLASSES) or (
        noun_lexname(np.head_lemma) == "noun.person" and any(a.text.lower() in CHILD_WORDS for a in np.attributes)
    )
