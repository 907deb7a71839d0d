"""Ejoin credentials, options, the command line and the shared faults."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import aiohttp
import pytest

from gsm_simulator import Simulator, __main__ as cli
from gsm_simulator.ejoin import EjoinDialect, EjoinOptions

from .ejoin_support import CREDENTIALS, start_ejoin
from .test_cli import REPO

if TYPE_CHECKING:
    from gsm_simulator.pytest_plugin import SimulatorFactory

STATUS = "/goip_get_status.html"
INVALID_USER = {"code": 1, "reason": "Invalid User"}


async def test_query_credentials_and_the_invalid_user_answer(
    gsm_simulator_factory: SimulatorFactory,
    session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Query or body credentials pass (``Username`` too); others get code 1, never logged."""
    caplog.set_level(logging.DEBUG)
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=2, auth=None)
    assert sim.auth.mode == "query"  # the dialect's default
    assert (await api.get(STATUS))["type"] == "dev-status"
    capital = {"Username": "root", "password": "s3cret"}
    status, answer = await api.call("GET", STATUS, credentials=capital)
    assert (status, answer["type"]) == (200, "dev-status")
    for credentials in (
        {},
        {"username": "root"},
        {"username": "root", "password": "x"},
    ):
        assert await api.call("GET", STATUS, credentials=credentials) == (
            200,
            INVALID_USER,
        )
    body = {**CREDENTIALS, "type": "send-sms", "tasks": []}
    assert await api.call("POST", "/goip_post_sms.html", body, credentials={}) == (
        200,
        {"code": 200, "reason": "OK", "type": "task-status", "status": []},
    )
    wrong = {**body, "password": "nope"}
    assert await api.call("POST", "/goip_post_sms.html", wrong, credentials={}) == (
        200,
        INVALID_USER,
    )
    sim.receive_sms(0, "+447700900123", "hello")
    await api.command(op="lock", ports="1")
    assert "s3cret" not in caplog.text
    assert "nope" not in caplog.text


