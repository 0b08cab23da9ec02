"""Checks of scalar arguments shared by the user-facing constructors and :func:`solve`.

Each helper raises :class:`~lastmile_core.errors.InputError` whose message starts with the field
name it is given, and returns the value converted to a plain Python type. Nothing is rounded:
a value that does not fit the type asked for is refused.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import InputError


def _is_real(value: Any) -> bool:
    """A real number that is not a bool (``True`` is an int in Python, never a quantity here)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def real(field: str, value: Any, *, minimum: float | None = 0.0, finite: bool = True) -> float:
    """``value`` as a float: a real number (not a bool or a string), finite unless
    ``finite=False`` (NaN is refused either way), and ``>= minimum`` unless minimum is None."""
    if not _is_real(value):
        raise InputError(f"{field}: expected a number, got {value!r} ({type(value).__name__})")
    v = float(value)
    if math.isnan(v) or (finite and math.isinf(v)):
        raise InputError(f"{field}: must be a finite number, got {value!r}")
    if minimum is not None and v < minimum:
        raise InputError(f"{field}: must be >= {minimum:g}, got {value!r}")
    return v


def positive_real(field: str, value: Any) -> float:
    """A finite number > 0."""
    v = real(field, value)
    if not v > 0:
        raise InputError(f"{field}: must be > 0, got {value!r}")
    return v


def optional_limit(field: str, value: Any) -> float | None:
    """A limit: None or ``inf`` (no limit) or a number >= 0."""
    if value is None:
        return None
    v = real(field, value, finite=False)
    return None if math.isinf(v) else v


def integer(field: str, value: Any, *, minimum: int | None = 0, maximum: int | None = None) -> int:
    """``value`` as an int: an integer, or a float with an integral value (``3.0``); bools,
    strings and fractional values are refused, as are values outside [minimum, maximum]."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise InputError(f"{field}: expected an integer, got {value!r} ({type(value).__name__})")
    if isinstance(value, numbers.Integral):
        v = int(value)
    else:
        f = float(value)
        if not math.isfinite(f) or f != math.floor(f):
            raise InputError(f"{field}: expected an integer, got {value!r}")
        v = int(f)
    if minimum is not None and v < minimum:
        raise InputError(f"{field}: must be >= {minimum}, got {value!r}")
    if maximum is not None and v > maximum:
        raise InputError(f"{field}: must be <= {maximum}, got {value!r}")
    return v


def integer_vector(
    field: str, value: Any, *, maximum: int, fraction_hint: str = ""
) -> tuple[int, ...]:
    """A scalar or a non-empty 1-D sequence of non-negative integers (integral floats such as
    ``40.0`` are accepted, ``7.9`` is refused, with ``fraction_hint`` added to the message) as a
    tuple of ints."""
    if isinstance(value, str | bytes):
        raise InputError(f"{field}: expected a number or a sequence of numbers, got {value!r}")
    if isinstance(value, np.ndarray):
        if value.ndim > 1:
            raise InputError(
                f"{field}: expected a scalar or a 1-D sequence, got shape {value.shape}"
            )
        items: list[Any] = [value.item()] if value.ndim == 0 else list(value.tolist())
    elif isinstance(value, Sequence):
        items = list(value)
    else:
        items = [value]
    if not items:
        raise InputError(f"{field}: needs at least one value (one per demand dimension)")
    out: list[int] = []
    for i, item in enumerate(items):
        name = field if len(items) == 1 else f"{field}[{i}]"
        if isinstance(item, Sequence | np.ndarray) and not isinstance(item, str):
            raise InputError(f"{field}: expected a scalar or a 1-D sequence, got {value!r}")
        if fraction_hint and _is_real(item) and math.isfinite(float(item)):
            if float(item) != math.floor(float(item)):
                raise InputError(f"{name}: {item!r} is not an integer ({fraction_hint})")
        out.append(integer(name, item, minimum=0, maximum=maximum))
    return tuple(out)


def choice(field: str, value: Any, names: Sequence[str]) -> str:
    """One of ``names`` (exact string)."""
    if not isinstance(value, str) or value not in names:
        raise InputError(f"{field}: expected one of {', '.join(map(repr, names))}, got {value!r}")
    return value


def instance_of(field: str, value: Any, types: type | tuple[type, ...], what: str) -> None:
    """``value`` is an instance of ``types`` (``what`` describes them in the message)."""
    if not isinstance(value, types):
        raise InputError(f"{field}: expected {what}, got {value!r} ({type(value).__name__})")


__all__ = [
    "choice",
    "instance_of",
    "integer",
    "integer_vector",
    "optional_limit",
    "positive_real",
    "real",
]
