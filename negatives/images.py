"""Image inputs: resolve a row's image path inside the image root and check the file is a whole image.

``check_image`` never raises for a bad file: it returns a reason string that the reader turns into a
per-row rejection.  Images are only decoded when a row is checked or scored (``load_image``), never
all at once.
"""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image, UnidentifiedImageError

CHECK_SIZE = (64, 64)  # JPEG draft size used while checking: decodes the whole stream, cheaply


def resolve_in_root(path: str, root: Path) -> tuple[Path | None, str | None]:
    """The real path of ``path`` (relative to ``root``, or absolute) if it stays inside ``root``."""
    if not path or not path.strip():
        return None, "empty image path"
    real_root = Path(root).resolve()
    candidate = Path(path) if os.path.isabs(path) else real_root / path
    resolved = candidate.resolve()
    if not resolved.is_relative_to(real_root):
        return None, f"image path escapes the image root {str(root)!r}: {path!r}"
    return resolved, None


def check_image(path: str, root: Path) -> tuple[Path | None, str | None]:
    """(resolved path, None) for a readable, complete image inside ``root``; else (None, reason)."""
    resolved, reason = resolve_in_root(path, root)
    if resolved is None:
        return None, reason
    if not resolved.exists():
        return None, f"image not found: {path!r}"
    if not resolved.is_file():
        return None, f"image path is not a file: {path!r}"
    try:
        with Image.open(resolved) as image:
            image.draft("RGB", CHECK_SIZE)
            image.load()
    except PermissionError:
        return None, f"image unreadable (permission denied): {path!r}"
    except UnidentifiedImageError:
        return None, f"not an image file: {path!r}"
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt data
        return None, f"truncated or corrupt image {path!r}: {exc}"
    return resolved, None


def load_image(path: str | Path) -> Image.Image:
    """Decode one image as RGB (for scoring)."""
    with Image.open(path) as image:
        return image.convert("RGB")
