"""``sweep.png`` / ``sweep.svg``: accuracy vs difficulty level per scorer, with 95% bands and chance.

``panels="engine"`` draws one panel per engine (the (engine, level) groups), ``"all"`` one panel of
the level groups. A set without integer levels (e.g. imported SugarCrepe) is drawn by op instead:
points with interval bars per scorer. Uses matplotlib's object API (no pyplot, no GUI backend).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from negatives.writers import atomic_open

PANELS = ("engine", "all")


def _series(rows: list[dict[str, Any]]) -> tuple[list[float], ...]:
    pts = sorted((r["level"], r["accuracy"], r["lo"], r["hi"], r["chance"]) for r in rows if r.get("level") is not None and r["n"])
    return tuple(list(col) for col in zip(*pts)) if pts else ([], [], [], [], [])


def _err(acc: list[float], lo: list[float], hi: list[float]) -> list[list[float]]:
    """Error-bar lengths below and above (clipped at 0: a Wilson bound may round past the estimate)."""
    return [[max(0.0, a - l) for a, l in zip(acc, lo)], [max(0.0, h - a) for a, h in zip(acc, hi)]]


def _panels(scorers: dict[str, Any], panels: str) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Panel title -> scorer -> level rows."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for name, result in scorers.items():
        if panels == "all":
            out.setdefault("all engines", {})[name] = result["metrics"]["level"]
        else:
            for row in result["metrics"]["engine_level"]:
                out.setdefault(row["engine"], {}).setdefault(name, []).append(row)
    return {title: series for title, series in sorted(out.items()) if any(_series(r)[0] for r in series.values())}


def _draw_levels(ax: Any, title: str, series: dict[str, list[dict[str, Any]]]) -> None:
    from matplotlib.ticker import MaxNLocator

    for name, rows in series.items():
        levels, acc, lo, hi, chance = _series(rows)
        if not levels:
            continue
        bars = ax.errorbar(levels, acc, yerr=_err(acc, lo, hi), marker="o", capsize=3, label=name)
        ax.fill_between(levels, lo, hi, color=bars.lines[0].get_color(), alpha=0.15, linewidth=0)
    # chance depends only on how many distractors an item has, not on the scorer
    levels, _, _, _, chance = _series(next(iter(series.values())))
    ax.plot(levels, chance, color="grey", linestyle="--", marker="_", markersize=14, label="chance")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(min(levels) - 0.5, max(levels) + 0.5)
    ax.set_title(title)
    ax.set_xlabel("difficulty level")


def _draw_ops(ax: Any, scorers: dict[str, Any]) -> None:
    ops = sorted({r["op"] for result in scorers.values() for r in result["metrics"]["op"]})
    width = 0.8 / max(len(scorers), 1)
    for i, (name, result) in enumerate(scorers.items()):
        rows = {r["op"]: r for r in result["metrics"]["op"]}
        xs = [j + (i - (len(scorers) - 1) / 2) * width for j, op in enumerate(ops) if op in rows]
        ys = [rows[op]["accuracy"] for op in ops if op in rows]
        lo = [rows[op]["lo"] for op in ops if op in rows]
        hi = [rows[op]["hi"] for op in ops if op in rows]
        ax.errorbar(xs, ys, yerr=_err(ys, lo, hi), fmt="o", capsize=3, label=name)
    first = next(iter(scorers.values()))["metrics"]["op"]
    for j, op in enumerate(ops):
        row = next((r for r in first if r["op"] == op), None)
        if row is not None:
            ax.hlines(row["chance"], j - 0.45, j + 0.45, color="grey", linestyle="--", label="chance" if j == 0 else None)
    ax.set_xticks(range(len(ops)), ops, rotation=30, ha="right")
    ax.set_title("by op (no difficulty levels in this set)")


def plot_sweep(scorers: dict[str, Any], out_dir: Path, panels: str = "engine", overwrite: bool = False) -> list[Path]:
    """Write ``sweep.png`` and ``sweep.svg`` from ``report["scorers"]``; returns the paths."""
    import matplotlib
    from matplotlib.figure import Figure

    if panels not in PANELS:
        raise ValueError(f"panels must be one of {PANELS}, got {panels!r}")
    by_panel = _panels(scorers, panels)
    n = max(len(by_panel), 1)
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig = Figure(figsize=(5 * cols, 3.8 * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    if by_panel:
        for ax, (title, series) in zip(axes, by_panel.items()):
            _draw_levels(ax, title, series)
    else:
        _draw_ops(axes[0], scorers)
    for ax in axes[: len(by_panel) or 1]:
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("item accuracy")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize="small")
    for ax in axes[len(by_panel) or 1 :]:
        ax.set_visible(False)
    paths = [out_dir / "sweep.png", out_dir / "sweep.svg"]
    with matplotlib.rc_context({"svg.hashsalt": "negatives", "svg.fonttype": "none"}):
        for path, fmt, meta in ((paths[0], "png", {"Software": None}), (paths[1], "svg", {"Date": None})):
            with atomic_open(path, overwrite, mode="wb") as fh:
                fig.savefig(fh, format=fmt, dpi=120, metadata=meta)
    return paths
