"""Bad images under --image-root, as anchors and as image candidates: each a rejected row with its reason
(a FIFO never blocks, a decompression bomb is never decoded), every other row still read and scored."""

from __future__ import annotations

import os
import random
import struct
import zlib
from pathlib import Path

import pytest
from harness import assert_accounted, rejected, run_cli, snapshot
from PIL import Image

from negatives.images import MAX_IMAGE_BYTES
from negatives.records import Distractor, Record
from negatives.writers import write_records


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width x height`` pixels (a decompression bomb as far as its header goes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    imgs = tmp_path / "imgs"
    imgs.mkdir()
    for i in range(2):
        Image.new("RGB", (8, 8), (60 * i, 90, 120)).save(imgs / f"ok{i}.png")
    (imgs / "bomb.png").write_bytes(png_header(30_000, 30_000))
    noise = Image.frombytes("RGB", (64, 64), random.Random(0).randbytes(64 * 64 * 3))
    noise.save(imgs / "whole.png")
    (imgs / "truncated.png").write_bytes((imgs / "whole.png").read_bytes()[:300])
    (imgs / "text.png").write_text("not an image\n")
    os.mkfifo(imgs / "fifo.png")
    (imgs / "folder.png").mkdir()
    with open(imgs / "huge.png", "wb") as fh:  # sparse: its size, not its bytes, is over the limit
        fh.truncate(MAX_IMAGE_BYTES + 1)
    (tmp_path / "secret.png").write_bytes((imgs / "ok0.png").read_bytes())
    (imgs / "escape.png").symlink_to(tmp_path / "secret.png")
    return imgs


BAD = [
    ("bomb.png", "too large"),
    ("huge.png", "too large"),
    ("truncated.png", "corrupt"),
    ("text.png", "not an image"),
    ("fifo.png", "not a file"),
    ("folder.png", "not a file"),
    ("missing.png", "not found"),
    ("escape.png", "escapes"),
    ("../secret.png", "escapes"),
    ("/etc/passwd", "escapes"),
    ("ok0.png\x00.txt", "NUL byte"),
]


def anchored(image: str) -> Record:
    return Record(f"a-{image}", "image-caption", {"image": image}, "A red square.",
                  [Distractor("A blue square.", "swap", "colour", level=1)])  # fmt: skip


def choosing(image: str) -> Record:
    """A text-to-image item whose image candidate is ``image``."""
    return Record(f"c-{image}", "image-caption", {"text": "A red square."}, "ok0.png",
                  [Distractor(None, "image-neighbours", "retrieve", image=image, level=1)])  # fmt: skip


@pytest.mark.parametrize("as_", ["anchor", "candidate"])
def test_bad_images_are_rejected_rows(root: Path, as_: str) -> None:
    make = anchored if as_ == "anchor" else choosing
    records = [make("ok1.png"), *(make(name) for name, _ in BAD)]
    write_records(root.parent / "set.jsonl", records)
    before = snapshot(root)
    result = run_cli("convert", "set.jsonl", "--out", "o.jsonl", "--image-root", "imgs", "--on-error", "skip", cwd=root.parent)
    assert result.code == 0, result.err
    manifest = assert_accounted(root.parent / "o.jsonl")
    assert manifest["counts"] == {"read": len(records), "written": 1, "rejected": len(BAD)}
    reasons = rejected(root.parent / "o.jsonl")
    assert all(words in reasons[line] for line, (_, words) in enumerate(BAD, start=2)), reasons
    assert snapshot(root) == before


def test_probe_skips_bad_anchors_and_scores_the_rest(root: Path) -> None:
    write_records(root.parent / "set.jsonl", [anchored("ok0.png"), anchored("fifo.png"), anchored("bomb.png"), anchored("ok1.png")])
    args = ("probe", "set.jsonl", "-s", "blind-length", "--out", "r", "--image-root", "imgs", "--on-error", "skip")
    result = run_cli(*args, cwd=root.parent)
    assert result.code == 0, result.err
    assert "over 2 items" in result.out
    reasons = [line for line in (root.parent / "r" / "rejects.jsonl").read_text().splitlines()]
    assert len(reasons) == 2 and "not a file" in reasons[0] and "too large" in reasons[1]


@pytest.mark.parametrize("name,words", [("fifo.png", "not a file"), ("bomb.png", "too large"), ("text.png", "not an image")])
def test_without_an_image_root_a_bad_image_is_one_clear_error_when_scored(root: Path, name: str, words: str) -> None:
    from negatives.errors import InputError
    from negatives.images import load_image

    with pytest.raises(InputError, match=words) as info:
        load_image(root / name)
    assert "--image-root" in str(info.value)
