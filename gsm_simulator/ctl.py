"""``python -m gsm_simulator ctl``: drive a running simulator from the shell.

A small client of the control API (:mod:`gsm_simulator.control`) using only
the standard library::

    python -m gsm_simulator ctl state
    python -m gsm_simulator ctl sms --port 0 --sender +447700900123 --text hello
    python -m gsm_simulator ctl port 2 --registration denied --signal 5
    python -m gsm_simulator ctl gateway slow --seconds 12
    python -m gsm_simulator ctl --url http://127.0.0.1:8082 push-url none

``sms`` and ``ussd`` also take their values in order (``sms 0 +4477... hi``).
Every command prints the JSON answer; a failure prints one line on stderr
and exits 1 (2 for a bad command line).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, Final
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from .faults import GatewayMode
from .model import RegState

if TYPE_CHECKING:
    from collections.abc import Sequence

DEFAULT_URL: Final = "http://127.0.0.1:8081"
TIMEOUT: Final = 10.0
"""Seconds to wait for an answer (the control API answers at once)."""


class CtlError(Exception):
    """A command that failed; the message is the line printed."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``ctl``."""
    parser = argparse.ArgumentParser(
        prog="python -m gsm_simulator ctl",
        description="Drive a running simulator through its control API.",
    )
    parser.add_argument(
        "--url",
        default=DEFAULT_URL,
        help="base URL of the simulator (default: %(default)s)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("state", help="show the ports, gateway mode and push URL")

    sms = commands.add_parser(
        "sms",
        help="an SMS arrives on a port",
        usage="%(prog)s [-h] (--port P --sender S --text T | P S T) [--slot N]",
    )
    _add_fields(sms, port=int, sender=str, text=str)
    sms.add_argument("--slot", type=int, default=None, help="the SIM slot (in use)")

    ussd = commands.add_parser(
        "ussd",
        help="a USSD message arrives on a port",
        usage="%(prog)s [-h] (--port P --text T | P T)",
    )
    _add_fields(ussd, port=int, text=str)

    port = commands.add_parser("port", help="show or change a port")
    port.add_argument("port", type=int)
    port.add_argument("--registration", choices=[state.value for state in RegState])
    port.add_argument("--signal", type=int, help="CSQ 0..31, 99 unknown")
    sim = port.add_mutually_exclusive_group()
    sim.add_argument(
        "--sim-present",
        dest="sim_present",
        action="store_const",
        const=True,
        default=None,
        help="insert a SIM",
    )
    sim.add_argument(
        "--no-sim",
        dest="sim_present",
        action="store_const",
        const=False,
        help="remove the SIM",
    )
    port.add_argument("--balance", type=float, help="the SIM's credit")
    port.add_argument("--power", choices=["on", "off"], help="the port's module")

    gateway = commands.add_parser("gateway", help="make the whole gateway fail")
    gateway.add_argument("mode", choices=[mode.value for mode in GatewayMode])
    gateway.add_argument("--seconds", type=float, help="wait per request when slow")

    reboot = commands.add_parser("reboot", help="reboot the gateway")
    reboot.add_argument("--downtime", type=float, help="seconds down (default: 5)")

    push = commands.add_parser("push-url", help="set where pushes go")
    push.add_argument("target", metavar="URL", help="the URL, or 'none' for no pushes")
    push.add_argument("--types", help="comma list of the push types to send")
    return parser


def _add_fields(parser: argparse.ArgumentParser, **kinds: type) -> None:
    """Arguments given either as options (``--port 0``) or in order (``0``)."""
    for name, kind in kinds.items():
        parser.add_argument(f"--{name}", dest=name, type=kind, metavar=name[0].upper())
    for name, kind in kinds.items():
        parser.add_argument(
            f"{name}_",
            nargs="?",
            type=kind,
            metavar=name.upper(),
            help=argparse.SUPPRESS,
        )


def _fields(args: argparse.Namespace, *names: str) -> dict[str, Any]:
    """The values of :func:`_add_fields` arguments (an option wins); all needed."""
    values = {}
    for name in names:
        option, in_order = getattr(args, name), getattr(args, f"{name}_")
        values[name] = option if option is not None else in_order
    missing = [name for name, value in values.items() if value is None]
    if missing:
        msg = f"{args.command} needs {' and '.join(missing)}"
        raise CtlError(msg)
    return values


def request_for(args: argparse.Namespace) -> tuple[str, str, dict[str, Any] | None]:
    """The method, API path and JSON body of the parsed command.

    :class:`CtlError` when a command lacks a value.
    """
    match args.command:
        case "sms":
            body = _fields(args, "port", "sender", "text")
            if args.slot is not None:
                body["slot"] = args.slot
            return "POST", "/sms", body
        case "ussd":
            return "POST", "/ussd", _fields(args, "port", "text")
        case "port":
            changes = {
                "registration": args.registration,
                "signal": args.signal,
                "sim_present": args.sim_present,
                "balance": args.balance,
                "power": None if args.power is None else args.power == "on",
            }
            body = {key: value for key, value in changes.items() if value is not None}
            if not body:  # nothing to change: show the port
                return "GET", f"/ports/{args.port}", None
            return "POST", f"/ports/{args.port}", body
        case "gateway":
            body = {"mode": args.mode}
            if args.seconds is not None:
                body["seconds"] = args.seconds
            return "POST", "/gateway", body
        case "reboot":
            body = {} if args.downtime is None else {"downtime": args.downtime}
            return "POST", "/reboot", body
        case "push-url":
            url = None if args.target.lower() == "none" else args.target
            body = {"url": url}
            if args.types is not None:
                body["types"] = [
                    name.strip() for name in args.types.split(",") if name.strip()
                ]
            return "PUT", "/push", body
    return "GET", "/state", None


def call(base_url: str, method: str, path: str, body: dict[str, Any] | None) -> Any:
    """Send one request to the control API; :class:`CtlError` on any failure."""
    if not base_url.startswith(("http://", "https://")):
        msg = f"--url must be an http(s) URL, got {base_url!r}"
        raise CtlError(msg)
    url = base_url.rstrip("/") + "/sim/api" + path
    data = None if body is None else json.dumps(body).encode()
    headers = {} if data is None else {"Content-Type": "application/json"}
    request = Request(url, data=data, headers=headers, method=method)  # noqa: S310 - http(s) checked above
    try:
        with urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - http(s) checked above
            raw = response.read()
    except HTTPError as err:
        msg = f"{method} {url}: HTTP {err.code}: {_error_text(err)}"
        raise CtlError(msg) from err
    except (URLError, OSError) as err:
        reason = err.reason if isinstance(err, URLError) else err
        msg = f"cannot reach {base_url}: {reason}"
        raise CtlError(msg) from err
    try:
        return json.loads(raw)
    except ValueError as err:
        msg = f"{method} {url}: the answer is not JSON"
        raise CtlError(msg) from err


def _error_text(err: HTTPError) -> str:
    """The ``error`` of a refusal's JSON body, else its reason."""
    try:
        answer = json.loads(err.read())
    except (ValueError, OSError):
        return str(err.reason)
    error = answer.get("error") if isinstance(answer, dict) else None
    return error if isinstance(error, str) else str(err.reason)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``ctl`` command; returns the exit code (0, or 1 on failure)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        method, path, body = request_for(args)
    except CtlError as err:
        parser.error(str(err))
    try:
        answer = call(args.url, method, path, body)
    except CtlError as err:
        sys.stderr.write(f"error: {err}\n")
        return 1
    sys.stdout.write(json.dumps(answer, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0