async def test_refusal_as_http_401(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """The refusal option answers wrong credentials with a bare 401."""
    _, api = await start_ejoin(
        gsm_simulator_factory, session, ports=1, dialect_options={"refusal": "401"}
    )
    status, text = await api.call("GET", STATUS, credentials={"username": "root"})
    assert status == 401
    assert "401 Unauthorized" in text
    assert (await api.get(STATUS))["max-ports"] == 1


async def test_shared_faults_on_ejoin_paths(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """HTTP errors, malformed JSON, drops and the gateway modes work as for Dinstar."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=1)
    sim.faults.status(503, path=STATUS)
    assert (await api.call("GET", STATUS))[0] == 503
    sim.faults.malformed_json(path=STATUS)
    status, text = await api.call("GET", STATUS)
    assert status == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    sim.faults.drop(count=2, path="/goip_get_sms.html")  # a GET is retried once
    with pytest.raises(aiohttp.ClientError):
        await api.call("GET", "/goip_get_sms.html")
    sim.faults.slow(0.05, path=STATUS)
    assert (await api.get(STATUS))["type"] == "dev-status"
    sim.faults.set_mode("error")
    assert (await api.call("GET", STATUS))[0] == 500
    sim.faults.set_mode("ok")
    sim.faults.timeout(count=2, seconds=0.05)
    with pytest.raises(aiohttp.ClientError):
        await api.call("GET", STATUS)
    assert (await api.get(STATUS))["type"] == "dev-status"


def test_options_from_text_and_values() -> None:
    """Options come as text (the CLI) or typed; unknown or bad ones are refused."""
    options = EjoinOptions.from_mapping(
        {
            "slot_style": "Letter",
            "refusal": "401",
            "status_text": "on",
            "min_period": "0.5",
            "task_limit": "3",
            "ussd_timeout": 2,
            "reboot_downtime": 0,
            "signal_threshold": "0",
            "sms_url": " http://127.0.0.1:9/sms ",
            "sr_url": "",
            "firmware": "1.2.3",
        }
    )
    assert options == EjoinOptions(
        slot_style="letter",
        refusal="401",
        status_text=True,
        min_period=0.5,
        task_limit=3,
        ussd_timeout=2.0,
        reboot_downtime=0.0,
        signal_threshold=0,
        sms_url="http://127.0.0.1:9/sms",
        sr_url="",
        firmware="1.2.3",
    )
    assert EjoinOptions.from_mapping({"status_text": False}).status_text is False
    assert EjoinOptions.from_mapping({"status_text": "0"}).status_text is False
    for bad, match in (
        ({"colour": "red"}, "unknown ejoin option"),
        ({"slot_style": "roman"}, "slot_style must be one of"),
        ({"status_text": "maybe"}, "true or false"),
        ({"min_period": "soon"}, "seconds"),
        ({"min_period": -1}, "seconds"),
        ({"min_period": True}, "seconds"),
        ({"min_period": None}, "seconds"),
        ({"task_limit": "1.5"}, "whole number"),
        ({"task_limit": True}, "whole number"),
        ({"sms_url": 5}, "text"),
    ):
        with pytest.raises(ValueError, match=match):
            EjoinOptions.from_mapping(bad)


def test_dialect_options_reach_the_dialect() -> None:
    """Simulator(dialect_options=...) configures the dialect; Dinstar takes none."""
    sim = Simulator("ejoin", ports=1, dialect_options={"slot_style": "letter"})
    assert isinstance(sim.dialect, EjoinDialect)
    assert sim.dialect.options.slot_style == "letter"
    assert sim.dialect.view.label(0) == "1A"
    with pytest.raises(ValueError, match="the dinstar dialect has no options"):
        Simulator("dinstar", ports=1, dialect_options={"x": "1"})


def test_cli_auth_follows_the_dialect(capsys: pytest.CaptureFixture[str]) -> None:
    """--auth defaults to the dialect's; --dialect-option NAME=VALUE configures it."""
    parser = cli.build_parser()
    assert parser.parse_args(["ejoin"]).auth == "query"
    assert parser.parse_args(["dinstar"]).auth == "digest"
    assert parser.parse_args(["--auth", "basic", "ejoin"]).auth == "basic"
    assert parser.parse_args(["ejoin", "--auth", "none"]).auth == "none"
    args = parser.parse_args(
        [
            "ejoin",
            "--dialect-option",
            "slot_style=letter",
            "--dialect-option",
            "refusal = 401",
        ]
    )
    sim = cli.simulator_from_args(args)
    assert isinstance(sim.dialect, EjoinDialect)
    assert (sim.dialect.options.slot_style, sim.dialect.options.refusal) == (
        "letter",
        "401",
    )
    assert sim.auth.mode == "query"
    assert cli.main(["ejoin", "--dialect-option", "slot_style"]) == 2
    assert "NAME=VALUE" in capsys.readouterr().err
    assert cli.main(["ejoin", "--dialect-option", "slot_style=roman"]) == 2
    assert "slot_style must be one of" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
async def test_cli_process_speaks_ejoin(loopback: None) -> None:
    """``python -m gsm_simulator ejoin --auth query`` answers the status page."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "gsm_simulator",
        "ejoin",
        "--auth",
        "query",
        "--port",
        "0",
        "--ports",
        "2",
        "--username",
        "root",
        "--password",
        "s3cret",
        stdout=subprocess.PIPE,
        env=env,
        cwd=REPO,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        assert line.startswith("ejoin simulator listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1].strip()
        assert (
            "auth query"
            in (await asyncio.wait_for(process.stdout.readline(), 5)).decode()
        )
        async with (
            aiohttp.ClientSession() as session,
            session.get(url + STATUS, params=CREDENTIALS) as response,
        ):
            assert response.status == 200
            assert (await response.json(content_type=None))["max-ports"] == 2
        process.send_signal(2)  # SIGINT
        assert await asyncio.wait_for(process.wait(), 10) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
