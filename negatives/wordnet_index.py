"""A compact index of WordNet's nouns and verbs: what the engines ask of WordNet, loaded in a
fraction of a second.

NLTK's reader takes seconds to import and open, and builds a Python object for every synset it
touches. The index keeps, per noun and verb synset (an int): its lexicographer file, its lemma
names in order with their SemCor counts and verb frames, its hypernyms, instance hypernyms and
hyponyms (sorted), and for verbs its gloss; per lemma, its synsets in WordNet's order; and NLTK's exception lists and
suffix rules, so `synsets()` answers exactly as NLTK's does. It is built once from NLTK's reader
(over NLTK's data or Debian's WordNet, see `negatives.wordnet_data`), saved atomically under
`cache_dir()/wordnet/`, and rebuilt when a file it was built from changes or vanishes.
`python -m negatives.wordnet_data` builds it at set-up, so runs never import NLTK.
"""

from __future__ import annotations

import functools
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

from negatives import models
from negatives.cache import cache_dir, record_model
from negatives.errors import ModelNotAvailable

FORMAT = 2
"""Version of the tables' layout; a cached index of another version is rebuilt."""
POS = ("n", "v")


class WordNetIndex:
    """WordNet's nouns and verbs as tables indexed by synset id."""

    def __init__(self, tables: dict[str, Any]) -> None:
        self._lexnames: list[str] = tables["lexnames"]
        self._lemmas: list[tuple[str, ...]] = tables["lemmas"]
        self._counts: list[tuple[int, ...]] = tables["counts"]
        self._frames: list[tuple[tuple[int, ...], ...]] = tables["frames"]
        self._hypernyms: list[tuple[int, ...]] = tables["hypernyms"]
        self._instance_hypernyms: list[tuple[int, ...]] = tables["instance_hypernyms"]
        self._hyponyms: list[tuple[int, ...]] = tables["hyponyms"]
        self._glosses: list[str] = tables["glosses"]
        self._words: dict[str, dict[str, tuple[int, ...]]] = tables["words"]
        self._exceptions: dict[str, dict[str, tuple[str, ...]]] = tables["exceptions"]
        self._suffixes: dict[str, tuple[tuple[str, str], ...]] = tables["suffixes"]
        self._synsets: dict[tuple[str, str], tuple[int, ...]] = {}
        self._closures: dict[int, frozenset[int]] = {}

    def synsets(self, lemma: str, pos: str) -> tuple[int, ...]:
        """The synsets of ``lemma`` (underscores between words) as NLTK's ``synsets(lemma, pos)``
        lists them: lower-cased, each base form found by its morphology in turn, in WordNet's order."""
        found = self._synsets.get((lemma, pos))
        if found is None:
            words = self._words[pos]
            found = tuple(s for form in self._base_forms(lemma.lower(), pos) for s in words[form])
            self._synsets[lemma, pos] = found
        return found

    def _base_forms(self, form: str, pos: str) -> list[str]:
        """NLTK's ``_morphy``: the form itself and its exception-list bases (else its forms with one
        suffix rule applied), those WordNet knows, without repeats."""
        bases = self._exceptions[pos].get(form)
        if bases is None:
            bases = tuple(form[: -len(old)] + new for old, new in self._suffixes[pos] if form.endswith(old))
        words = self._words[pos]
        return list(dict.fromkeys(f for f in (form, *bases) if f in words))

    def synset(self, name: str) -> int:
        """The synset called ``name`` ("dog.n.01": the lemma's first sense), as NLTK's ``synset``."""
        lemma, pos, number = name.lower().rsplit(".", 2)
        return self._words[pos][lemma][int(number) - 1]

    def lexname(self, synset: int) -> str:
        """The lexicographer file of ``synset`` ("noun.animal")."""
        return self._lexnames[synset]

    def lemma_names(self, synset: int) -> tuple[str, ...]:
        """The lemma names of ``synset`` in WordNet's order ("dog", "domestic_dog", ...)."""
        return self._lemmas[synset]

    def lemma_counts(self, synset: int) -> tuple[int, ...]:
        """SemCor tag counts (``cntlist.rev``) of the lemmas of ``synset``, in ``lemma_names`` order."""
        return self._counts[synset]

    def frame_ids(self, synset: int) -> tuple[tuple[int, ...], ...]:
        """Verb frame ids of each lemma of ``synset``, in ``lemma_names`` order (empty for nouns)."""
        return self._frames[synset]

    def hypernyms(self, synset: int) -> tuple[int, ...]:
        return self._hypernyms[synset]

    def instance_hypernyms(self, synset: int) -> tuple[int, ...]:
        return self._instance_hypernyms[synset]

    def hyponyms(self, synset: int) -> tuple[int, ...]:
        return self._hyponyms[synset]

    def gloss(self, synset: int) -> str:
        """The definition of a verb synset ("" for nouns)."""
        return self._glosses[synset]

    def hypernym_closure(self, synset: int) -> frozenset[int]:
        """Every synset above ``synset`` through hypernyms and instance hypernyms (not itself)."""
        closure = self._closures.get(synset)
        if closure is None:
            seen: set[int] = set()
            todo = [synset]
            while todo:
                s = todo.pop()
                for parent in self._hypernyms[s] + self._instance_hypernyms[s]:
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            closure = self._closures[synset] = frozenset(seen - {synset})
        return closure


