"""Options shared by every command that reads an input file.

``@input_options`` adds ``--format``, the ``--*-field`` options, ``--image-root``, ``--max-chars``,
``--max-tokens``, ``--on-error`` and ``--rejects`` to a command and hands it one ``read: ReadOptions`` plus
``on_error`` and ``rejects`` keywords, so the options are declared once for all commands.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from negatives.readers import DEFAULT_MAX_CHARS, DEFAULT_MAX_TOKENS, FieldMap, ReadOptions


class Format(str, Enum):
    auto = "auto"
    jsonl = "jsonl"
    csv = "csv"
    coco = "coco"
    sugarcrepe = "sugarcrepe"
    records = "records"


class OnError(str, Enum):
    fail = "fail"
    skip = "skip"


_READ_PARAMS = [
    ("fmt", Annotated[Format, typer.Option("--format", help="Input format.")], Format.auto),
    ("text_field", Annotated[str, typer.Option(help="Field holding the positive text.")], "text"),
    ("context_field", Annotated[Optional[str], typer.Option(help="Field holding the anchor context.")], None),
    ("image_field", Annotated[Optional[str], typer.Option(help="Field holding an image path.")], None),
    ("id_field", Annotated[str, typer.Option(help="Field holding the row id.")], "id"),
    (
        "image_root",
        Annotated[Optional[Path], typer.Option(exists=True, file_okay=False, help="Images are resolved inside this folder.")],
        None,
    ),
    ("max_chars", Annotated[int, typer.Option(min=1, help="Reject texts longer than this many characters (a row may hold 100x as many bytes).")], DEFAULT_MAX_CHARS),
    ("max_tokens", Annotated[int, typer.Option(min=1, help="Reject texts of more tokens (words and punctuation marks) than this.")], DEFAULT_MAX_TOKENS),
    (
        "on_error",
        Annotated[OnError, typer.Option(help="fail: stop at the first bad row; skip: write it to the rejects file.")],
        OnError.fail,
    ),
    (
        "rejects",
        Annotated[Optional[Path], typer.Option(help="Rejects file (default: <out>.rejects.jsonl).")],
        None,
    ),
]


def input_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Give ``func`` the shared input options; it receives ``read``, ``on_error`` and ``rejects``."""
    sig = inspect.signature(func)
    hints = typing.get_type_hints(func, include_extras=True)  # resolve postponed annotations for typer
    own = [
        p.replace(annotation=hints.get(p.name, p.annotation))
        for p in sig.parameters.values()
        if p.name not in ("read", "on_error", "rejects")
    ]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=ann, default=default)
        for name, ann, default in _READ_PARAMS
    ]

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> Any:
        fields = FieldMap(
            text=kwargs.pop("text_field"),
            context=kwargs.pop("context_field"),
            image=kwargs.pop("image_field"),
            id=kwargs.pop("id_field"),
        )
        read = ReadOptions(
            fmt=kwargs.pop("fmt").value,
            fields=fields,
            image_root=kwargs.pop("image_root"),
            max_chars=kwargs.pop("max_chars"),
            max_tokens=kwargs.pop("max_tokens"),
        )
        return func(read=read, on_error=kwargs.pop("on_error").value, rejects=kwargs.pop("rejects"), **kwargs)

    wrapper.__signature__ = sig.replace(parameters=own + added, return_annotation=None)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in own + added}
    return wrapper


Out = Annotated[Path, typer.Option("--out", "-o", help="Output record file (JSONL).")]
Overwrite = Annotated[bool, typer.Option("--overwrite", help="Replace an existing output.")]
Seed = Annotated[int, typer.Option(help="Random seed: same input and seed give the same bytes.")]
Input = Annotated[Path, typer.Argument(help="Input file.", show_default=False)]
