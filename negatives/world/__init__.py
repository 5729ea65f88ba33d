"""The built-in scene world: seeded scene graphs, Pillow rendering, captions and a ground-truth validator."""
