"""negatives: graded-difficulty adversarial hard negatives, and probes that measure where models break."""

__version__ = "0.1.0"
