"""Options shared by every command that reads an input file.

``@input_options`` adds ``--format``, the ``--*-field`` options, ``--image-root``, ``--max-chars``,
``--max-tokens``, ``--limit``, ``--sample``, ``--on-error`` and ``--rejects`` to a command and hands it one ``read: ReadOptions`` plus
``on_error`` and ``rejects`` keywords, so the options are declared once for all commands. :data:`ConfigOption` gives a command
``--config FILE``: a TOML file whose keys (option names, ``per-level`` or ``per_level``) become the
command's defaults, so options given on the command line still win.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import tomllib
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
    parquet = "parquet"


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
    ("limit", Annotated[Optional[int], typer.Option(min=1, help="Read only the first N rows (a quick trial run).", show_default=False)], None),
    ("sample", Annotated[Optional[int], typer.Option(min=1, help="Read N rows drawn at random (seeded by --seed where the command has one).", show_default=False)], None),
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
            limit=kwargs.pop("limit"),
            sample=kwargs.pop("sample"),
            seed=kwargs.get("seed", 0),
        )
        return func(read=read, on_error=kwargs.pop("on_error").value, rejects=kwargs.pop("rejects"), **kwargs)

    wrapper.__signature__ = sig.replace(parameters=own + added, return_annotation=None)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in own + added}
    return wrapper


def read_config(path: Path, data: bytes, command: Any) -> dict[str, Any]:
    """The TOML ``data`` of ``path`` as ``{parameter name: value}`` for ``command``; an unknown key or
    a file that is no TOML is refused in one sentence."""
    try:
        values = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise typer.BadParameter(f"{path} is not a readable TOML file: {exc}", param_hint="--config") from exc
    names: dict[str, str] = {}  # "per-level" and "per_level" -> "per_level"
    for param in command.params:
        if param.param_type_name == "option" and param.name != "config_file":
            for opt in param.opts:
                if opt.startswith("--"):
                    names[opt[2:]] = names[opt[2:].replace("-", "_")] = param.name
    unknown = sorted(set(values) - set(names))
    if unknown:
        known = ", ".join(sorted(k for k in names if "_" not in k))
        raise typer.BadParameter(f"{path}: unknown key(s) {', '.join(unknown)}; known: {known}", param_hint="--config")
    return {names[k]: v for k, v in values.items()}


def _load_config(ctx: typer.Context, path: Path | None) -> Path | None:
    """Read ``--config`` once: its values become the defaults, and :func:`config_manifest` records
    the same bytes' hash and values."""
    if path is not None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise typer.BadParameter(f"{path} is not a readable TOML file: {exc}", param_hint="--config") from exc
        values = read_config(path, data, ctx.command)
        ctx.default_map = {**(ctx.default_map or {}), **values}
        ctx.meta["config_file"] = {"file": str(path), "sha256": hashlib.sha256(data).hexdigest(), "values": values}
    return path


def config_manifest(ctx: typer.Context) -> dict[str, Any] | None:
    """What the manifest records of ``--config``: the file, its SHA-256 and its values (as read)."""
    return ctx.meta.get("config_file")


ConfigOption = Annotated[Optional[Path], typer.Option(
    "--config", exists=True, dir_okay=False, is_eager=True, callback=_load_config, show_default=False,
    help="TOML file of option values (keys: option names); options on the command line win.",
)]
Out = Annotated[Path, typer.Option("--out", "-o", help="Output record file (JSONL).")]
Overwrite = Annotated[bool, typer.Option("--overwrite", help="Replace an existing output.")]
Seed = Annotated[int, typer.Option(help="Random seed: same input and seed give the same bytes.")]
Input = Annotated[Path, typer.Argument(help="Input file, or a folder of shards (read in file-name order).",
                                        show_default=False)]
