"""Errors the CLI turns into one clear line and a non-zero exit code."""


class NegativesError(Exception):
    """Base class for errors that are the user's to fix (bad input, existing output, missing model)."""


class InputError(NegativesError):
    """A bad input row under ``--on-error fail``; the message reads ``file:line: reason``."""


class UsageError(NegativesError):
    """An option or argument that cannot work (a bad scorer spec, a scorer that does not fit the set)."""


class OutputError(NegativesError):
    """An output cannot be written where asked without losing something (the message says why)."""


class OutputExists(OutputError):
    """The output path exists and ``--overwrite`` was not given."""


class ModelNotAvailable(NegativesError, RuntimeError):
    """A model or data resource is not installed here; the message says how to get it."""
