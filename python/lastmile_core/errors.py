"""Exceptions raised by lastmile_core.

Every error names the offending field and value. The C++ core raises these same classes (its
``InputError``/``IndexError``/``InfeasibleError`` are translated by the extension module).
"""

from __future__ import annotations

from typing import Any


class LastmileError(Exception):
    """Base class of every lastmile_core error."""


class InputError(LastmileError, ValueError):
    """Invalid input: wrong shape, NaN/inf, negative value, unknown option, ..."""


class FormatError(InputError):
    """A malformed or unsupported file (VRPLIB, .sol, stop table)."""


class IndexOutOfRangeError(LastmileError, IndexError):
    """An index (client, vehicle type, route) outside its valid range."""


class InfeasibleError(LastmileError, ValueError):
    """No feasible solution was found; the message names the constraint that failed.

    ``details``: the violations behind it as data, one ``lastmile_core._core.Violation`` each
    (``kind``, ``route``, ``vehicle_type``, ``client``, ``dimension``, ``value`` and ``limit`` in
    internal units, kWh for energy, and the engine's ``message``); empty when the error comes
    from the Python layer. :func:`lastmile_core.units.violation_message` reads one in user units.
    """

    details: tuple[Any, ...] = ()


__all__ = [
    "FormatError",
    "IndexOutOfRangeError",
    "InfeasibleError",
    "InputError",
    "LastmileError",
]
