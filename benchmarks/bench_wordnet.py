"""WordNet lookups: the compact index (``negatives.wordnet_index``) against NLTK's reader.

    python benchmarks/bench_wordnet.py [PATH] [--old-rev REV] [--limit N] [--repeat R]

PATH defaults to ../shared/data/coco/captions_val2017.json (skips cleanly when absent). The
vocabulary is every distinct noun and verb lemma of the captions (lower-cased words, lemmatised
by lemminflect) plus every "word noun" bigram. Two fresh subprocesses answer, for every one of
them, ``sister_terms`` (nouns; verbs transitive True, False and None), ``noun_lexname`` (lemmas
and bigrams) and ``in_classes`` (lemmas and their sister terms, both class lists): one with
``negatives/engines/lexical.py`` of ``--old-rev`` (the last revision that queried NLTK's reader,
imported under another name), one with the working tree's (the index). It prints how many
answers differ (target 0) and the cold time of each (import, WordNet load and all lookups, in
the subprocess; also up to the first answer, which is what a small run pays), wall and CPU, and
their ratios. The index is built before timing, as set-up does.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "coco" / "captions_val2017.json"
OLD_REV = "b562c2a6737052c4daa4b535919eb52aa6da35db"  # lexical.py's last revision on NLTK's reader


def vocabulary(path: Path, limit: int | None) -> dict[str, list[str]]:
    """Distinct noun lemmas, verb lemmas and "word noun" bigrams of the captions, sorted."""
    from lemminflect import getAllLemmas

    captions = [a["caption"] for a in json.loads(path.read_text())["annotations"]][:limit]
    nouns: set[str] = set()
    verbs: set[str] = set()
    bigrams: set[str] = set()
    for caption in captions:
        words = re.findall(r"[a-z]+", caption.lower())
        for i, word in enumerate(words):
            lemmas = getAllLemmas(word)
            nouns.update(lemmas.get("NOUN", ()))
            verbs.update(lemmas.get("VERB", ()))
            if i:
                bigrams.update(f"{words[i - 1]} {noun}" for noun in lemmas.get("NOUN", ()))
    return {"nouns": sorted(nouns), "verbs": sorted(verbs), "bigrams": sorted(bigrams)}


def load_module(module_path: Path) -> ModuleType:
    """The lexical module at ``module_path``, imported under a name of its own, with WordNet loaded."""
    spec = importlib.util.spec_from_file_location("lexical_under_test", module_path)
    lex = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lex)
    lex.noun_lexname("dog")
    return lex


def answers(lex: ModuleType, vocab: dict[str, list[str]]) -> dict[str, object]:
    """Every lookup of the vocabulary through the lexical module ``lex``."""
    from negatives.lexicon import CROSS_CLASSES, JUVENILE_CLASSES

    out: dict[str, object] = {}
    sisters: set[str] = set()
    for noun in vocab["nouns"]:
        out[f"sister_terms n {noun}"] = found = lex.sister_terms(noun, "n")
        sisters.update(found)
        out[f"noun_lexname {noun}"] = lex.noun_lexname(noun)
    for verb in vocab["verbs"]:
        for transitive in (True, False, None):
            out[f"sister_terms v {transitive} {verb}"] = lex.sister_terms(verb, "v", transitive)
    for bigram in vocab["bigrams"]:
        out[f"noun_lexname {bigram}"] = lex.noun_lexname(bigram)
    for noun in sorted(sisters.union(vocab["nouns"])):
        for name, classes in (("cross", CROSS_CLASSES), ("juvenile", JUVENILE_CLASSES)):
            out[f"in_classes {name} {noun}"] = lex.in_classes(noun, classes)
    return out


def worker(module_path: Path, vocab_path: Path, out_path: Path) -> None:
    vocab = json.loads(vocab_path.read_text())
    wall, cpu = time.perf_counter(), time.process_time()
    lex = load_module(module_path)
    load_wall, load_cpu = time.perf_counter() - wall, time.process_time() - cpu
    out = answers(lex, vocab)
    timing = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "load wall": load_wall,
              "load cpu": load_cpu}
    out_path.write_text(json.dumps({"timing": timing, "answers": out}))


def run(module_path: Path, vocab_path: Path, tmp: Path) -> dict:
    out_path = tmp / "out.json"
    subprocess.run([sys.executable, __file__, "--worker", str(module_path), str(vocab_path), str(out_path)], check=True)
    return json.loads(out_path.read_text())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--old-rev", default=OLD_REV, help="git revision of the NLTK-based lexical.py")
    ap.add_argument("--limit", type=int, default=None, help="use the first N captions")
    ap.add_argument("--repeat", type=int, default=1, help="timed runs of each, alternating")
    ap.add_argument("--worker", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    if not args.path.is_file():
        print(f"skip: {args.path} not found")
        return

    from negatives import wordnet_index

    wordnet_index.load()  # set-up builds the index once; the timed runs load it
    vocab = vocabulary(args.path, args.limit)
    print(f"vocabulary: {len(vocab['nouns'])} noun lemmas, {len(vocab['verbs'])} verb lemmas, "
          f"{len(vocab['bigrams'])} bigrams")
    show = ["git", "show", f"{args.old_rev}:negatives/engines/lexical.py"]
    old_source = subprocess.run(show, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "lexical_old.py").write_text(old_source)
        (tmp / "vocab.json").write_text(json.dumps(vocab))
        modules = {"nltk": tmp / "lexical_old.py", "index": ROOT / "negatives" / "engines" / "lexical.py"}
        runs: dict[str, list[dict]] = {name: [] for name in modules}
        for _ in range(args.repeat):
            for name, module_path in modules.items():
                runs[name].append(run(module_path, tmp / "vocab.json", tmp))

    old, new = runs["nltk"][0]["answers"], runs["index"][0]["answers"]
    differ = sorted(key for key in old.keys() | new.keys() if old.get(key, "missing") != new.get(key, "missing"))
    by_function: dict[str, int] = {}
    for key in old:
        by_function[key.split()[0]] = by_function.get(key.split()[0], 0) + 1
    print(f"answers compared: {len(old)} ({', '.join(f'{k} {v}' for k, v in sorted(by_function.items()))})")
    print(f"answers that differ: {len(differ)}")
    for key in differ[:20]:
        print(f"  {key}: nltk {old.get(key, 'missing')!r} / index {new.get(key, 'missing')!r}")
    best = {name: {kind: min(r["timing"][kind] for r in rs) for kind in rs[0]["timing"]} for name, rs in runs.items()}
    for name, t in best.items():
        print(f"cold {name:5s}: import + WordNet load {t['load wall']:6.2f} s wall {t['load cpu']:6.2f} s cpu;"
              f" with all lookups {t['wall']:7.2f} s wall {t['cpu']:7.2f} s cpu")
    for kind in ("load wall", "load cpu", "wall", "cpu"):
        print(f"speed-up (nltk / index), {kind}: {best['nltk'][kind] / best['index'][kind]:.1f}x")


if __name__ == "__main__":
    main()
