"""Image inputs: resolve a row's image path inside the image root and check the file is a whole image.

``check_image`` never raises for a bad file: it returns a reason string that the reader turns into a
per-row rejection. Only regular files are opened (a FIFO or a device would block or never end), and
only up to :data:`MAX_IMAGE_BYTES` bytes and :data:`MAX_IMAGE_PIXELS` pixels, checked from the header
before any decoding (a decompression bomb is a rejected row, not a crashed run). Images are only
decoded when a row is checked or scored (``load_image``), never all at once.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from negatives.errors import InputError

CHECK_SIZE = (64, 64)  # JPEG draft size used while checking: decodes the whole stream, cheaply
MAX_IMAGE_BYTES = 64 << 20
MAX_IMAGE_PIXELS = 50_000_000  # about 7,000 x 7,000


class ImageProblem(ValueError):
    """Why an image file cannot be used."""


def resolve_in_root(path: str, root: Path) -> tuple[Path | None, str | None]:
    """The real path of ``path`` (relative to ``root``, or absolute) if it stays inside ``root``."""
    if not path or not path.strip():
        return None, "empty image path"
    if "\x00" in path:
        return None, f"image path contains a NUL byte: {path!r}"
    real_root = Path(root).resolve()
    candidate = Path(path) if os.path.isabs(path) else real_root / path
    resolved = candidate.resolve()
    if not resolved.is_relative_to(real_root):
        return None, f"image path escapes the image root {str(root)!r}: {path!r}"
    return resolved, None


@contextmanager
def open_image(path: str | Path) -> Iterator[Image.Image]:
    """An image opened from a regular file within the byte and pixel limits (header read only);
    :class:`ImageProblem` says why not."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # a FIFO opens without blocking
    except FileNotFoundError as exc:
        raise ImageProblem(f"image not found: {str(path)!r}") from exc
    except PermissionError as exc:
        raise ImageProblem(f"image unreadable (permission denied): {str(path)!r}") from exc
    except (OSError, ValueError) as exc:
        raise ImageProblem(f"image cannot be opened: {str(path)!r}: {exc}") from exc
    info = os.fstat(fd)
    problem = None
    if not stat.S_ISREG(info.st_mode):
        problem = f"image path is not a file (a folder, FIFO or device): {str(path)!r}"
    elif info.st_size > MAX_IMAGE_BYTES:
        problem = f"image file too large ({info.st_size} bytes > {MAX_IMAGE_BYTES}): {str(path)!r}"
    if problem:
        os.close(fd)
        raise ImageProblem(problem)
    with os.fdopen(fd, "rb") as fh:
        try:
            image = Image.open(fh)
        except UnidentifiedImageError as exc:
            raise ImageProblem(f"not an image file: {str(path)!r}") from exc
        except Image.DecompressionBombError as exc:
            raise ImageProblem(f"image too large (a decompression bomb?): {str(path)!r}: {exc}") from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise ImageProblem(f"truncated or corrupt image {str(path)!r}: {exc}") from exc
        with image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ImageProblem(f"image too large ({width} x {height} pixels > {MAX_IMAGE_PIXELS}): {str(path)!r}")
            yield image


def check_image(path: str, root: Path) -> tuple[Path | None, str | None]:
    """(resolved path, None) for a readable, complete image inside ``root``; else (None, reason)."""
    resolved, reason = resolve_in_root(path, root)
    if resolved is None:
        return None, reason
    try:
        with open_image(resolved) as image:
            image.draft("RGB", CHECK_SIZE)
            image.load()
    except ImageProblem as exc:
        return None, str(exc)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:  # truncated or corrupt data
        return None, f"truncated or corrupt image {path!r}: {exc}"
    return resolved, None


def load_image(path: str | Path) -> Image.Image:
    """Decode one image as RGB (for scoring); a file that is no usable image is an :class:`InputError`."""
    try:
        with open_image(path) as image:
            return image.convert("RGB")
    except ImageProblem as exc:
        raise InputError(f"{exc}; pass --image-root to check every image when the set is read") from exc
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise InputError(f"truncated or corrupt image {str(path)!r}: {exc}") from exc
