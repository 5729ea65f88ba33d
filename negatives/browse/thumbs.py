"""Image thumbnails for the site: each image made once, small, as JPEG inside the site folder.

Only images the reader resolved and checked inside ``--image-root`` reach here (the reader refuses
any other path), and they are opened within the byte and pixel limits of :mod:`negatives.images`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from negatives.errors import InputError

THUMB_PIXELS = 224  # longest side
THUMB_QUALITY = 82
FOLDER = "thumbs"


class Thumbnails:
    """Thumbnails written into ``site / thumbs``; calling it with an image path gives the thumbnail's
    path relative to the site (the same image always the same file)."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.made: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        rel = self.made.get(path)
        if rel is None:
            rel = f"{FOLDER}/{hashlib.sha256(path.encode()).hexdigest()[:20]}.jpg"
            _thumbnail(path, self.site / rel)
            self.made[path] = rel
        return rel


def _thumbnail(source: str, target: Path) -> None:
    from negatives.images import open_image  # PIL: only when there are images

    target.parent.mkdir(exist_ok=True)
    try:
        with open_image(source) as image:
            image.draft("RGB", (THUMB_PIXELS, THUMB_PIXELS))  # JPEG: decode at a fraction of the size
            small = image.convert("RGB")
    except (OSError, SyntaxError, ValueError) as exc:  # ImageProblem is a ValueError
        raise InputError(f"cannot make a thumbnail of {source!r}: {exc} (changed since the set was read?)") from exc
    small.thumbnail((THUMB_PIXELS, THUMB_PIXELS))
    small.save(target, format="JPEG", quality=THUMB_QUALITY, optimize=True)
