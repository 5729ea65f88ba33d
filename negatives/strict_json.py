"""Strict JSON: parse a document and refuse, with a reason, whatever would break later on.

Python's ``json`` accepts duplicate keys (the last one silently wins), ``NaN`` and ``Infinity``,
numbers that overflow to ``inf``, lone surrogates (``"\\ud800"``, which no UTF-8 file can hold) and
any nesting up to the interpreter's recursion limit. :func:`loads` refuses all of them with a
:class:`JsonError` that says which; :func:`problem` checks an already parsed value the same way.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from typing import Any

MAX_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")


class JsonError(ValueError):
    """Why a JSON text is refused; ``line`` is the text's line where the parser stopped, if known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class _Duplicated(dict):  # type: ignore[type-arg]
    """An object that named a key twice (kept so the problem is reported where it is)."""

    duplicate: str


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    flagged = _Duplicated(obj)
    flagged.duplicate = next(k for k, n in Counter(k for k, _ in pairs).items() if n > 1)
    return flagged


def duplicated_key(value: Any) -> str | None:
    """The key an object named twice (its first value was lost), for objects parsed by :func:`loads`."""
    return value.duplicate if isinstance(value, _Duplicated) else None


def _constant(name: str) -> Any:
    raise JsonError(f"{name} is not a JSON number")


def loads(text: str, max_depth: int = MAX_DEPTH, check: bool = True) -> Any:
    """Parse ``text``; with ``check``, also refuse the value's :func:`problem`."""
    try:
        value = json.loads(text, object_pairs_hook=_object, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise JsonError(f"malformed JSON: {exc.msg} at column {exc.colno}", exc.lineno) from exc
    except RecursionError as exc:
        raise JsonError(f"JSON nested deeper than {max_depth} levels") from exc
    except ValueError as exc:  # NaN/Infinity, an integer of more than 4300 digits
        raise JsonError(f"unreadable JSON number: {exc}") from exc
    if check:
        reason = problem(value, max_depth)
        if reason:
            raise JsonError(reason)
    return value


def problem(value: Any, max_depth: int = MAX_DEPTH) -> str | None:
    """Why ``value`` (parsed by :func:`loads`) cannot be used, or None."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return "a lone surrogate (like \\ud800) in a string: not valid Unicode text"
        elif isinstance(item, float):
            if not math.isfinite(item):
                return "a number out of range (it overflows to infinity)"
        elif isinstance(item, (dict, list)):
            if depth >= max_depth:
                return f"JSON nested deeper than {max_depth} levels"
            if isinstance(item, _Duplicated):
                return f"duplicate key {item.duplicate!r} in one object"
            if isinstance(item, dict):
                stack.extend((k, depth) for k in item)
                stack.extend((v, depth + 1) for v in item.values())
            else:
                stack.extend((v, depth + 1) for v in item)
    return None
