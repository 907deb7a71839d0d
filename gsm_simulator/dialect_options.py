"""What the dialects' option sets share: reading them and the common converters.

A dialect with settings of its own (:meth:`Dialect.configure
<gsm_simulator.dialect.Dialect.configure>`) keeps them in a frozen dataclass
of defaults; :func:`options_from_mapping` applies what a simulator is given
(``Simulator(..., dialect_options={...})``, the CLI's ``--dialect-option
NAME=VALUE``), each value through the converter of its option.  A converter
takes the option's name and value (text from the CLI, typed from Python) and
returns the value, or raises :class:`ValueError` naming the option.
"""

from __future__ import annotations

from dataclasses import fields, replace
import math
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from _typeshed import DataclassInstance

type Converter = Callable[[str, Any], Any]
"""Turns an option's (name, value) into the value the dialect uses."""

_TRUE: Final = frozenset({"1", "true", "yes", "on"})
_FALSE: Final = frozenset({"0", "false", "no", "off"})


def options_from_mapping[T: DataclassInstance](
    defaults: T,
    dialect: str,
    converters: Mapping[str, Converter],
    options: Mapping[str, Any],
) -> T:
    """``defaults`` changed by ``options`` (:class:`ValueError` for a bad one).

    ``dialect`` names the dialect in the refusal of an unknown option.
    """
    known = {item.name for item in fields(defaults)}
    unknown = sorted(set(options) - known)
    if unknown:
        msg = f"unknown {dialect} option(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        raise ValueError(msg)
    changes = {name: converters[name](name, value) for name, value in options.items()}
    return replace(defaults, **changes)


def flag(name: str, value: Any) -> bool:
    """A yes/no option: a bool, or ``1``/``true``/``yes``/``on`` and their opposites."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    msg = f"{name} must be true or false (1 or 0), got {value!r}"
    raise ValueError(msg)


def seconds(name: str, value: Any) -> float:
    """A duration: a finite number of seconds, at least 0."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number) or number < 0:
        msg = f"{name} must be a number of seconds >= 0, got {value!r}"
        raise ValueError(msg)
    return number
