"""``sweep.png`` / ``sweep.svg``: accuracy vs difficulty level per scorer, with 95% bands and chance.

``panels="engine"`` draws one panel per engine (the (engine, level) groups), ``"all"`` one panel of
the level groups. With more than :data:`MAX_LINES` scorers their bands would hide each other, so the
roles swap: one panel per scorer, a line per engine (or one line, with ``"all"``). Every point says
how many items it holds (``n`` under each level, or beside each point when a panel's lines differ),
and a level of fewer than :data:`MIN_N` items is drawn grey and hollow, without a band: too few to
read. One legend serves the whole figure. A set without integer levels (e.g. imported SugarCrepe) is
drawn by op instead: points with interval bars per scorer. Uses matplotlib's object API (no pyplot,
no GUI backend).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from negatives.writers import atomic_open

PANELS = ("engine", "all")
MAX_LINES = 3  # more scorers than this: one panel per scorer
MIN_N = 10  # a level with fewer items is greyed
GREY = "#9a9a9a"

Rows = list[dict[str, Any]]


def _series(rows: Rows) -> tuple[list[Any], ...]:
    pts = sorted((r["level"], r["accuracy"], r["lo"], r["hi"], r["chance"], r["n"]) for r in rows if r.get("level") is not None and r["n"])
    return tuple(list(col) for col in zip(*pts)) if pts else ([], [], [], [], [], [])


def _err(acc: list[float], lo: list[float], hi: list[float]) -> list[list[float]]:
    """Error-bar lengths below and above (clipped at 0: a Wilson bound may round past the estimate)."""
    return [[max(0.0, a - l) for a, l in zip(acc, lo)], [max(0.0, h - a) for a, h in zip(acc, hi)]]


def _panels(scorers: dict[str, Any], panels: str) -> dict[str, dict[str, Rows]]:
    """Panel title -> line label -> level rows: a panel per engine (or one) with a line per scorer, or
    with more than :data:`MAX_LINES` scorers a panel per scorer with a line per engine (or one)."""
    per_scorer = len(scorers) > MAX_LINES
    out: dict[str, dict[str, Rows]] = {}
    for name, result in scorers.items():
        if panels == "all":
            title, label = (name, "all engines") if per_scorer else ("all engines", name)
            out.setdefault(title, {})[label] = result["metrics"]["level"]
            continue
        for row in result["metrics"]["engine_level"]:
            title, label = (name, row["engine"]) if per_scorer else (row["engine"], name)
            out.setdefault(title, {}).setdefault(label, []).append(row)
    order = list(scorers) if per_scorer else sorted(out)
    return {title: out[title] for title in order if title in out and any(_series(r)[0] for r in out[title].values())}


def _draw_levels(ax: Any, title: str, series: dict[str, Rows], colours: dict[str, str]) -> None:
    from matplotlib.ticker import MaxNLocator

    data = {label: _series(rows) for label, rows in series.items() if _series(rows)[0]}
    shared = len({(tuple(d[0]), tuple(d[5])) for d in data.values()}) == 1  # every line holds the same items
    for label, (levels, acc, lo, hi, _, n) in data.items():
        for enough in (True, False):
            idx = [i for i, k in enumerate(n) if (k >= MIN_N) is enough]
            if not idx:
                continue
            x, a, l, h = ([values[i] for i in idx] for values in (levels, acc, lo, hi))
            if enough:
                ax.errorbar(x, a, yerr=_err(a, l, h), marker="o", capsize=3, color=colours[label], label=label)
                ax.fill_between(x, l, h, color=colours[label], alpha=0.15, linewidth=0)
            else:  # too few items to read: grey, hollow, no band
                ax.errorbar(x, a, yerr=_err(a, l, h), fmt="o", capsize=2, color=GREY, markerfacecolor="white",
                            label=f"fewer than {MIN_N} items")
        if not shared:
            for x, y, k in zip(levels, acc, n):
                ax.annotate(f"n={k}", (x, y), xytext=(4, 4), textcoords="offset points", fontsize=6,
                            color=colours[label] if k >= MIN_N else GREY)
    levels, _, _, _, chance, n = next(iter(data.values()))
    # chance depends only on how many distractors an item has, not on the scorer
    ax.plot(levels, chance, color="grey", linestyle="--", marker="_", markersize=14, label="chance")
    if shared:
        for x, k in zip(levels, n):
            ax.annotate(f"n={k}", (x, 0.0), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=7,
                        color="black" if k >= MIN_N else GREY)
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
            ax.annotate(f"n={row['n']}", (j, 0.0), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=7)
    ax.set_xticks(range(len(ops)), ops, rotation=30, ha="right")
    ax.set_title("by op (no difficulty levels in this set)")


def sweep_figure(scorers: dict[str, Any], panels: str = "engine") -> Any:
    """The sweep as a matplotlib ``Figure`` from ``report["scorers"]``."""
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    if panels not in PANELS:
        raise ValueError(f"panels must be one of {PANELS}, got {panels!r}")
    by_panel = _panels(scorers, panels)
    labels = sorted({label for series in by_panel.values() for label in series}, key=lambda s: (s not in scorers, s))
    palette = colormaps["tab10"].colors
    colours = {label: palette[i % len(palette)] for i, label in enumerate(labels)}
    n = max(len(by_panel), 1)
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig = Figure(figsize=(5 * cols, 3.8 * rows + 0.6), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    if by_panel:
        for ax, (title, series) in zip(axes, by_panel.items()):
            _draw_levels(ax, title, series, colours)
    else:
        _draw_ops(axes[0], scorers)
    for ax in axes[: len(by_panel) or 1]:
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("item accuracy")
        ax.grid(alpha=0.3)
    for ax in axes[len(by_panel) or 1 :]:
        ax.set_visible(False)
    handles: dict[str, Any] = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, handle)
    order = [*labels, f"fewer than {MIN_N} items", "chance"]  # the lines, then the marks every panel shares
    names = sorted(handles, key=lambda label: order.index(label) if label in order else len(order))
    fig.legend([handles[k] for k in names], names, loc="outside lower center", ncols=min(len(names), 5), fontsize="small")
    return fig


def plot_sweep(scorers: dict[str, Any], out_dir: Path, panels: str = "engine", overwrite: bool = False) -> list[Path]:
    """Write ``sweep.png`` and ``sweep.svg`` from ``report["scorers"]``; returns the paths."""
    import matplotlib

    fig = sweep_figure(scorers, panels)
    paths = [out_dir / "sweep.png", out_dir / "sweep.svg"]
    with matplotlib.rc_context({"svg.hashsalt": "negatives", "svg.fonttype": "none"}):
        for path, fmt, meta in ((paths[0], "png", {"Software": None}), (paths[1], "svg", {"Date": None})):
            with atomic_open(path, overwrite, mode="wb") as fh:
                fig.savefig(fh, format=fmt, dpi=120, metadata=meta)
    return paths
