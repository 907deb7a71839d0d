"""The API families the benchmarks measure, one :class:`~.base.BenchFamily` each.

A family is one API client module of the integration
(``custom_components/gsm_gateway/api/<family>``) together with the
simulator dialect that speaks its wire format. What the benchmarks need to
know about a family lives in its module here (``families/<family>.py``):
the gateway shapes to simulate, the benchmarks that apply, and the few
things only the family knows (how its gateway pushes an SMS, how the
integration parses its port list). Adding a family is such a module plus
its entry in :data:`FAMILIES`; the figures, the table and the JSON file
follow.

A benchmark the family lists but whose client lacks what it needs
(:data:`~.base.NEEDS`: the push benchmark needs ``Capability.PUSH``) is not
run for it; the table and the JSON file say "n/a (no push)" instead.
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.families import dinstar, ejoin, synway
from benchmarks.families.base import Bench, BenchFamily, Shape

FAMILIES: tuple[BenchFamily, ...] = (dinstar.FAMILY, ejoin.FAMILY, synway.FAMILY)
"""Every family benchmarked, in table order."""

__all__ = [
    "FAMILIES",
    "Bench",
    "BenchFamily",
    "Shape",
    "family_params",
    "gateway_params",
]


def family_params(bench: Bench) -> list[Any]:
    """``pytest.param(family)`` for every family ``bench`` runs for."""
    return [
        pytest.param(family, id=family.name)
        for family in FAMILIES
        if family.measures(bench)
    ]


def gateway_params(bench: Bench) -> list[Any]:
    """``pytest.param(family, shape)`` for every shape of every such family."""
    return [
        pytest.param(family, key, id=f"{family.name}-{key}")
        for family in FAMILIES
        if family.measures(bench)
        for key in family.shapes
    ]
