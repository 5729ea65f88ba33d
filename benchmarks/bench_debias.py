"""What `--debias` costs: `negatives generate --debias` vs the same run without it, side by side.

    .venv/bin/python benchmarks/bench_debias.py [PATH] [--limit 1000]

PATH defaults to ../shared/data/coco/captions_val2017.json (skips cleanly when absent). In one run,
each a fresh process on the first ``--limit`` captions: generate without --debias, generate --debias
with an empty LM score cache (a first run), and generate --debias again on that cache (a second run
of the same data). Printed: the seconds of each, the ratios to the plain run (target: the first
run <= 3x), the stage timings of the debiased runs and the load average.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from bench_generate_cli import CLI, arguments, timed


def main() -> None:
    parsed = arguments(__doc__, 1000)
    if parsed is None:
        return
    args, _ = parsed
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        env = {**os.environ, "NEGATIVES_LM_CACHE": str(work / "lm-scores")}
        seconds: dict[str, float] = {}
        for label, extra in (("plain", []), ("debias, cold LM cache", ["--debias"]), ("debias, warm LM cache", ["--debias"])):
            out = work / f"{label.split(',')[0]}.jsonl"
            command = [CLI, "generate", str(args.path), "--format", "coco", "--limit", str(args.limit), "--out", str(out),
                       "--overwrite", *extra]
            seconds[label] = timed(command, env, work / "log.txt")[0]
            timings = json.loads(Path(f"{out}.manifest.json").read_text()).get("timings", {})
            ratio = f"  {seconds[label] / seconds['plain']:.1f}x the plain run" if label != "plain" else ""
            stages = ", ".join(f"{k} {v:.0f} s" for k, v in timings.items() if k != "total" and v >= 0.5)
            print(f"{label:<22} {seconds[label]:7.1f} s{ratio}   ({stages})", flush=True)
    print(f"target: debias with a cold cache <= 3x the plain run: {'met' if seconds['debias, cold LM cache'] <= 3 * seconds['plain'] else 'NOT met'}")
    print(f"load average (1, 5, 15 min) at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
