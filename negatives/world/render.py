"""Render a scene graph to an RGB image with Pillow: jittered colours, pixel noise, anti-aliasing."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw

from negatives.world.scene import Item, Scene

RGB = {
    "red": (215, 40, 40),
    "green": (40, 160, 60),
    "blue": (45, 85, 215),
    "yellow": (225, 205, 35),
    "purple": (135, 60, 175),
    "orange": (240, 135, 30),
}
SUPERSAMPLE = 4
COLOUR_JITTER = 18
NOISE_SD = 9.0


def _polygon(item: Item, side: int) -> list[tuple[float, float]]:
    """Vertices of a (non-circle) shape in pixels, rotated by the item's angle."""
    cx, cy, r = item.x * side, item.y * side, item.radius * side
    if item.shape == "square":
        points = [(r * 0.8 * sx, r * 0.8 * sy) for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))]
    elif item.shape == "diamond":
        points = [(0, -r), (r * 0.75, 0), (0, r), (-r * 0.75, 0)]
    elif item.shape == "triangle":
        points = [(r * math.cos(a), r * math.sin(a)) for a in (-math.pi / 2, math.pi / 6, 5 * math.pi / 6)]
        points = [(x, y + r * 0.15) for x, y in points]
    elif item.shape == "star":
        points = [
            ((r if k % 2 == 0 else r * 0.45) * math.cos(-math.pi / 2 + k * math.pi / 5),
             (r if k % 2 == 0 else r * 0.45) * math.sin(-math.pi / 2 + k * math.pi / 5))
            for k in range(10)
        ]
    else:
        raise ValueError(f"unknown shape {item.shape!r}")
    a = math.radians(item.angle)
    return [(cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a)) for x, y in points]


def render(scene: Scene, size: int = 64, noise: bool = True) -> Image.Image:
    """Draw ``scene`` as a ``size`` x ``size`` RGB image; the scene's seed fixes every random choice."""
    rng = np.random.default_rng(scene.seed)
    side = size * SUPERSAMPLE
    canvas = Image.new("RGB", (side, side), scene.background)
    draw = ImageDraw.Draw(canvas)
    for item in scene.items:
        base = np.array(RGB[item.colour])
        fill = tuple(int(v) for v in np.clip(base + rng.integers(-COLOUR_JITTER, COLOUR_JITTER + 1, 3), 0, 255))
        if item.shape == "circle":
            cx, cy, r = item.x * side, item.y * side, item.radius * side * 0.9
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)
        else:
            draw.polygon(_polygon(item, side), fill=fill)
    image = canvas.resize((size, size), Image.Resampling.LANCZOS)
    if not noise:
        return image
    pixels = np.asarray(image, dtype=np.float32)
    shade = rng.normal(0.0, NOISE_SD, pixels.shape[:2])[..., None]  # luminance noise
    tint = rng.normal(0.0, NOISE_SD / 2, pixels.shape)  # chroma noise
    return Image.fromarray(np.clip(pixels + shade + tint, 0, 255).astype(np.uint8), "RGB")
