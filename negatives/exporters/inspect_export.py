"""inspect_ai dataset: one ``Sample`` per item as a JSON line, read by ``json_dataset(path)``, and a
ready task file beside it (``<stem>_task.py``: ``inspect eval <stem>_task.py@<stem> --model ...``).

``choices`` carry no letter prefixes (the ``multiple_choice()`` solver adds them) and ``target`` is
the letter of the positive. Options are shuffled with the seed; ``metadata.order`` records the
shuffle (``choices[i]`` is candidate ``order[i]`` of ``[positive, *distractors]``) next to the
per-choice engine, level and difficulty and the whole record, so the file imports back losslessly.
Image items put the image in ``input`` as a chat message with an image part.

inspect scores a multiple-choice item by the letter the model *generates*, which a small model
(SmolLM2-135M) rarely does: the task file also reports ``answered``, the share of replies naming a
letter, so a model too small for generated letters shows as such instead of as accuracy 0. inspect
has no per-choice log-likelihood route for local models (its ``prompt_logprobs`` need a vLLM or
OpenAI-compatible server), so such a model is scored by ``--to lm-eval`` or ``negatives probe -s lm``.
"""

from __future__ import annotations

from pathlib import Path
from string import ascii_uppercase
from typing import Any

from negatives.exporters.common import ExportError, Target, identifier, shuffled, write_jsonl
from negatives.outputs import Recognise
from negatives.records import Record
from negatives.writers import atomic_open

TEXT_QUESTION = "Which of these sentences is correct?"
IMAGE_QUESTION = "Which caption describes the image?"
TASK_HEADER = '"""inspect_ai task written by `negatives export --to inspect`.'
SMALL_MODEL = (
    "inspect scores the letter a model generates: a model too small to answer with a letter "
    "(answered well below 1) needs --to lm-eval or `negatives probe -s lm` (log-likelihood) instead"
)
TASK_FILE = TASK_HEADER + '''

    inspect eval {task_file}@{name} --model hf/local -M model_path=MODEL_DIR [--limit N]

multiple_choice() asks for the letter of the right option. `answered` is the share of replies that
name a letter: well below 1 means the model is too small for generated letters and its accuracy says
nothing; score it by log-likelihood instead (`negatives export --to lm-eval`, `negatives probe -s lm`).
"""

from pathlib import Path

from inspect_ai import Task, task
from inspect_ai.dataset import json_dataset
from inspect_ai.scorer import Score, Scorer, Target, choice, mean, scorer
from inspect_ai.solver import TaskState, multiple_choice

DATA = Path(__file__).with_name({data!r})


@scorer(metrics=[mean()])
def answered() -> Scorer:
    """1 when the reply names an option letter, else 0."""

    async def score(state: TaskState, target: Target) -> Score:
        return Score(value=float(any(c.correct for c in state.choices)))

    return score


@task
def {name}() -> Task:
    return Task(dataset=json_dataset(str(DATA)), solver=multiple_choice(), scorer=[choice(), answered()])
'''


def task_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}_task.py")


def _is_task_file(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as fh:
            return fh.readline().rstrip("\n") == TASK_HEADER
    except (OSError, UnicodeDecodeError):
        return False


def sidecar(out: Path) -> tuple[Path, str, Recognise]:
    """The task file beside ``out``: its path, its role, and how to recognise one of ours."""
    return task_path(out), "inspect task file", _is_task_file


def _input(record: Record) -> str | list[dict[str, Any]]:
    if record.anchor_image:
        content = [{"type": "image", "image": record.anchor_image}, {"type": "text", "text": IMAGE_QUESTION}]
        return [{"role": "user", "content": content}]
    return record.anchor_text or TEXT_QUESTION


def sample(record: Record, seed: int) -> dict[str, Any]:
    """The inspect ``Sample`` fields of one record."""
    if len(record.distractors) + 1 > len(ascii_uppercase):
        raise ExportError(f"record {record.id!r}: {len(record.distractors) + 1} options; inspect letters stop at Z")
    if any(d.text is None for d in record.distractors):
        raise ExportError(f"record {record.id!r} has image candidates; inspect choices are texts")
    mc = shuffled(record.positive, record.distractors, seed, record.id)
    return {
        "id": record.id,
        "input": _input(record),
        "choices": mc.choices,
        "target": ascii_uppercase[mc.label],
        "metadata": {
            "order": mc.order,
            "seed": seed,
            "engine": mc.engines,
            "level": mc.levels,
            "difficulty": mc.difficulties,
            "record": record.to_dict(),
        },
    }


def export(records: list[Record], target: Target, seed: int) -> dict[str, Any]:
    with atomic_open(target.path) as fh:
        n = write_jsonl(fh, (sample(r, seed) for r in records))
    task_file, name = task_path(target.final), identifier(target.final.stem)
    with atomic_open(task_path(target.path)) as fh:
        fh.write(TASK_FILE.format(task_file=task_file.name, data=target.final.name, name=name))
    return {
        "counts": {"items": n},
        "inspect": {"text_question": TEXT_QUESTION, "image_question": IMAGE_QUESTION, "task_file": str(task_file)},
        "usage": f"inspect eval {task_file}@{name} --model hf/local -M model_path=MODEL_DIR ({SMALL_MODEL})",
    }
