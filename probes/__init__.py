"""probes: measure how a model's discrimination accuracy falls as distractors get harder.

``evaluate(records, {"name": scorer})`` scores records with any scorer (a callable
``f(anchor, candidates) -> scores`` or a built-in from :func:`probes.scorers.build_scorer`) and
returns metrics with 95% intervals; :func:`probes.api.write_outputs` writes the report and figure.
"""

from probes.api import evaluate, probe_file, write_outputs
from probes.runner import run_scorer
from probes.scorers import build_scorer, build_scorers

__all__ = ["build_scorer", "build_scorers", "evaluate", "probe_file", "run_scorer", "write_outputs"]
