"""How the simulator's modules fit together: no import circles, the core namespace."""

from __future__ import annotations

import ast
from pathlib import Path

import gsm_simulator
from gsm_simulator import calls, core, gateway, identity, model, timings
from gsm_simulator.context import GatewayContext
from gsm_simulator.core import SimGateway
from gsm_simulator.identity import luhn_valid
from gsm_simulator.model import ModuleType

PACKAGE = Path(gsm_simulator.__file__).parent


def module_name(path: Path) -> str:
    """The dotted name of a module file of the package."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (``TYPE_CHECKING`` ones included)."""
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name.split(".")
        if path.name != "__init__.py":
            package = package[:-1]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[: len(package) - node.level + 1]
                    target = ".".join([*base, node.module] if node.module else base)
                else:
                    target = node.module or ""
                candidates = [target, *(f"{target}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            found.update(c for c in candidates if c in modules and c != name)
        graph[name] = found
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of ``graph`` (strongly connected groups of two or more)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        for other in graph[node]:
            if other not in order:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], order[other])
        if low[node] == order[node]:
            group = []
            while (top := stack.pop()) != node:
                group.append(top)
            if group:
                found.append(sorted([node, *group]))

    for node in graph:
        if node not in order:
            visit(node)
    return found


def test_no_import_circles() -> None:
    """No module of the simulator imports (even for typing) one that imports it back."""
    graph = import_graph()
    assert "gsm_simulator.gateway" in graph["gsm_simulator.core"]
    assert "gsm_simulator.context" in graph["gsm_simulator.ussd"]
    assert cycles(graph) == []
    assert cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]


def test_independent_of_the_integration() -> None:
    """The simulator never imports the Home Assistant integration."""
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("custom_components"), path
            elif isinstance(node, ast.Import):
                assert all(
                    not alias.name.startswith("custom_components")
                    for alias in node.names
                ), path


def test_core_gathers_the_model() -> None:
    """``gsm_simulator.core`` re-exports the model's names from their modules."""
    assert core.SimGateway is gateway.SimGateway
    assert core.SimPort is model.SimPort
    assert core.Timings is timings.Timings
    assert core.luhn_check_digit is identity.luhn_check_digit
    assert core.CALL_COST == calls.CALL_COST
    for name in core.__all__:
        assert getattr(core, name) is not None


def test_gateway_is_what_its_services_see() -> None:
    """The gateway satisfies the services' view of it; records and IMEIs it exposes."""
    gw = SimGateway(ports=4)
    assert isinstance(gw, GatewayContext)
    assert gw.calls == []
    record = gw.simulate_call(0, "+447700900123")
    assert gw.calls == [record] == gw.voice.records
    imei = gw.make_imei(ModuleType.LTE)
    assert imei.startswith("86307001")
    assert luhn_valid(imei)
    assert gw.make_imei(ModuleType.CDMA).startswith("35896704")
