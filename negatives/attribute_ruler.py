"""A faster drop-in for spaCy's ``attribute_ruler``: the same rules, the same annotations.

English pipelines spend about a third of their parse time in the attribute ruler, whose Matcher
tries ~180 patterns at every token although all but a few look at one token's tag, lower-case form
or dependency. :class:`IndexedAttributeRuler` keeps every pattern (so saving and loading are
unchanged) but answers the single-token ones from tables keyed by tag and lower-case form; only
multi-token patterns go through a Matcher. Matches are applied in the order the rules were added,
later ones winning, exactly as spaCy does. :func:`speed_up` swaps it into a loaded pipeline.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Span, Token
from spacy.tokens._retokenize import set_token_attrs

FACTORY = "negatives_attribute_ruler"
CACHE_SIZE = 100_000
_READERS: dict[str, Callable[[Token], Any]] = {
    "TAG": lambda t: t.tag_,
    "LOWER": lambda t: t.lower_,
    "DEP": lambda t: t.dep_,
    "IS_SPACE": lambda t: t.is_space,
}
Predicate = Callable[[Token], bool]


def _value_test(spec: Any) -> Callable[[Any], bool] | None:
    """A test for one attribute's value (a plain value, IN, NOT_IN or REGEX over strings); None if
    unsupported (string ids, nested operators: those patterns stay with the Matcher)."""
    if isinstance(spec, (str, bool)):
        return lambda v: v == spec
    if isinstance(spec, dict) and len(spec) == 1:
        (op, arg), = spec.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, (list, tuple)) and all(isinstance(a, (str, bool)) for a in arg):
            members = frozenset(arg)
            return (lambda v: v in members) if op == "IN" else (lambda v: v not in members)
        if op == "REGEX" and isinstance(arg, str):
            pattern = re.compile(arg)
            return lambda v: pattern.search(v) is not None
    return None


def _token_test(token_pattern: dict[str, Any]) -> Predicate | None:
    """A test for a one-token Matcher pattern over the attributes this module reads; None if unsupported."""
    tests = []
    for key, spec in token_pattern.items():
        read, test = _READERS.get(key), _value_test(spec)
        if read is None or test is None:
            return None
        tests.append((read, test))
    return lambda t: all(test(read(t)) for read, test in tests)


def _starts(pattern: list[dict[str, Any]]) -> list[tuple[str, Callable[[Any], bool]]] | None:
    """What a multi-token pattern's first token requires, one (attribute, value test) per key;
    None when some key is not one this module reads (or is an operator such as OP)."""
    out = []
    for key, spec in pattern[0].items():
        test = _value_test(spec) if key in _READERS else None
        if test is None:
            return None
        out.append((key, test))
    return out


def _exact_values(spec: Any) -> tuple[str, ...] | None:
    """The values a spec accepts when it is a plain string or an IN list, else None."""
    if isinstance(spec, str):
        return (spec,)
    if isinstance(spec, dict) and set(spec) == {"IN"}:
        return tuple(spec["IN"])
    return None


class IndexedAttributeRuler(AttributeRuler):
    """spaCy's AttributeRuler with single-token patterns looked up by tag and lower-case form."""

    def __init__(self, vocab: Any, name: str = "attribute_ruler", **kwargs: Any) -> None:
        super().__init__(vocab, name, **kwargs)
        self.clear()

    def clear(self) -> None:
        super().clear()
        self._multi = Matcher(self.vocab, validate=self.validate)
        self._multi_starts: list[list[tuple[str, Callable[[Any], bool]]]] | None = []
        self._by_tag: dict[str, list[tuple[int, Predicate]]] = defaultdict(list)
        self._by_lower: dict[str, list[tuple[int, Predicate]]] = defaultdict(list)
        self._anywhere: list[tuple[int, Predicate]] = []
        self._cache: dict[tuple[str, str, str, bool], dict] = {}

    def add(self, patterns: Iterable[list[dict[str, Any]]], attrs: dict, index: int = 0) -> None:
        patterns = list(patterns)
        attr_id = len(self.attrs)
        self._cache.clear()
        super().add(patterns, attrs, index)  # the full Matcher keeps every pattern, for `patterns` and saving
        tests = [_token_test(p[0]) if len(p) == 1 else None for p in patterns]
        if index not in (0, -1) or any(t is None for t in tests):
            self._multi.add(self.vocab.strings[str(attr_id)], patterns)
            starts = [_starts(p) for p in patterns]
            if self._multi_starts is not None:
                self._multi_starts = None if None in starts else self._multi_starts + starts  # type: ignore[operator]
            return
        for pattern, test in zip(patterns, tests):
            self._index(attr_id, pattern[0], test)

    def _index(self, attr_id: int, token_pattern: dict[str, Any], test: Predicate) -> None:
        for key, table in (("TAG", self._by_tag), ("LOWER", self._by_lower)):
            values = _exact_values(token_pattern.get(key))
            if values is not None:
                for value in values:
                    table[value].append((attr_id, test))
                return
        self._anywhere.append((attr_id, test))

    def __call__(self, doc: Doc) -> Doc:
        try:
            multi = self._multi_matches(doc)
            by_token: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
            for m in multi:  # the token each multi-token rule sets, as spaCy picks it
                by_token[Span(doc, m[2], m[3])[self.indices[m[0]]].i].append(m)
            for token in doc:
                if token.i in by_token:  # rare: all rules in order, as spaCy applies them
                    for attr_id, *_ in sorted([*self._single_matches(token), *by_token[token.i]]):
                        set_token_attrs(token, self.attrs[attr_id])
                else:
                    attrs = self._merged(token)
                    if attrs:
                        set_token_attrs(token, attrs)
            return doc
        except Exception as e:
            return self.get_error_handler()(self.name, self, [doc], e)

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        matches = self._multi_matches(doc)
        for token in doc:
            matches += self._single_matches(token)
        matches.sort()
        return matches

    def _multi_matches(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        if not self._may_start(doc):
            return []
        return [(int(self.vocab.strings[m_id]), m_id, s, e) for m_id, s, e in self._multi(doc, allow_missing=True)]

    def _may_start(self, doc: Doc) -> bool:
        """Whether some multi-token pattern can match: for each attribute its first token tests,
        some token of ``doc`` passes (a necessary condition, checked on the doc's distinct values)."""
        if self._multi_starts is None:
            return True
        if not self._multi_starts:
            return False
        columns = doc.to_array([TAG, LOWER, DEP, IS_SPACE])
        strings = self.vocab.strings
        values = {key: {strings[v] for v in set(columns[:, k].tolist())} for k, key in enumerate(("TAG", "LOWER", "DEP"))}
        values["IS_SPACE"] = {bool(v) for v in set(columns[:, 3].tolist())}
        return any(all(any(map(test, values[key])) for key, test in start) for start in self._multi_starts)

    def _single_matches(self, token: Token) -> list[tuple[int, int, int, int]]:
        strings, i = self.vocab.strings, token.i
        return [
            (attr_id, strings[str(attr_id)], i, i + 1)
            for attr_id, test in (*self._by_tag.get(token.tag_, ()), *self._by_lower.get(token.lower_, ()), *self._anywhere)
            if test(token)
        ]

    def _merged(self, token: Token) -> dict:
        """The attributes all matching single-token rules set, later rules winning (cached by what they read)."""
        key = (token.tag_, token.lower_, token.dep_, token.is_space)
        attrs = self._cache.get(key)
        if attrs is None:
            attrs = {}
            for attr_id, *_ in sorted(self._single_matches(token)):
                attrs.update(self.attrs[attr_id])
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = attrs
        return attrs


@Language.factory(FACTORY)
def make_indexed_attribute_ruler(nlp: Language, name: str) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.vocab, name)


def speed_up(nlp: Language) -> Language:
    """Replace ``nlp``'s attribute ruler (if it has spaCy's own) by an indexed one with the same rules."""
    if "attribute_ruler" not in nlp.pipe_names or type(nlp.get_pipe("attribute_ruler")) is not AttributeRuler:
        return nlp
    patterns = nlp.get_pipe("attribute_ruler").patterns
    ruler = nlp.replace_pipe("attribute_ruler", FACTORY)
    ruler.add_patterns(patterns)
    return nlp