def build(reader: Any) -> dict[str, Any]:
    """The index tables from an NLTK ``WordNetCorpusReader``."""
    counts = {}
    with reader.open("cntlist.rev") as fh:
        for line in fh:
            key, _, n = line.split()
            counts[key] = int(n)
    synsets = [s for pos in POS for s in reader.all_synsets(pos)]
    ids = {(s.pos(), s.offset()): i for i, s in enumerate(synsets)}

    def refs(related: list[Any]) -> tuple[int, ...]:
        return tuple(sorted(ids[s.pos(), s.offset()] for s in related))

    intern = sys.intern  # one string object per distinct name keeps the file and the load small
    offsets = reader._lemma_pos_offset_map  # NLTK keeps the lemma index and exceptions private
    return {
        "lexnames": [intern(s.lexname()) for s in synsets],
        "lemmas": [tuple(intern(lem.name()) for lem in s.lemmas()) for s in synsets],
        "counts": [tuple(counts.get(lem.key(), 0) for lem in s.lemmas()) for s in synsets],
        "frames": [tuple(tuple(lem.frame_ids()) for lem in s.lemmas()) if s.pos() == "v" else () for s in synsets],
        "hypernyms": [refs(s.hypernyms()) for s in synsets],
        "instance_hypernyms": [refs(s.instance_hypernyms()) for s in synsets],
        "hyponyms": [refs(s.hyponyms()) for s in synsets],
        "glosses": [s.definition() if s.pos() == "v" else "" for s in synsets],
        "words": {
            pos: {
                intern(lemma): tuple(ids[pos, o] for o in senses[pos]) for lemma, senses in offsets.items() if pos in senses
            }
            for pos in POS
        },
        "exceptions": {pos: {form: tuple(bases) for form, bases in reader._exception_map[pos].items()} for pos in POS},
        "suffixes": {pos: tuple(map(tuple, reader.MORPHOLOGICAL_SUBSTITUTIONS[pos])) for pos in POS},
    }


def index_path() -> Path:
    """Where the index is cached."""
    return cache_dir() / "wordnet" / f"index-{FORMAT}.pickle"


def _signature(files: list[str]) -> list[tuple[str, int, int]]:
    return [(f, st.st_size, st.st_mtime_ns) for f in files for st in [os.stat(f)]]


def _source_files(root: Path) -> list[str]:
    """The WordNet files (a directory's files, or NLTK's zip) and NLTK's reader module."""
    from nltk.corpus.reader import wordnet as nltk_wordnet

    files = sorted(str(p) for p in root.iterdir() if p.is_file()) if root.is_dir() else [str(root)]
    return [*files, nltk_wordnet.__file__]


class _DataOnly(pickle.Unpickler):
    """An unpickler for plain data: the index is only lists, tuples, dicts, strings and numbers, so
    any reference to a class or function (how a pickle runs code) is refused."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"the WordNet index holds only plain data, not {module}.{name}")


def _read(path: Path) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(header, tables) of a cached index still matching its source files, else None (also when
    the file is not plain data)."""
    try:
        with path.open("rb") as fh:
            header = _DataOnly(fh).load()  # two pickles, each with its own memo: one unpickler each
            if header["signature"] != _signature([f for f, _, _ in header["signature"]]):
                return None
            return header, _DataOnly(fh).load()
    except (OSError, EOFError, KeyError, TypeError, ValueError, pickle.UnpicklingError):
        return None


def _write(path: Path, header: dict[str, Any], tables: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(header, fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(tables, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@functools.lru_cache(maxsize=1)
def load() -> WordNetIndex:
    """The WordNet index, from the cache when its source files are unchanged, else built from
    NLTK's reader and cached. Records WordNet for run manifests as `models.wordnet()` does."""
    path = index_path()
    cached = _read(path)
    if cached is None:
        import nltk

        from negatives.wordnet_data import ensure_wordnet

        root = ensure_wordnet()
        reader = models.wordnet()
        header = {
            "version": reader.get_version(), "path": str(root), "nltk": nltk.__version__,
            "signature": _signature(_source_files(root)),
        }
        tables = build(reader)
        _write(path, header, tables)
    else:
        header, tables = cached
    record_model("wordnet", "wordnet", version=header["version"], path=header["path"], nltk=header["nltk"])
    return WordNetIndex(tables)


def main() -> int:
    """Set-up entry point (``python -m negatives.wordnet_index``): make WordNet available, installing
    it if needed, and build its index; 0 on success."""
    from negatives.wordnet_data import ensure_wordnet, install

    try:
        path = ensure_wordnet()
    except ModelNotAvailable:
        install()
        try:
            path = ensure_wordnet()
        except ModelNotAvailable as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    load()
    print(f"WordNet ready: {path}; index: {index_path()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
