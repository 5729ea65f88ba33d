"""Image inputs: every bad file gives a reason, never a crash; paths stay inside the image root."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PIL import Image

from negatives import images
from negatives.images import check_image, load_image
from negatives.readers import FieldMap, Reject, read_records


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    base = tmp_path / "images"
    base.mkdir()
    Image.new("RGB", (40, 30), "red").save(base / "ok.png")
    Image.new("RGB", (40, 30), "blue").save(base / "ok.jpg", quality=90)
    (base / "sub").mkdir()
    Image.new("RGB", (8, 8), "green").save(base / "sub" / "deep.png")
    for name in ("ok.png", "ok.jpg"):
        data = (base / name).read_bytes()
        (base / f"truncated{Path(name).suffix}").write_bytes(data[: len(data) // 2])
    (base / "notes.png").write_text("not an image at all")
    (base / "empty.png").write_bytes(b"")
    (tmp_path / "outside.png").write_bytes((base / "ok.png").read_bytes())
    return base


@pytest.mark.parametrize("path", ["ok.png", "ok.jpg", "sub/deep.png", "sub/../ok.png"])
def test_good_images_resolve_inside_root(root: Path, path: str) -> None:
    resolved, reason = check_image(path, root)
    assert reason is None
    assert resolved == (root / path).resolve()


@pytest.mark.parametrize("path, words", [
    ("missing.png", "not found"),
    ("truncated.png", "truncated"),
    ("truncated.jpg", "truncated"),
    ("notes.png", "not an image"),
    ("empty.png", "not an image"),
    ("sub", "not a file"),
    ("", "empty"),
    ("../outside.png", "escapes"),
    ("sub/../../outside.png", "escapes"),
])
def test_bad_images_give_reasons(root: Path, path: str, words: str) -> None:
    resolved, reason = check_image(path, root)
    assert resolved is None
    assert reason is not None and words in reason


def test_absolute_path_outside_root_is_rejected(root: Path) -> None:
    assert "escapes" in check_image(str(root.parent / "outside.png"), root)[1]
    inside = str(root / "ok.png")
    assert check_image(inside, root) == (Path(inside).resolve(), None)


def test_symlink_out_of_root_is_rejected(root: Path) -> None:
    (root / "link.png").symlink_to(root.parent / "outside.png")
    (root / "inner.png").symlink_to(root / "ok.png")
    assert "escapes" in check_image("link.png", root)[1]
    assert check_image("inner.png", root) == ((root / "ok.png").resolve(), None)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file(root: Path) -> None:
    (root / "ok.png").chmod(0)
    try:
        assert "permission" in check_image("ok.png", root)[1]
    finally:
        (root / "ok.png").chmod(0o644)


def test_permission_error_is_a_reason(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(images.Image, "open", refuse)
    resolved, reason = check_image("ok.png", root)
    assert resolved is None and "permission" in reason


def test_load_image_is_rgb(root: Path) -> None:
    Image.new("L", (5, 5), 128).save(root / "grey.png")
    image = load_image(root / "grey.png")
    assert image.mode == "RGB" and image.size == (5, 5)


def test_reader_rejects_bad_rows_with_their_line(root: Path, tmp_path: Path) -> None:
    rows = [
        {"id": "a", "text": "a red picture", "image": "ok.png"},
        {"id": "b", "text": "a missing picture", "image": "missing.png"},
        {"id": "c", "text": "a broken picture", "image": "truncated.png"},
        {"id": "d", "text": "an escaping picture", "image": "../outside.png"},
    ]
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = list(read_records(path, fmt="jsonl", fields=FieldMap(text="text", image="image"), image_root=root))
    assert [type(x).__name__ for x in out] == ["Record", "Reject", "Reject", "Reject"]
    assert [x.line for x in out if isinstance(x, Reject)] == [2, 3, 4]
    assert "not found" in out[1].reason and "truncated" in out[2].reason and "escapes" in out[3].reason
