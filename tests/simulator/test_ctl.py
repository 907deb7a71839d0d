"""``python -m gsm_simulator ctl``: the control API's command line, in-process."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from typing import TYPE_CHECKING, Any

from aiohttp import web
import pytest

from gsm_simulator import RegState, __main__ as cli, ctl

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from gsm_simulator import PushReceiver, Simulator


class Ctl:
    """Runs ``ctl`` against one simulator in a thread (urllib blocks)."""

    def __init__(self, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        """Talk to the simulator at ``url``; read the output from ``capsys``."""
        self.url = url
        self.capsys = capsys

    async def run(self, *args: str) -> tuple[int, str, str]:
        """Exit code, stdout and stderr of ``ctl --url URL ARGS``."""
        self.capsys.readouterr()
        code = await asyncio.to_thread(ctl.main, ["--url", self.url, *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    async def ok(self, *args: str) -> Any:
        """The decoded JSON a successful command printed."""
        code, out, err = await self.run(*args)
        assert (code, err) == (0, "")
        return json.loads(out)


@pytest.fixture
def run(fast_sim: Simulator, capsys: pytest.CaptureFixture[str]) -> Ctl:
    """``ctl`` against :func:`fast_sim`."""
    return Ctl(fast_sim.url, capsys)


async def test_state(run: Ctl, fast_sim: Simulator) -> None:
    """``state`` prints the state, indented."""
    code, out, _ = await run.run("state")
    assert code == 0
    assert out.startswith('{\n  "dialect": "dinstar"')
    state = json.loads(out)
    assert state["serial"] == fast_sim.serial
    assert len(state["ports"]) == 8


async def test_sms(run: Ctl, fast_sim: Simulator) -> None:
    """``sms`` by options or in order; ``--slot`` is passed on."""
    args = ("sms", "--port", "2", "--sender", "+447700900123", "--text", "hello")
    assert await run.ok(*args) == {"message_id": 1}
    assert await run.ok("sms", "2", "6717", "second", "--slot", "0") == {
        "message_id": 2
    }
    assert [(s.port, s.number, s.text) for s in fast_sim.state.inbox] == [
        (2, "+447700900123", "hello"),
        (2, "6717", "second"),
    ]
    code, _, err = await run.run("sms", "2", "6717", "x", "--slot", "1")
    assert code == 1
    assert err == (
        f"error: POST {fast_sim.url}/sim/api/sms: HTTP 400: no slot 1 on this gateway\n"
    )


async def test_ussd(run: Ctl, fast_sim: Simulator) -> None:
    """``ussd`` delivers a message to the port."""
    assert await run.ok("ussd", "--port", "1", "--text", "Bonus") == {
        "port": 1,
        "text": "Bonus",
    }
    assert await run.ok("ussd", "4", "Again") == {"port": 4, "text": "Again"}
    assert fast_sim.state.ussd.last_reply(1) == "Bonus"


async def test_port(run: Ctl, fast_sim: Simulator) -> None:
    """``port`` shows a port, or changes any of its values."""
    assert (await run.ok("port", "1"))["registration"] == "registered"
    port = await run.ok(
        "port",
        "1",
        "--registration",
        "denied",
        "--signal",
        "4",
        "--balance",
        "2.5",
        "--power",
        "on",
    )
    assert (port["registration"], port["signal"], port["balance"], port["power"]) == (
        "denied",
        4,
        2.5,
        True,
    )
    assert (await run.ok("port", "1", "--no-sim"))["sim_present"] is False
    assert (await run.ok("port", "1", "--sim-present"))["sim_present"] is True
    assert (await run.ok("port", "1", "--power", "off"))["power"] is False
    assert fast_sim.state.port(1).registration is RegState.POWER_OFF
    code, _, err = await run.run("port", "99", "--signal", "3")
    assert code == 1
    assert err.endswith("HTTP 404: no port 99 on this gateway\n")


async def test_gateway_and_reboot(run: Ctl, fast_sim: Simulator) -> None:
    """``gateway MODE`` and ``reboot``."""
    answer = await run.ok("gateway", "slow", "--seconds", "0.5")
    assert answer == {"mode": "slow", "seconds": 0.5, "rebooting": False}
    assert fast_sim.faults.mode_seconds == 0.5
    assert (await run.ok("gateway", "down"))["mode"] == "down"
    assert (await run.ok("gateway", "ok"))["mode"] == "ok"
    assert (await run.ok("reboot", "--downtime", "0"))["downtime"] == 0.0
    answer = await run.ok("reboot")
    assert answer["downtime"] == 5.0
    assert answer["gateway"]["rebooting"] is True
    assert fast_sim.state.boot_count == 3


async def test_push_url(
    run: Ctl, fast_sim: Simulator, push_receiver: PushReceiver
) -> None:
    """``push-url URL`` (with ``--types``) and ``push-url none``."""
    answer = await run.ok("push-url", push_receiver.url, "--types", "sms, ussd,")
    assert answer == {"push_url": push_receiver.url, "push_types": ["sms", "ussd"]}
    assert fast_sim.push_url == push_receiver.url
    assert (await run.ok("push-url", "none"))["push_url"] is None
    assert fast_sim.push_url is None


async def test_through_the_module_entry(
    fast_sim: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python -m gsm_simulator ctl ...`` reaches the client (argv or sys.argv)."""
    code = await asyncio.to_thread(cli.main, ["ctl", "--url", fast_sim.url, "state"])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["serial"] == fast_sim.serial
    argv = ["gsm_simulator", "ctl", "--url", fast_sim.url + "/", "port", "0"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "argv", argv)
        code = await asyncio.to_thread(cli.main)
    assert code == 0
    assert json.loads(capsys.readouterr().out)["port"] == 0


