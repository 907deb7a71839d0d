"""The command line of the simulator."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
import signal
import subprocess
import sys
from typing import TYPE_CHECKING

import aiohttp
import pytest

from gsm_simulator import __main__ as cli

if TYPE_CHECKING:
    from gsm_simulator.server import Simulator

REPO = Path(__file__).resolve().parents[2]


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    """--help lists the options and exits 0."""
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for option in (
        "--ports",
        "--slots",
        "--auth",
        "--seed",
        "--delay",
        "--content-type",
        "--send-time",
        "--delivery-delay",
        "--ussd-delay",
        "--register-delay",
        "--stk-delay",
        "--push-url",
        "--push-types",
        "--push-timeout",
    ):
        assert option in out
    assert "python -m gsm_simulator ctl --help" in out


def test_print_flushes(capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI's output lines."""
    cli._print("hello")
    assert capsys.readouterr().out == "hello\n"


def test_parse_defaults() -> None:
    """Defaults match the documented command line."""
    args = cli.build_parser().parse_args(["dinstar"])
    sim = cli.simulator_from_args(args)
    assert (args.port, args.ports, args.slots, args.auth, args.delay, args.host) == (
        8081,
        8,
        1,
        "digest",
        0.05,
        "127.0.0.1",
    )
    assert sim.faults.delay == 0.05
    assert sim.drift_interval == 5.0
    assert sim.timings.send_time == 6.5
    assert sim.push_url is None
    assert sim.push_types == frozenset(
        {
            "sms",
            "sms_result",
            "sms_deliver_status",
            "ussd",
            "register",
            "cdr",
            "missed_call",
            "device",
            "exception_info",
        }
    )
    args = cli.build_parser().parse_args(
        ["dinstar", "--drift-interval", "0", "--auth", "basic"]
    )
    sim = cli.simulator_from_args(args)
    assert sim.drift_interval is None
    assert sim.auth.mode == "basic"


def test_timing_and_push_options() -> None:
    """Timings and push settings reach the simulator."""
    args = cli.build_parser().parse_args(
        [
            "dinstar",
            "--send-time",
            "0.5",
            "--delivery-delay",
            "1",
            "--ussd-delay",
            "0.2",
            "--register-delay",
            "3",
            "--stk-delay",
            "0.1",
            "--push-url",
            "http://127.0.0.1:9/push",
            "--push-types",
            "sms, sms_result,",
            "--push-timeout",
            "2",
        ]
    )
    sim = cli.simulator_from_args(args)
    timings = sim.timings
    assert (
        timings.send_time,
        timings.delivery_delay,
        timings.ussd_delay,
        timings.register_delay,
        timings.stk_delay,
    ) == (0.5, 1, 0.2, 3, 0.1)
    assert sim.push_url == "http://127.0.0.1:9/push"
    assert sim.push_types == {"sms", "sms_result"}
    assert sim.pusher.timeout == 2


def test_bad_option(capsys: pytest.CaptureFixture[str]) -> None:
    """Out-of-range values are reported, exit code 2."""
    assert cli.main(["dinstar", "--ports", "40"]) == 2
    assert "ports must be between" in capsys.readouterr().err
    assert cli.main(["dinstar", "--push-types", "sms,fax"]) == 2
    assert "unknown push types: fax" in capsys.readouterr().err
    assert cli.main(["dinstar", "--send-time", "-1"]) == 2


