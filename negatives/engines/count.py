"""The ``count`` engine: change how many of an object there are.

Operator ``change`` rewrites the numeral (or the article "a"/"an", which counts one), the noun's
number and the agreeing verb together, so the sentence stays grammatical: "two dogs are" ->
"three dogs are", "a dog is" -> "two dogs are", "three cats sit" -> "one cat sits" (and, with
no determiner before the numeral, "a cat sits", as one says it). Number words stay words and
digits stay digits. The caption now states a count the image does not show.
The size of the change ``delta`` (``|new - old|``, at most ``max_delta``) is recorded in the
edit, so difficulty can grow as the change shrinks.

Operator ``plural`` (only when asked, ``plurals=True``: debiasing over-generates with it) makes one
object several without a numeral: "a dog is" -> "dogs are". It states more than one, as "two dogs"
does, and shortens the caption where a numeral lengthens it, so a length-sensitive blind scorer
does not always prefer the positive; the edit records ``count=[1, None]`` (an unstated plural).

A change of grammatical number is skipped when a pronoun follows the phrase ("a dog with its
ball"): it may refer to the phrase and would no longer agree.
"""

from __future__ import annotations

import random

from negatives.analysis import NounPhrase, Parsed
from negatives.engines.base import Candidate, Context, Replacement, agreement, candidate, draw, noun_form, replace_token
from negatives.engines.lexical import article_for, match_case
from negatives.lexicon import ARTICLES, MAX_COUNT, NUMBER_WORDS

NUMBER_NAMES = {v: k for k, v in NUMBER_WORDS.items()}
PRONOUNS = frozenset(
    {"it", "its", "itself", "they", "them", "their", "themselves", "he", "him", "his", "himself",
     "she", "her", "herself", "each", "other"}
)
"""Words that may refer back to a counted phrase and carry its number."""


class CountEngine:
    name = "count"

    def __init__(self, max_delta: int = 2, alternatives: int = 2, plurals: bool = False) -> None:
        if max_delta < 1:
            raise ValueError("max_delta must be at least 1")
        self.max_delta = max_delta
        self.alternatives = alternatives  # new counts drawn per noun phrase
        self.plurals = plurals  # also "a dog" -> "dogs"

    def propose(self, parsed: Parsed, context: Context, rng: random.Random) -> list[Candidate]:
        out = []
        for np in parsed.nps:
            if np.count is None or (np.count == 1) == np.plural:
                continue
            if np.dep == "attr" and np.agree is None:  # "a light is a contrast": bound to the subject
                continue
            values = [
                new for new in range(max(1, np.count - self.max_delta), min(MAX_COUNT, np.count + self.max_delta) + 1)
                if new != np.count and not ((new > 1) != np.plural and _pronoun_after(parsed, np))
            ]
            for new in draw(rng, values, self.alternatives):
                as_article = (False, True) if new == 1 and np.det is None and np.num is not None else (False,)
                for c in (self.rewrite(parsed, np, new, article) for article in as_article):
                    if c:
                        out.append(c)
            if self.plurals and np.count == 1 and not _pronoun_after(parsed, np):
                c = self.plural(parsed, np)
                if c:
                    out.append(c)
        return out

    def plural(self, parsed: Parsed, np: NounPhrase) -> Candidate | None:
        """``np`` counted by "a"/"an" made plural without a numeral: article dropped, noun and verb plural."""
        if np.coordinated or np.num is not None or np.det is None or parsed.tokens[np.det].lower not in ARTICLES:
            return None  # "a dog and a cat" share their number
        form = noun_form(np.noun.lower(), True, False)
        if form is None:
            return None
        article = parsed.tokens[np.det]
        new = parsed.text[article.end : np.noun_start].lstrip() + match_case(form, np.noun)
        if article.text[0].isupper():  # the phrase starts the sentence
            new = new[0].upper() + new[1:]
        repls = [Replacement(article.start, np.end, new), *agreement(parsed, np, True)]
        return candidate(parsed, "plural", repls, count=[1, None])

    def rewrite(self, parsed: Parsed, np: NounPhrase, new: int, article: bool = False) -> Candidate | None:
        """``np`` counted ``new`` times: numeral (with ``article``, "a"/"an" for one), noun and agreeing verb."""
        word_index = np.num if np.num is not None else np.det
        if word_index is None or np.count is None:
            return None
        old_word = parsed.tokens[word_index].text
        numeral = str(new) if old_word.isdigit() else NUMBER_NAMES[new]
        plural = new > 1
        form = noun_form(np.noun.lower(), plural, np.plural)
        if form is None:
            return None
        noun = match_case(form, np.noun)
        if article:
            after = parsed.tokens[word_index + 1]
            numeral = article_for(noun if after.start >= np.noun_start else after.text)
        repls = [replace_token(parsed, word_index, numeral)]
        if noun != np.noun:
            repls.append(Replacement(np.noun_start, np.end, noun))
        repls += agreement(parsed, np, plural) if plural != np.plural else []
        return candidate(parsed, "change", repls, delta=abs(new - np.count), count=[np.count, new])


def _pronoun_after(parsed: Parsed, np: NounPhrase) -> bool:
    return any(t.lower in PRONOUNS for t in parsed.tokens[np.head + 1 :])
