"""Exceptions raised by lastmile_core.

Every error names the offending field and value. The C++ core raises these same classes (its
``InputError``/``IndexError``/``InfeasibleError`` are translated by the extension module).
"""

from __future__ import annotations


class LastmileError(Exception):
    """Base class of every lastmile_core error."""


class InputError(LastmileError, ValueError):
    """Invalid input: wrong shape, NaN/inf, negative value, unknown option, ..."""


class FormatError(InputError):
    """A malformed or unsupported file (VRPLIB, .sol, stop table)."""


class IndexOutOfRangeError(LastmileError, IndexError):
    """An index (client, vehicle type, route) outside its valid range."""


class InfeasibleError(LastmileError, ValueError):
    """No feasible solution was found; the message names the constraint that failed."""


__all__ = [
    "FormatError",
    "IndexOutOfRangeError",
    "InfeasibleError",
    "InputError",
    "LastmileError",
]
