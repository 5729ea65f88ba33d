"""Write a world to disk so every reader and engine treats it like real data.

Layout of ``out_dir``::

    images/scene_000000.png ...   rendered scenes
    captions.json                 COCO captions format (images with id + file_name, annotations)
    scenes.json                   scene graphs keyed by image id (ground truth for the validator)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from negatives.world.captions import captions
from negatives.world.render import render
from negatives.world.scene import Scene, sample_scenes
from negatives.writers import check_writable, write_json

CAPTIONS_FILE = "captions.json"
SCENES_FILE = "scenes.json"
IMAGES_DIR = "images"


@dataclass(frozen=True)
class WorldFiles:
    root: Path

    @property
    def captions(self) -> Path:
        return self.root / CAPTIONS_FILE

    @property
    def scenes(self) -> Path:
        return self.root / SCENES_FILE

    @property
    def images(self) -> Path:
        return self.root / IMAGES_DIR


def file_name(scene: Scene) -> str:
    return f"scene_{scene.id:06d}.png"


def coco_captions(scenes: list[Scene], size: int, per_image: int, seed: int) -> dict:
    """The COCO captions document for ``scenes`` (annotation ids are consecutive from 1)."""
    images = [{"id": s.id, "file_name": file_name(s), "width": size, "height": size} for s in scenes]
    annotations = []
    for scene in scenes:
        for text in captions(scene, per_image, seed):
            annotations.append({"id": len(annotations) + 1, "image_id": scene.id, "caption": text})
    return {"info": {"description": "negatives built-in scene world", "seed": seed},
            "images": images, "annotations": annotations}


def build_world(
    out_dir: str | Path, n: int, seed: int = 0, size: int = 64, per_image: int = 5, overwrite: bool = False
) -> WorldFiles:
    """Render ``n`` scenes of the world ``seed`` with their captions and scene graphs."""
    files = WorldFiles(Path(out_dir))
    for path in (files.captions, files.scenes):
        check_writable(path, overwrite)
    files.images.mkdir(parents=True, exist_ok=True)
    scenes = sample_scenes(n, seed)
    for scene in scenes:
        render(scene, size).save(files.images / file_name(scene), format="PNG")
    write_json(files.scenes, {"seed": seed, "size": size, "scenes": [s.to_dict() for s in scenes]}, overwrite)
    write_json(files.captions, coco_captions(scenes, size, per_image, seed), overwrite)
    return files


def load_scenes(path: str | Path) -> dict[int, Scene]:
    """Scene graphs from a ``scenes.json`` side file, keyed by image id."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    return {int(d["id"]): Scene.from_dict(d) for d in doc["scenes"]}
