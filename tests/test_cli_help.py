"""Help that reads at 80 columns: every option name whole, no line wider than the terminal, and the
--scorer help listing every scorer kind."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from negatives.cli import COMMANDS, app
from probes.scorers import BUILTINS

runner = CliRunner()
COMMAND = typer.main.get_command(app)


def help_text(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_help_fits_80_columns_and_names_every_option_whole(name: str) -> None:
    text = help_text(name)
    assert max(len(line) for line in text.splitlines()) <= 80, text
    for param in COMMAND.commands[name].params:  # type: ignore[attr-defined]
        if param.param_type_name == "option":
            for opt in param.opts:
                assert re.search(rf"(^|[\s,/]){re.escape(opt)}([\s,/]|$)", text, re.M), (opt, text)
    assert "…" not in text


@pytest.mark.parametrize("name", ["probe", "sweep"])
def test_scorer_help_lists_every_kind(name: str) -> None:
    text = " ".join(help_text(name).split())
    listed = re.search(r"Kinds: (.*?)\.", text).group(1)  # type: ignore[union-attr]
    kinds = {kind.split(" (")[0] for kind in listed.replace("- ", "-").split(", ")}
    assert kinds == {*BUILTINS, "blind"}
