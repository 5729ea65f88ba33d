"""The shipped reference: compositions, word trigrams and alternate names of real image captions.

Built once, offline, from COCO val2017 captions (CC BY 4.0) of the images SugarCrepe does *not*
use, so SugarCrepe-based evaluations of this toolkit stay held out; shipped as
``negatives/data/reference.json.gz`` and read once per process. Every run adds its own input's
counts to it (:mod:`negatives.plausibility`), so a corpus of another domain speaks for itself.

    python -m negatives.plausibility.reference --coco captions_val2017.json \\
        --exclude ../shared/data/sugarcrepe --out negatives/data/reference.json.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from negatives.plausibility.compositions import CompositionCounts, noun_key
from negatives.plausibility.alternates import Alternates
from negatives.plausibility.ngram import TrigramCounts

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference.json.gz"


class Reference:
    """Composition, trigram and alternate-name counts with a description of where they came from."""

    def __init__(
        self, compositions: CompositionCounts, trigrams: TrigramCounts, source: dict[str, Any],
        alternates: Alternates | None = None,
    ) -> None:
        self.compositions = compositions
        self.trigrams = trigrams
        self.alternates = alternates or Alternates()
        self.source = source

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "compositions": self.compositions.to_rows(), "trigrams": self.trigrams.to_rows(),
                "alternates": self.alternates.to_rows()}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Reference:
        return cls(CompositionCounts.from_rows(d["compositions"]), TrigramCounts.from_rows(d["trigrams"]), d["source"],
                   Alternates.from_rows(d.get("alternates", [])))


def build(captions: list[str], nlp: Any, source: dict[str, Any], batch_size: int = 512,
          images: list[str] | None = None) -> Reference:
    """Parse ``captions`` once and count their compositions and trigrams; with ``images`` (the image
    of each caption), also the nouns the captions of one image use for one thing (:class:`Alternates`)."""
    from negatives.analysis import analyze

    compositions, trigrams = CompositionCounts(), TrigramCounts()
    nouns: dict[str, list[set[str]]] = {}
    for k in range(0, len(captions), batch_size):
        batch = captions[k : k + batch_size]
        for j, (text, parsed) in enumerate(zip(batch, analyze(batch, nlp, batch_size))):
            compositions.observe(parsed)
            trigrams.observe(text)
            if images is not None:
                nouns.setdefault(images[k + j], []).append({noun_key(np) for np in parsed.nps})
    alternates = Alternates()
    for image in sorted(nouns):
        alternates.observe(nouns[image])
    return Reference(compositions, trigrams, {**source, "captions": len(captions)}, alternates)


@lru_cache(maxsize=1)
def reference() -> Reference:
    """The shipped reference (empty when the data file is missing, e.g. in a source checkout
    where it was never built)."""
    if not REFERENCE.is_file():
        return Reference(CompositionCounts(), TrigramCounts(), {"name": None})
    with gzip.open(REFERENCE, "rt", encoding="utf-8") as fh:
        return Reference.from_json(json.load(fh))


def _held_out_images(sugarcrepe: Path) -> set[str]:
    names: set[str] = set()
    for path in sorted(sugarcrepe.glob("*.json")):
        names.update(item["filename"] for item in json.loads(path.read_text()).values())
    return names


def main() -> None:
    ap = argparse.ArgumentParser(description="Build the shipped reference from COCO captions.")
    ap.add_argument("--coco", type=Path, required=True, help="COCO captions JSON (captions_val2017.json)")
    ap.add_argument("--exclude", type=Path, help="SugarCrepe data folder: its images' captions are left out")
    ap.add_argument("--out", type=Path, default=REFERENCE)
    args = ap.parse_args()

    from negatives import models
    from negatives.writers import atomic_open

    coco = json.loads(args.coco.read_text())
    held_out = _held_out_images(args.exclude) if args.exclude else set()
    files = {im["id"]: im["file_name"] for im in coco["images"]}
    pairs = sorted((a["caption"].strip(), files[a["image_id"]]) for a in coco["annotations"]
                   if files[a["image_id"]] not in held_out)
    captions = [c for c, _ in pairs]
    source = {
        "name": "COCO val2017 captions (CC BY 4.0)", "file": args.coco.name,
        "excluded": "images used by SugarCrepe" if held_out else None,
        "images": len(set(files.values()) - held_out),
    }
    ref = build(captions, models.load_spacy(ner=False), source, images=[image for _, image in pairs])
    with atomic_open(args.out, overwrite=True, mode="wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(json.dumps(ref.to_json(), separators=(",", ":")).encode())
    print(f"{args.out}: {len(captions)} captions, {len(ref.compositions)} compositions, {len(ref.trigrams)} trigrams")


if __name__ == "__main__":
    main()