def free_port() -> int:
    """A loopback port nothing listens on (just closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable(loopback: None, capsys: pytest.CaptureFixture[str]) -> None:
    """No simulator there: one line, exit 1."""
    url = f"http://127.0.0.1:{free_port()}"
    assert ctl.main(["--url", url, "state"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot reach {url}: ")
    assert err.count("\n") == 1


def test_not_http(capsys: pytest.CaptureFixture[str]) -> None:
    """Only http(s) URLs are opened."""
    assert ctl.main(["--url", "file:///etc/passwd", "state"]) == 1
    assert capsys.readouterr().err == (
        "error: --url must be an http(s) URL, got 'file:///etc/passwd'\n"
    )


def test_bad_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    """A missing value or unknown choice is a usage error (exit 2)."""
    with pytest.raises(SystemExit) as exit_info:
        ctl.main(["sms", "1"])
    assert exit_info.value.code == 2
    assert "sms needs sender and text" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        ctl.main(["gateway", "broken"])
    with pytest.raises(SystemExit):
        ctl.main(["port", "1", "--sim-present", "--no-sim"])
    with pytest.raises(SystemExit) as exit_info:
        ctl.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("state", "sms", "ussd", "port", "gateway", "reboot", "push-url"):
        assert command in out


@pytest.fixture
async def odd_server(loopback: None) -> AsyncIterator[str]:
    """A server answering like no simulator: text where JSON belongs, JSON without error."""

    async def handle(request: web.Request) -> web.Response:
        if request.path == "/sim/api/state":
            return web.Response(text="<html>hello</html>")
        if request.path == "/sim/api/ports/1":
            return web.json_response({"detail": "nope"}, status=500)
        return web.Response(status=418, text="teapot")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.create_server(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        await runner.cleanup()


async def test_odd_answers(odd_server: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Answers that are not the control API's still end in one line and exit 1."""
    run = Ctl(odd_server, capsys)
    code, _, err = await run.run("state")
    assert (code, err) == (
        1,
        f"error: GET {odd_server}/sim/api/state: the answer is not JSON\n",
    )
    code, _, err = await run.run("port", "1", "--signal", "3")
    assert (code, err) == (
        1,
        f"error: POST {odd_server}/sim/api/ports/1: HTTP 500: Internal Server Error\n",
    )
    code, _, err = await run.run("ussd", "1", "x")
    assert (code, err) == (
        1,
        f"error: POST {odd_server}/sim/api/ussd: HTTP 418: I'm a Teapot\n",
    )
