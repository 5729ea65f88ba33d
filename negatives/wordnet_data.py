"""Make WordNet 3.0 readable by NLTK: NLTK's own data, or Debian's `wordnet-base` files.

NLTK (3.9+) reads corpora only from inside its data roots and refuses symlinks that leave them,
and Debian ships no `lexnames` file. So Debian's files are copied (once, atomically) into an NLTK
data root under `cache_dir()/nltk_data` together with the standard lexnames table, and that root
is appended to `nltk.data.path`. `python -m negatives.wordnet_data` is the set-up step: it also
installs WordNet (apt as root, else `nltk.download`) when neither source is present, and builds
the engines' WordNet index (`negatives.wordnet_index`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from negatives.cache import cache_dir
from negatives.errors import ModelNotAvailable

DEBIAN_PACKAGES = ("wordnet-base", "wordnet-sense-index")
WORDNET_FILES = (
    "cntlist.rev", "index.sense", "index.adj", "index.adv", "index.noun", "index.verb",
    "data.adj", "data.adv", "data.noun", "data.verb", "adj.exc", "adv.exc", "noun.exc", "verb.exc",
)
# WordNet 3.0's lexicographer files, numbered 00..44, each with its syntactic category number.
LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body "
    "noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location "
    "noun.motive noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process "
    "noun.quantity noun.relation noun.shape noun.state noun.substance noun.time verb.body verb.change "
    "verb.cognition verb.communication verb.competition verb.consumption verb.contact verb.creation "
    "verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()
_CATEGORY = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}
HOW_TO_INSTALL = (
    "WordNet is not available. Either install Debian's copy as root "
    f"(`apt-get install {' '.join(DEBIAN_PACKAGES)}`) or NLTK's (`python -m nltk.downloader wordnet`); "
    "`make setup` tries both."
)


def lexnames_text() -> str:
    """The standard WordNet 3.0 `lexnames` file."""
    return "".join(f"{i:02d}\t{name}\t{_CATEGORY[name.split('.')[0]]}\n" for i, name in enumerate(LEXNAMES))


def debian_dir() -> Path:
    """Where Debian's WordNet lives (`$WNSEARCHDIR`, as for WordNet's own tools, or /usr/share/wordnet)."""
    return Path(os.environ.get("WNSEARCHDIR") or "/usr/share/wordnet")


def _nltk_wordnet() -> Path | None:
    import nltk

    try:
        pointer = nltk.data.find("corpora/wordnet")  # also finds corpora/wordnet.zip
    except LookupError:
        return None
    zipped = getattr(pointer, "zipfile", None)
    return Path(zipped.filename if zipped is not None else pointer.path)


def _build_from_debian(root: Path) -> None:
    """Copy Debian's files plus lexnames into `root/corpora/wordnet`, atomically."""
    source = debian_dir()
    missing = [name for name in WORDNET_FILES if not (source / name).is_file()]
    if missing:
        raise ModelNotAvailable(f"{HOW_TO_INSTALL} ({source} lacks {', '.join(missing)})")
    corpora = root / "corpora"
    corpora.mkdir(parents=True, exist_ok=True)
    for directory in (root, corpora):  # NLTK refuses trees that other accounts could write to
        directory.chmod(0o755)
    staging = Path(tempfile.mkdtemp(prefix=".wordnet-", dir=corpora))
    try:
        for name in WORDNET_FILES:
            shutil.copyfile(source / name, staging / name)
        (staging / "lexnames").write_text(lexnames_text(), encoding="ascii")
        for path in staging.iterdir():
            path.chmod(0o644)
        staging.chmod(0o755)
        staging.rename(corpora / "wordnet")
    except OSError:
        if not (corpora / "wordnet" / "lexnames").is_file():  # another process finishing first is fine
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def ensure_wordnet() -> Path:
    """Path of a WordNet that `nltk.data.find("corpora/wordnet")` now finds, building it if needed.

    Order: NLTK's own data; else a data root in `cache_dir()/nltk_data` made from Debian's files
    (appended to `nltk.data.path`); else `ModelNotAvailable` naming both ways to install it.
    """
    import nltk

    found = _nltk_wordnet()
    if found is not None:
        return found
    root = cache_dir() / "nltk_data"
    if not (root / "corpora" / "wordnet" / "lexnames").is_file():
        _build_from_debian(root)
    nltk.data.path.append(str(root))
    found = _nltk_wordnet()
    if found is None:
        raise ModelNotAvailable(f"{HOW_TO_INSTALL} (NLTK did not accept {root})")
    return found


def install() -> None:
    """Install WordNet: Debian's packages when root, else NLTK's download."""
    if os.geteuid() == 0 and shutil.which("apt-get"):
        command = ["apt-get", "install", "-y", *DEBIAN_PACKAGES]
        if subprocess.run(command, check=False).returncode != 0:
            subprocess.run(["apt-get", "update"], check=False)
            subprocess.run(command, check=False)
        if all((debian_dir() / name).is_file() for name in WORDNET_FILES):
            return
    import nltk

    nltk.download("wordnet", quiet=True)
