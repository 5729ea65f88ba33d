"""Judge distractors blind to their engine: write a seeded, stratified sheet; score the filled sheets.

    python benchmarks/judge_sample.py sheet SET.jsonl [SET.jsonl ...] --out DIR [--n 300] [--seed 0]
        [--mode photo|text|qa] [--image-root ROOT] [--batch 60]
    python benchmarks/judge_sample.py score DIR

``sheet`` draws ``--n`` distractors stratified by engine/op (an equal share per (engine, op) cell, the
share of a cell with too few going to the others), at most one per item and cell, in a seeded
order, and writes ``DIR/sheet-K.md`` (batches of ``--batch`` rows a judge fills in one sitting) and
``DIR/key.jsonl`` (row -> set, record id, engine, op, level, difficulty, signals), which judges
never see. Each row shows, in ``photo`` mode, the path of a PNG copy of the photo in
``DIR/images`` (at most 640 pixels wide: image viewers that read no JPEG still show it), in
``text`` mode the captions people wrote for the item (its positive and siblings), and the candidate
caption; in ``qa`` mode (text tasks) the question, its correct answer and the candidate answer
(``false``: the candidate is a wrong answer). Judges answer in ``DIR/judge-<name>-K.jsonl``, one line per row:
``{"row": 12, "false": "false" | "true" | "unsure", "fluency": 3 | 2 | 1}``
(fluency 3: a caption a person could write; 2: grammatical but odd; 1: broken or absurd).

``score`` reads every answer file, takes per row the majority verdict over judges (a tie is
``unsure``) and the median fluency (rounded down), and prints per engine/op and overall: n, % false,
% still true, % unsure, % fluent (3), % broken (1), % false and fluent; then fluency by level (a
broken distractor should never sit at level 4 or 5) and the judges' agreement.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

INSTRUCTIONS = {
    "photo": (
        "For each row, open the photo (the path given) and read the caption. Answer two questions:\n"
        "1. `false`: is the caption FALSE for this photo? `false` = it states something the photo "
        "contradicts or does not show; `true` = it is an accurate description of the photo; `unsure` = cannot tell.\n"
        "2. `fluency`: 3 = a caption a person could have written; 2 = grammatical but odd or unnatural; "
        "1 = broken, ungrammatical or absurd.\n"
    ),
    "text": (
        "For each row, read the captions people wrote for one photo (what we know of the scene), then the "
        "candidate caption. Answer two questions:\n"
        "1. `false`: given those captions, is the candidate FALSE for that photo? `false` = it contradicts them "
        "(another object, count, attribute, relation ...); `true` = it could well be an accurate description; "
        "`unsure` = cannot tell.\n"
        "2. `fluency`: 3 = a caption a person could have written; 2 = grammatical but odd or unnatural; "
        "1 = broken, ungrammatical or absurd.\n"
    ),
    "qa": (
        "For each row, read the question and its correct answer, then the candidate answer. Answer two questions:\n"
        "1. `false`: is the candidate a WRONG answer to the question? `false` = it is wrong (it states another "
        "number, place, person, time, thing ...); `true` = it is a correct answer too (the same answer in other "
        "words, or another right answer); `unsure` = cannot tell.\n"
        "2. `fluency`: 3 = an answer a person could give to this question (the kind of answer asked for, "
        "natural wording); 2 = grammatical but odd, or not the kind of answer asked for; 1 = broken, "
        "ungrammatical or absurd.\n"
    ),
}


def load_records(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def draw(sets: list[Path], n: int, seed: int) -> list[dict[str, Any]]:
    """The stratified sample: rows with everything the key needs."""
    cells: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for path in sets:
        for record in load_records(path):
            for d in record["distractors"]:
                if d.get("text") is None:
                    continue
                cells[d["engine"], d["op"]].append({"set": path.name, "record": record, "distractor": d})
    rng = random.Random(seed)
    pools = {}
    for key in sorted(cells):
        items = cells[key]
        rng.shuffle(items)
        seen, pool = set(), []
        for item in items:  # at most one distractor per item and cell
            rid = (item["set"], item["record"]["id"])
            if rid not in seen:
                seen.add(rid)
                pool.append(item)
        pools[key] = pool
    quota = dict.fromkeys(pools, 0)
    left = n
    while left > 0:
        open_cells = [k for k in pools if quota[k] < len(pools[k])]
        if not open_cells:
            break
        for k in open_cells:
            if left == 0:
                break
            quota[k] += 1
            left -= 1
    rows = [item for k in pools for item in pools[k][: quota[k]]]
    rng.shuffle(rows)
    return rows


def write_sheet(rows: list[dict[str, Any]], out: Path, mode: str, image_root: Path | None, batch: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "key.jsonl").open("w", encoding="utf-8") as key:
        for i, item in enumerate(rows, 1):
            r, d = item["record"], item["distractor"]
            key.write(json.dumps({
                "row": i, "set": item["set"], "id": r["id"], "engine": d["engine"], "op": d["op"],
                "level": d.get("level"), "difficulty": d.get("difficulty"),
                "signals": (d.get("meta") or {}).get("signals", {}), "positive": r["positive"], "text": d["text"],
            }, ensure_ascii=False) + "\n")
    for k in range(0, len(rows), batch):
        part = rows[k : k + batch]
        lines = [f"# Judging sheet {k // batch + 1} ({mode})", "", INSTRUCTIONS[mode], "Rows:", ""]
        for i, item in enumerate(part, k + 1):
            r, d = item["record"], item["distractor"]
            lines.append(f"## row {i}")
            if mode == "photo":
                image = (r.get("anchor") or {}).get("image")
                source = (image_root / image) if image_root and image else Path(image)
                lines.append(f"- photo: {png_copy(source, out / 'images')}")
            elif mode == "text":
                scene = [r["positive"], *((r.get("meta") or {}).get("siblings") or [])]
                lines.append("- captions people wrote for the photo:")
                lines += [f"  - {c.strip()}" for c in scene]
            else:
                lines += [f"- question: {(r.get('anchor') or {}).get('text', '').strip()}",
                          f"- correct answer: {r['positive'].strip()}"]
            lines += [f"- candidate {'answer' if mode == 'qa' else 'caption'}: {d['text'].strip()}", ""]
        (out / f"sheet-{k // batch + 1}.md").write_text("\n".join(lines), encoding="utf-8")


def png_copy(source: Path, folder: Path, width: int = 640) -> Path:
    """``source`` as a PNG of at most ``width`` pixels wide in ``folder`` (made once)."""
    from PIL import Image

    target = folder / (source.stem + ".png")
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        with Image.open(source) as im:
            im = im.convert("RGB")
            if im.width > width:
                im = im.resize((width, round(im.height * width / im.width)))
            im.save(target)
    return target.resolve()


def majority(votes: list[str]) -> str:
    top = Counter(votes).most_common()
    if len(top) > 1 and top[0][1] == top[1][1]:
        return "unsure"
    return top[0][0]


def score(folder: Path) -> None:
    key = {row["row"]: row for row in load_records(folder / "key.jsonl")}
    answers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    by_judge: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
    for path in sorted(folder.glob("judge-*.jsonl")):
        judge = path.stem.split("-")[1]
        for a in load_records(path):
            answers[int(a["row"])].append(a)
            by_judge[judge][int(a["row"])] = a
    verdicts = {}
    for row, items in answers.items():
        if row in key:
            fluency = int(statistics.median_low(int(a["fluency"]) for a in items))
            verdicts[row] = (majority([str(a["false"]) for a in items]), fluency, len(items))
    groups: dict[str, list[int]] = defaultdict(list)
    for row in verdicts:
        groups[f"{key[row]['engine']}/{key[row]['op']}"].append(row)
        groups["ALL"].append(row)
    print(f"{len(verdicts)} rows judged (of {len(key)}), {len(by_judge)} judge(s)\n")
    print("| engine/op | n | false | still true | unsure | fluent (3) | broken (1) | false and fluent |")
    print("|---|---|---|---|---|---|---|---|")
    for name in sorted(groups, key=lambda g: (g == "ALL", g)):
        rows = groups[name]
        n = len(rows)
        pct = lambda f: f"{100 * sum(1 for r in rows if f(verdicts[r])) / n:.1f}%"  # noqa: E731
        print(f"| {name} | {n} | {pct(lambda v: v[0] == 'false')} | {pct(lambda v: v[0] == 'true')} | "
              f"{pct(lambda v: v[0] == 'unsure')} | {pct(lambda v: v[1] == 3)} | {pct(lambda v: v[1] == 1)} | "
              f"{pct(lambda v: v[0] == 'false' and v[1] == 3)} |")
    print("\nfluency by level (rows):")
    print("| level | n | fluent (3) | odd (2) | broken (1) |")
    print("|---|---|---|---|---|")
    by_level: dict[Any, Counter[int]] = defaultdict(Counter)
    for row, (_, fluency, _) in verdicts.items():
        by_level[key[row]["level"]][fluency] += 1
    for level in sorted(by_level, key=lambda x: (x is None, x)):
        c = by_level[level]
        print(f"| {level} | {sum(c.values())} | {c[3]} | {c[2]} | {c[1]} |")
    judges = sorted(by_judge)
    if len(judges) > 1:
        print("\nagreement between judges (rows both judged):")
        for i, a in enumerate(judges):
            for b in judges[i + 1 :]:
                both = sorted(set(by_judge[a]) & set(by_judge[b]))
                if both:
                    same_false = sum(by_judge[a][r]["false"] == by_judge[b][r]["false"] for r in both) / len(both)
                    same_flu = sum(int(by_judge[a][r]["fluency"]) == int(by_judge[b][r]["fluency"]) for r in both) / len(both)
                    print(f"- {a} vs {b}: {len(both)} rows, false/true/unsure {same_false:.0%}, fluency {same_flu:.0%}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    sh = sub.add_parser("sheet", help="write a blind judging sheet and its key")
    sh.add_argument("sets", nargs="+", type=Path)
    sh.add_argument("--out", type=Path, required=True)
    sh.add_argument("--n", type=int, default=300)
    sh.add_argument("--seed", type=int, default=0)
    sh.add_argument("--mode", choices=tuple(INSTRUCTIONS), default="text")
    sh.add_argument("--image-root", type=Path)
    sh.add_argument("--batch", type=int, default=60)
    sc = sub.add_parser("score", help="score the judges' answers in a sheet folder")
    sc.add_argument("folder", type=Path)
    args = ap.parse_args()
    if args.command == "sheet":
        rows = draw(args.sets, args.n, args.seed)
        write_sheet(rows, args.out, args.mode, args.image_root, args.batch)
        cells = Counter(f"{r['distractor']['engine']}/{r['distractor']['op']}" for r in rows)
        print(f"{len(rows)} rows in {args.out} ({', '.join(f'{k} {v}' for k, v in sorted(cells.items()))})")
    else:
        score(args.folder)


if __name__ == "__main__":
    main()
