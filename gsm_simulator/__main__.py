"""Command line: ``python -m gsm_simulator dinstar --port 8081 --ports 8 ...``.

``--push-url http://127.0.0.1:8123/api/webhook/ID`` makes the simulated
gateway push its events there; ``--send-time 0.5`` and the other timing
options speed up (or slow down) its background work.  The simulator runs
until Ctrl-C (SIGINT) or SIGTERM.

``python -m gsm_simulator ctl ...`` drives a running simulator instead
(:mod:`gsm_simulator.ctl`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import TYPE_CHECKING, Any, Final

from . import ctl
from .auth import AuthMode
from .control import PREFIX
from .dialects import DIALECTS
from .server import Simulator

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

STOP_SIGNALS: Final = (signal.SIGINT, signal.SIGTERM)


def _print(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class _DialectAction(argparse.Action):
    """Store the dialect; an ``--auth`` not given becomes the dialect's default."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        del parser, option_string
        setattr(namespace, self.dest, values)
        if getattr(namespace, "auth", None) is None and isinstance(values, str):
            namespace.auth = DIALECTS[values].default_auth.value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m gsm_simulator",
        description="Run a simulated multi-port GSM gateway until Ctrl-C.",
        epilog="'python -m gsm_simulator ctl --help': drive a running simulator.",
    )
    parser.add_argument(
        "dialect",
        choices=sorted(DIALECTS),
        action=_DialectAction,
        help="vendor API to speak",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8081,
        help="TCP port, 0 for any free one (default: %(default)s)",
    )
    parser.add_argument(
        "--ports",
        type=int,
        default=8,
        help="number of GSM ports, 1..32 (default: %(default)s)",
    )
    parser.add_argument(
        "--slots",
        type=int,
        default=1,
        help="SIM slots per port, 1..4 (default: %(default)s)",
    )
    parser.add_argument(
        "--auth",
        choices=[mode.value for mode in AuthMode],
        default=None,
        help="authentication (default: the dialect's, e.g. digest for dinstar)",
    )
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument(
        "--serial", default=None, help="serial number (default: derived from the seed)"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="random seed of the generated data"
    )
    parser.add_argument(
        "--delay", type=float, default=0.05, help="latency per request in seconds"
    )
    parser.add_argument(
        "--content-type",
        default=None,
        help="Content-Type of the answers (real units: text/html)",
    )
    parser.add_argument(
        "--dialect-option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting of the dialect (repeatable), e.g. slot_style=letter for ejoin",
    )
    parser.add_argument(
        "--drift-interval",
        type=float,
        default=5.0,
        help="seconds per drift step, 0 to disable",
    )
    timing = parser.add_argument_group(
        "timing", "how long background work takes, in seconds"
    )
    timing.add_argument(
        "--send-time",
        type=float,
        default=6.5,
        help="per SMS and port (default: %(default)s)",
    )
    timing.add_argument(
        "--delivery-delay",
        type=float,
        default=3.0,
        help="from a sent SMS to its status reports (default: %(default)s)",
    )
    timing.add_argument(
        "--ussd-delay",
        type=float,
        default=2.0,
        help="from a USSD request to the answer (default: %(default)s)",
    )
    timing.add_argument(
        "--register-delay",
        type=float,
        default=10.0,
        help="a module registering after reset, power on or slot change (default: %(default)s)",
    )
    timing.add_argument(
        "--stk-delay",
        type=float,
        default=0.5,
        help="the SIM toolkit answering an action (default: %(default)s)",
    )
    push = parser.add_argument_group("push", "events POSTed to a URL of yours")
    push.add_argument(
        "--push-url",
        default=None,
        help="POST events (sms, sms_result, register, ...) there (default: no pushes)",
    )
    push.add_argument(
        "--push-types",
        default=None,
        help="comma list of the push types to send (default: all of the dialect's)",
    )
    push.add_argument(
        "--push-timeout",
        type=float,
        default=5.0,
        help="seconds before a push counts as timed out (default: %(default)s)",
    )
    return parser


def dialect_options(pairs: Sequence[str]) -> dict[str, str]:
    """``NAME=VALUE`` pairs as a dict (:class:`ValueError` for one without ``=``)."""
    options: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            msg = f"a dialect option is NAME=VALUE, got {pair!r}"
            raise ValueError(msg)
        options[name.strip()] = value.strip()
    return options


def simulator_from_args(args: argparse.Namespace) -> Simulator:
    """Build (but do not start) the simulator the parsed arguments describe."""
    return Simulator(
        args.dialect,
        ports=args.ports,
        slots=args.slots,
        auth=args.auth,
        username=args.username,
        password=args.password,
        serial=args.serial,
        seed=args.seed,
        delay=args.delay,
        host=args.host,
        port=args.port,
        content_type=args.content_type,
        drift_interval=args.drift_interval or None,
        send_time=args.send_time,
        delivery_delay=args.delivery_delay,
        ussd_delay=args.ussd_delay,
        register_delay=args.register_delay,
        stk_delay=args.stk_delay,
        push_url=args.push_url,
        push_types=None
        if args.push_types is None
        else [name.strip() for name in args.push_types.split(",") if name.strip()],
        push_timeout=args.push_timeout,
        dialect_options=dialect_options(args.dialect_option),
    )


async def serve(
    simulator: Simulator,
    stop: asyncio.Event,
    out: Callable[[str], object] = _print,
) -> None:
    """Run ``simulator`` until ``stop`` is set, announcing its URL and serial."""
    async with simulator:
        out(f"{simulator.dialect_name} simulator listening on {simulator.url}")
        out(
            f"serial {simulator.serial}, {simulator.state.port_count} ports, auth {simulator.auth.mode.value}"
        )
        out(f"control panel: {simulator.url}{PREFIX}")
        if simulator.push_url is not None:
            out(
                f"pushing {', '.join(sorted(simulator.push_types))} to {simulator.push_url}"
            )
        await stop.wait()


@contextlib.contextmanager
def stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    """Set ``stop`` on SIGINT and SIGTERM while inside; the old handlers come back after.

    Handled explicitly, not left to Python's default (KeyboardInterrupt):
    a process started with SIGINT ignored, as a non-interactive shell starts
    its background jobs, would otherwise never stop on Ctrl-C.
    """
    loop = asyncio.get_running_loop()
    previous = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    installed: list[signal.Signals] = []
    try:
        for number in STOP_SIGNALS:
            with contextlib.suppress(NotImplementedError):  # pragma: no cover - Windows
                loop.add_signal_handler(number, stop.set)
                installed.append(number)
        yield
    finally:
        for number in installed:
            loop.remove_signal_handler(number)
            if previous[number] is not None:  # None: installed outside Python
                signal.signal(number, previous[number])


async def _main(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    with stop_on_signals(stop):
        await serve(simulator_from_args(args), stop)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["ctl"]:
        return ctl.main(arguments[1:])
    args = build_parser().parse_args(arguments)
    try:
        simulator_from_args(args)  # validate the options before going async
    except ValueError as err:
        sys.stderr.write(f"error: {err}\n")
        return 2
    try:
        asyncio.run(_main(args))
    except KeyboardInterrupt:
        pass
    except OSError as err:
        sys.stderr.write(f"error: {err}\n")
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