def test_main_exit_paths(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Normal end, Ctrl-C and a bind error."""

    async def finish(
        simulator: Simulator, stop: asyncio.Event, out: object = print
    ) -> None:
        del simulator, stop, out

    monkeypatch.setattr(cli, "serve", finish)
    assert cli.main(["dinstar", "--port", "0"]) == 0

    async def interrupted(
        simulator: Simulator, stop: asyncio.Event, out: object = print
    ) -> None:
        del simulator, stop, out
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "serve", interrupted)
    assert cli.main(["dinstar", "--port", "0"]) == 0

    async def busy(
        simulator: Simulator, stop: asyncio.Event, out: object = print
    ) -> None:
        del simulator, stop, out
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(cli, "serve", busy)
    assert cli.main(["dinstar", "--port", "0"]) == 1
    assert "Address already in use" in capsys.readouterr().err


async def test_serve_until_stopped(loopback: None) -> None:
    """serve() announces URL and serial, answers, and stops when told."""
    lines: list[str] = []
    announced = asyncio.Event()

    def out(line: str) -> None:
        lines.append(line)
        announced.set()

    args = cli.build_parser().parse_args(
        [
            "dinstar",
            "--port",
            "0",
            "--auth",
            "none",
            "--delay",
            "0",
            "--seed",
            "3",
            "--push-url",
            "http://127.0.0.1:9/push",
            "--push-types",
            "sms",
        ]
    )
    simulator = cli.simulator_from_args(args)
    stop = asyncio.Event()
    task = asyncio.ensure_future(cli.serve(simulator, stop, out))
    await asyncio.wait_for(announced.wait(), 5)
    async with (
        aiohttp.ClientSession() as session,
        session.get(simulator.url + "/api/query_sms_in_queue") as response,
    ):
        assert response.status == 200
    stop.set()
    await task
    assert simulator.running is False
    assert lines[0].startswith("dinstar simulator listening on http://127.0.0.1:")
    assert simulator.serial in lines[1]
    assert lines[2] == f"control panel: {lines[0].rsplit(' ', 1)[1]}/sim/"
    assert lines[3] == "pushing sms to http://127.0.0.1:9/push"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
async def test_stop_on_signals() -> None:
    """SIGINT and SIGTERM set the stop event; the old handlers come back after."""
    before = {number: signal.getsignal(number) for number in cli.STOP_SIGNALS}
    for number in cli.STOP_SIGNALS:
        stop = asyncio.Event()
        with cli.stop_on_signals(stop):
            assert signal.getsignal(number) is not before[number]
            signal.raise_signal(number)
            await asyncio.wait_for(stop.wait(), 5)
        assert {n: signal.getsignal(n) for n in cli.STOP_SIGNALS} == before


# Started from a non-interactive shell in the background (``cmd &``), a process
# inherits SIGINT ignored; Python then installs no KeyboardInterrupt handler.
# Starting the simulator that way shows it still stops on SIGINT.
_SIGINT_IGNORED = (
    "import os, signal, sys;"
    "signal.signal(signal.SIGINT, signal.SIG_IGN);"
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
async def test_cli_process(loopback: None) -> None:
    """The real command: starts, answers a digest client, ends cleanly on Ctrl-C.

    It is started with SIGINT ignored, as by a shell's background job: the
    simulator must handle SIGINT itself, not rely on Python's default.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        _SIGINT_IGNORED,
        "-m",
        "gsm_simulator",
        "dinstar",
        "--port",
        "0",
        "--ports",
        "4",
        "--seed",
        "1",
        stdout=subprocess.PIPE,
        env=env,
        cwd=REPO,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        assert "listening on http://127.0.0.1:" in line
        url = line.rsplit(" ", 1)[1].strip()
        assert (
            "serial dc00-"
            in (await asyncio.wait_for(process.stdout.readline(), 5)).decode()
        )
        panel = (await asyncio.wait_for(process.stdout.readline(), 5)).decode()
        assert panel == f"control panel: {url}/sim/\n"
        middleware = aiohttp.DigestAuthMiddleware("admin", "admin")
        async with (
            aiohttp.ClientSession(middlewares=(middleware,)) as session,
            session.get(
                url + "/api/get_port_info", params={"info_type": "reg"}
            ) as response,
        ):
            assert response.status == 200
            assert len((await response.json())["info"]) == 4
        async with (
            aiohttp.ClientSession() as session,
            session.get(url + "/sim/api/state") as response,
        ):
            assert len((await response.json())["ports"]) == 4
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), 10) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
