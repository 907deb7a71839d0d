"""The dialects a simulator speaks, by name.

:data:`DIALECTS` maps a name (the CLI's first argument,
``Simulator("dinstar")``) to its :class:`~gsm_simulator.dialect.Dialect`
class; a vendor module adds its class with :func:`register_dialect`.  A
simulator can also be given a dialect class directly, registered or not
(tests do that with small dialects of their own).
"""

from __future__ import annotations

from typing import Final

from .dialect import Dialect
from .dinstar import DinstarDialect
from .ejoin import EjoinDialect
from .synway import SynwayDialect

DIALECTS: Final[dict[str, type[Dialect]]] = {
    DinstarDialect.name: DinstarDialect,
    EjoinDialect.name: EjoinDialect,
    SynwayDialect.name: SynwayDialect,
}
"""Dialect name -> class."""


def register_dialect(dialect: type[Dialect], *, replace: bool = False) -> None:
    """Make ``dialect`` known by its :attr:`~Dialect.name`.

    A name already taken by another class is refused (:class:`ValueError`)
    unless ``replace``.
    """
    known = DIALECTS.get(dialect.name)
    if known is not None and known is not dialect and not replace:
        msg = f"dialect name {dialect.name!r} is taken by {known.__qualname__}"
        raise ValueError(msg)
    DIALECTS[dialect.name] = dialect


def resolve_dialect(dialect: str | type[Dialect]) -> type[Dialect]:
    """The dialect class named ``dialect`` (or ``dialect`` itself, if a class)."""
    if not isinstance(dialect, str):
        return dialect
    if dialect not in DIALECTS:
        msg = f"unknown dialect {dialect!r} (known: {', '.join(sorted(DIALECTS))})"
        raise ValueError(msg)
    return DIALECTS[dialect]
