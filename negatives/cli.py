"""The `negatives` command: a thin layer over the Python API.

Each command lives in ``negatives/commands/<name>.py`` as a function ``main``; heavy libraries are
imported inside those functions so that ``negatives --help`` stays fast (no torch).
"""

from __future__ import annotations

import importlib

import typer

COMMANDS = ("validate", "convert", "generate", "mine", "probe", "sweep", "audit", "export", "browse", "demo")

app = typer.Typer(
    name="negatives",
    help="Generate graded-difficulty hard negatives and probe where models break.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's plain help: wraps at any width, never cuts an option name
)

for _name in COMMANDS:
    try:
        _module = importlib.import_module(f"negatives.commands.{_name}")
    except ModuleNotFoundError as exc:  # a command not built yet
        if exc.name != f"negatives.commands.{_name}":
            raise
        continue
    app.command(_name, help=_module.__doc__)(_module.main)


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds like an error: staged outputs are rolled back


def main() -> None:
    """Run the CLI; user errors print one line on stderr and exit with status 2. SIGTERM (143) and
    Ctrl-C (130, typer's) unwind, so staged outputs are rolled back."""
    import signal

    from negatives.errors import NegativesError

    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except NegativesError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None
