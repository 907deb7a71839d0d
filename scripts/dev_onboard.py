"""Bring a development Home Assistant to a usable state through its REST API.

Run by ``scripts/develop`` (inside the project's Python environment); the
standard library is all it needs.

    python scripts/dev_onboard.py onboard   first run: onboarding, login, gateway
    python scripts/dev_onboard.py wait      later runs: wait, then report status

Both then do what every start needs (the simulator starts afresh each time,
and a config folder from an older version may lack a setting):

* set Home Assistant's internal URL to the address it listens on (``--url``),
  so that the integration shows a webhook address the gateway can reach
  rather than one built from the machine's guessed LAN address;
* point the simulator's pushes (``--simulator-url``, its control API) at the
  webhook of the gateway's entry, so incoming SMS and delivery reports reach
  Home Assistant at once instead of at the next poll. The webhook id is read
  from the entry's data in CONFIG/.storage (the REST API does not show it); it
  is a secret, so it is never printed. A gateway whose API takes the push
  URL (Ejoin: ``goip_get_status.html?url=...``) is given it by the
  integration itself when the entry sets up, from the internal URL above;
  this then only confirms that the simulator pushes there, and sets it only
  if not (the same address either way). A gateway that pushes nothing
  (Synway; ``--no-push``) is left alone: its SMS arrive by the inbox poll.

``onboard`` finishes whatever onboarding steps are still open, exactly as the
frontend would (user, core_config, analytics, integration), logs in as the
development user, then adds the simulated gateway through the integration's
real config flow (the flow detects the API; should detection fail, the
family given with ``--gateway-family`` is chosen in the flow's next step).
With ``--inbox-interval N`` the new entry's options (the integration's real
options flow) then read the inbox every N seconds. It also tidies what a
first start leaves behind:

* Home Assistant (2026.x) moves the ``http:`` settings of configuration.yaml
  into its own storage on first sight and applies them on trial: unless
  confirmed within minutes it restarts with the old ones, and it flags YAML
  left in place as a repair. This confirms them (as the dialog in the UI
  would) and takes the then-ignored ``http:`` block out of configuration.yaml.
* The onboarding adds a few integrations of its own (text-to-speech, radio,
  shopping list); they are removed so the instance holds only the gateway.

It is idempotent: an already created user is logged in with its password, an
existing gateway entry is kept, and once everything is done a marker file
makes later runs skip straight to ``wait``.

The standard library does the REST calls; the websocket API (only way to
confirm the HTTP settings and to set the internal URL) uses aiohttp, which
Home Assistant brings along.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from dataclasses import dataclass
import json
import os
from pathlib import Path
import sys
import time
from typing import Any
import urllib.error
import urllib.parse
import urllib.request

DOMAIN = "gsm_gateway"

# The development user (quoted in scripts/develop and the README).
DEV_NAME = "Developer"
DEV_USERNAME = "dev"
DEV_PASSWORD = "dev-password-123"  # a throwaway local account
DEV_LANGUAGE = "en"

# Where Home Assistant keeps the config entries (with their data).
ENTRIES_STORE = Path(".storage") / "core.config_entries"

# scripts/develop writes the http: block of configuration.yaml between these.
HTTP_BLOCK_START = "# >>> http (scripts/develop)"
HTTP_BLOCK_END = "# <<< http"


class HttpError(Exception):
    """A request answered with an unexpected status."""

    def __init__(self, method: str, url: str, status: int, body: str) -> None:
        """Keep what went wrong for the message."""
        super().__init__(f"{method} {url}: HTTP {status}: {body[:300]}")
        self.status = status
        self.body = body


def say(message: str) -> None:
    """One line of progress, flushed at once (stdout is a log file)."""
    print(f"dev_onboard: {message}", flush=True)


@dataclass
class Client:
    """A tiny JSON client for one Home Assistant instance."""

    base: str
    token: str | None = None

    @property
    def client_id(self) -> str:
        """The OAuth client id the frontend itself uses: the instance's URL."""
        return self.base + "/"

    @property
    def redirect_uri(self) -> str:
        """Where the frontend expects the authorization code."""
        return self.base + "/?auth_callback=1"

    def request(
        self,
        method: str,
        path: str,
        payload: Any = None,
        *,
        form: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> Any:
        """Send one request; return the decoded JSON answer (or None)."""
        url = self.base + path
        headers = {"Accept": "application/json"}
        data: bytes | None = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif payload is not None:
            data = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                body = resp.read().decode()
        except urllib.error.HTTPError as err:
            raise HttpError(
                method, url, err.code, err.read().decode(errors="replace")
            ) from None
        return json.loads(body) if body.strip() else None

    def status(self, path: str) -> int:
        """The HTTP status of a GET, 0 when nothing answers."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as resp:
                return int(resp.status)
        except urllib.error.HTTPError as err:
            return err.code
        except (OSError, ValueError):
            return 0

    def websocket(self, *commands: dict[str, Any]) -> list[dict[str, Any]]:
        """Send websocket commands in order; return their result messages."""
        import aiohttp  # noqa: PLC0415 - only this part needs it

        async def run() -> list[dict[str, Any]]:
            url = self.base.replace("http", "ws", 1) + "/api/websocket"
            results = []
            async with (
                aiohttp.ClientSession() as session,
                session.ws_connect(url) as ws,
            ):
                await ws.receive_json()  # auth_required
                await ws.send_json({"type": "auth", "access_token": self.token})
                if (answer := await ws.receive_json())["type"] != "auth_ok":
                    raise RuntimeError(f"websocket authentication failed: {answer}")
                for number, command in enumerate(commands, 1):
                    await ws.send_json({"id": number, **command})
                    while (answer := await ws.receive_json()).get("id") != number:
                        pass
                    results.append(answer)
            return results

        return asyncio.run(asyncio.wait_for(run(), 30))

    # -- authentication -------------------------------------------------

    def exchange_code(self, code: str) -> None:
        """Trade an authorization code for an access token."""
        tokens = self.request(
            "POST",
            "/auth/token",
            form={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            },
        )
        self.token = tokens["access_token"]

    def login(self, username: str, password: str) -> None:
        """Log in through the login flow, as the login page does."""
        flow = self.request(
            "POST",
            "/auth/login_flow",
            {
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.redirect_uri,
            },
        )
        result = self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {"client_id": self.client_id, "username": username, "password": password},
        )
        if result.get("type") != "create_entry":
            raise RuntimeError(f"login as {username!r} refused: {result.get('errors')}")
        self.exchange_code(result["result"])


def wait_for_http(client: Client, timeout: float) -> None:
    """Wait until the frontend is served (the onboarding API is then ready too)."""
    deadline = time.monotonic() + timeout
    announced = False
    while time.monotonic() < deadline:
        if client.status("/manifest.json") == 200:
            return
        if not announced:
            say(f"waiting for Home Assistant at {client.base} ...")
            announced = True
        time.sleep(1)
    raise TimeoutError(
        f"Home Assistant did not answer at {client.base} within {timeout:.0f}s"
    )


def wait_until_running(client: Client, timeout: float) -> None:
    """Wait until Home Assistant has finished starting (needs a token)."""
    deadline = time.monotonic() + timeout
    state = "?"
    while time.monotonic() < deadline:
        try:
            state = client.request("GET", "/api/config")["state"]
        except (HttpError, OSError):
            state = "?"
        if state == "RUNNING":
            return
        time.sleep(1)
    raise TimeoutError(f"Home Assistant still {state} after {timeout:.0f}s")


def open_onboarding_steps(client: Client) -> list[str]:
    """The onboarding steps not done yet; none once onboarding is complete."""
    try:
        steps = client.request("GET", "/api/onboarding")
    except HttpError as err:
        if err.status == 404:  # the views are only there until onboarding ends
            return []
        raise
    return [step["step"] for step in steps if not step["done"]]


def onboard(client: Client) -> None:
    """Finish the open onboarding steps and end up logged in."""
    steps = open_onboarding_steps(client)
    if "user" in steps:
        say(f"onboarding: creating the user {DEV_USERNAME!r}")
        answer = client.request(
            "POST",
            "/api/onboarding/users",
            {
                "client_id": client.client_id,
                "name": DEV_NAME,
                "username": DEV_USERNAME,
                "password": DEV_PASSWORD,
                "language": DEV_LANGUAGE,
            },
        )
        client.exchange_code(answer["auth_code"])
    else:
        client.login(DEV_USERNAME, DEV_PASSWORD)
    if "core_config" in steps:
        say(
            "onboarding: core configuration (location etc. come from configuration.yaml)"
        )
        client.request("POST", "/api/onboarding/core_config")
    if "analytics" in steps:
        say("onboarding: analytics (left disabled)")
        client.request("POST", "/api/onboarding/analytics")
    if "integration" in steps:
        say("onboarding: integration step")
        client.request(
            "POST",
            "/api/onboarding/integration",
            {"client_id": client.client_id, "redirect_uri": client.redirect_uri},
        )
    remaining = open_onboarding_steps(client)
    if remaining:
        raise RuntimeError(f"onboarding steps still open: {remaining}")
    say("onboarding complete")


def settle_http_config(client: Client, config_dir: Path | None) -> None:
    """Confirm the http: settings taken over from YAML; drop them from the YAML."""
    (state,) = client.websocket({"type": "http/config"})
    http = state.get("result") or {}
    pending = http.get("pending")
    if (
        state.get("success")
        and pending
        and not pending.get("error")
        and http.get("active_config_type") == "pending"
    ):
        (promoted,) = client.websocket({"type": "http/config/promote"})
        if not promoted.get("success"):
            raise RuntimeError(f"could not confirm the HTTP settings: {promoted}")
        hosts = ", ".join(pending.get("server_host") or ["all addresses"])
        say(
            f"confirmed the HTTP settings (listening on {hosts}:{pending['server_port']})"
        )
    if config_dir is None:
        return
    yaml_file = config_dir / "configuration.yaml"
    lines = yaml_file.read_text().splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith(HTTP_BLOCK_START)]
    ends = [i for i, line in enumerate(lines) if line.startswith(HTTP_BLOCK_END)]
    if starts and ends and ends[0] > starts[0]:
        del lines[starts[0] : ends[0] + 1]
        yaml_file.write_text("".join(lines))
        say(
            "removed the http: block from configuration.yaml (now in Home Assistant's storage)"
        )
        # The repair asking to remove that YAML is stale now (it goes at the next start).
        client.websocket(
            {
                "type": "repairs/ignore_issue",
                "domain": "http",
                "issue_id": "deprecated_yaml",
                "ignore": True,
            }
        )


def ensure_internal_url(client: Client, url: str) -> None:
    """Make ``url`` the instance's internal URL unless it is already."""
    current = client.request("GET", "/api/config").get("internal_url")
    if (current or "").rstrip("/") == url:
        return
    (answer,) = client.websocket({"type": "config/core/update", "internal_url": url})
    if not answer.get("success"):
        raise RuntimeError(f"could not set the internal URL: {answer.get('error')}")
    say(f"internal URL set to {url} (was {current or 'not set'})")


def stored_webhook_id(
    config_dir: Path, host: str, port: int, timeout: float
) -> str | None:
    """The webhook id of the enabled gateway entry for ``host``:``port``.

    A new entry reaches the storage file a moment after it is created, hence
    the wait; None if no such entry (or none with a webhook) shows up.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            stored = json.loads((config_dir / ENTRIES_STORE).read_text())
            entries = stored["data"]["entries"]
        except (OSError, ValueError, KeyError, TypeError):
            entries = []
        ours = [
            e
            for e in entries
            if e.get("domain") == DOMAIN
            and not e.get("disabled_by")
            and (e.get("data") or {}).get("webhook_id")
        ]
        same_gateway = [
            e
            for e in ours
            if e["data"].get("host") == host and e["data"].get("port") in (port, None)
        ]
        if same_gateway or len(ours) == 1:
            return str((same_gateway or ours)[0]["data"]["webhook_id"])
        if time.monotonic() > deadline:
            return None
        time.sleep(0.5)


def wire_pushes(
    simulator_url: str, config_dir: Path, ha_url: str, host: str, port: int
) -> None:
    """Point the simulator's pushes at the gateway entry's webhook."""
    webhook_id = stored_webhook_id(config_dir, host, port, timeout=30)
    if webhook_id is None:
        say(
            f"no enabled {DOMAIN} entry for {host}:{port} with a webhook: "
            "the simulator does not push (SMS arrive by polling)"
        )
        return
    target = f"{ha_url}/api/webhook/{webhook_id}"
    simulator = Client(simulator_url)
    with contextlib.suppress(HttpError, OSError, ValueError):
        state = simulator.request("GET", "/sim/api/state")
        if isinstance(state, dict) and state.get("push_url") == target:
            # A gateway that takes its push URL through its API: the entry
            # registered it when it set up.
            say(
                "the gateway pushes to Home Assistant's webhook already, as the "
                "integration registered it (SMS arrive within a second)"
            )
            return
    try:
        answer = simulator.request("PUT", "/sim/api/push", {"url": target})
    except HttpError as err:
        if err.status in (401, 404, 405):  # answered by the gateway API alone
            say(
                "the simulator has no control API to set its push URL; SMS arrive by polling"
            )
            return
        # The message would quote the URL sent; keep the webhook id out of it.
        raise RuntimeError(
            f"the simulator refused the push URL: HTTP {err.status}"
        ) from None
    if (answer or {}).get("push_url") != target:
        raise RuntimeError("the simulator did not take the push URL")
    say("pushes wired to Home Assistant's webhook (SMS arrive within a second)")


def every_start(args: argparse.Namespace, client: Client, *, logged_in: bool) -> None:
    """What each start needs: the internal URL (needs a login), the pushes.

    Neither is worth stopping for: a failure is reported and that is all.
    """
    url = (args.internal_url or client.base).rstrip("/")
    if logged_in:
        try:
            ensure_internal_url(client, url)
        except (HttpError, RuntimeError, OSError, TimeoutError) as err:
            say(f"warning: the internal URL is unchanged: {err}")
    if args.no_push:
        say(
            "the gateway pushes nothing: SMS arrive when the integration reads "
            "its inbox (the entry's inbox poll interval)"
        )
    elif args.simulator_url and args.config:
        try:
            wire_pushes(
                args.simulator_url.rstrip("/"),
                Path(args.config),
                url,
                args.gateway_host,
                args.gateway_port,
            )
        except (HttpError, RuntimeError, OSError) as err:
            say(f"warning: the simulator does not push (SMS arrive by polling): {err}")


def remove_onboarding_entries(client: Client) -> None:
    """Delete the config entries the onboarding created by itself."""
    for entry in client.request("GET", "/api/config/config_entries/entry"):
        if entry.get("source") == "onboarding":
            client.request(
                "DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}"
            )
            say(f"removed the onboarding's {entry['title']!r} ({entry['domain']})")


def gateway_entries(client: Client) -> list[dict[str, Any]]:
    """The config entries of the integration."""
    entries: list[dict[str, Any]] = client.request(
        "GET", f"/api/config/config_entries/entry?domain={DOMAIN}"
    )
    return entries


def add_gateway(
    client: Client,
    gateway: dict[str, Any],
    timeout: float,
    family: str | None = None,
) -> dict[str, Any]:
    """Run the integration's config flow, retrying while the gateway is not up.

    The flow detects the gateway's API; ``family`` is the answer to its
    question when it does not.
    """
    deadline = time.monotonic() + timeout
    while True:
        flow = client.request(
            "POST",
            "/api/config/config_entries/flow",
            {"handler": DOMAIN, "show_advanced_options": False},
        )
        if flow.get("type") != "form" or flow.get("step_id") != "user":
            raise RuntimeError(f"unexpected first step of the config flow: {flow}")
        result = client.request(
            "POST", f"/api/config/config_entries/flow/{flow['flow_id']}", gateway
        )
        kind = result.get("type")
        if kind == "form" and result.get("step_id") == "api_family" and family:
            say(f"config flow: the API was not detected; choosing {family!r}")
            result = client.request(
                "POST",
                f"/api/config/config_entries/flow/{flow['flow_id']}",
                {"api_family": family},
            )
            kind = result.get("type")
        if kind == "create_entry":
            created: dict[str, Any] = result["result"]
            return created
        if kind == "abort":
            raise RuntimeError(f"config flow aborted: {result.get('reason')}")
        errors = result.get("errors") or {}
        # Leave the form so no half-finished flow stays behind.
        with contextlib.suppress(HttpError):
            client.request(
                "DELETE", f"/api/config/config_entries/flow/{flow['flow_id']}"
            )
        if errors.get("host") != "cannot_connect" or time.monotonic() > deadline:
            raise RuntimeError(f"config flow did not create an entry: {result}")
        say("the simulator does not answer yet; retrying the config flow")
        time.sleep(2)


def wait_entry_loaded(client: Client, timeout: float) -> dict[str, Any] | None:
    """Wait for the first gateway entry to leave the setup states; return it."""
    deadline = time.monotonic() + timeout
    entry: dict[str, Any] | None = None
    while time.monotonic() < deadline:
        entries = gateway_entries(client)
        entry = entries[0] if entries else None
        if entry is None or entry.get("state") not in (
            "not_loaded",
            "setup_in_progress",
            "unload_in_progress",
        ):
            break
        time.sleep(1)
    return entry


def set_inbox_interval(client: Client, entry_id: str, seconds: int) -> None:
    """Have the entry read its inbox every ``seconds`` (its options flow).

    The other options keep their values (the form's defaults); saving them
    reloads the entry.
    """
    path = "/api/config/config_entries/options/flow"
    flow = client.request("POST", path, {"handler": entry_id})
    if flow.get("type") != "form":
        raise RuntimeError(f"unexpected options flow: {flow.get('type')}")
    fields = {field.get("name"): field for field in flow.get("data_schema") or []}
    if fields.get("inbox_interval", {}).get("default") == seconds:
        with contextlib.suppress(HttpError):
            client.request("DELETE", f"{path}/{flow['flow_id']}")
        return
    result = client.request(
        "POST", f"{path}/{flow['flow_id']}", {"inbox_interval": seconds}
    )
    if result.get("type") != "create_entry":
        with contextlib.suppress(HttpError):
            client.request("DELETE", f"{path}/{flow['flow_id']}")
        raise RuntimeError(f"options not saved: {result.get('errors') or result}")
    say(f"options: the inbox is read every {seconds} s (default 60 s)")


def report(client: Client, entry: dict[str, Any] | None) -> None:
    """Say how the gateway entry is doing and how many entities it has."""
    if entry is None:
        say(f"no {DOMAIN} entry exists (add one under Settings > Devices & services)")
        return
    states = client.request("GET", "/api/states")
    slug = entry["title"].lower().replace(" ", "_")
    ours = [
        s["entity_id"]
        for s in states
        if s["entity_id"].split(".", 1)[1].startswith(slug)
    ]
    say(
        f"entry {entry['title']!r}: {entry['state']}, {len(ours)} entities named {slug}_*"
    )
    if entry["state"] != "loaded":
        say(
            f"  reason: {entry.get('reason')} (see home-assistant.log in the config folder)"
        )


def cmd_onboard(args: argparse.Namespace, client: Client) -> int:
    """First run: onboarding, tidying, the gateway entry, the marker."""
    wait_for_http(client, args.timeout)
    onboard(client)
    wait_until_running(client, args.timeout)
    settle_http_config(client, Path(args.config) if args.config else None)
    # Before the entry exists, so that even the config flow's last step shows
    # the reachable webhook address (every_start below then finds it set).
    with contextlib.suppress(HttpError, RuntimeError, OSError, TimeoutError):
        ensure_internal_url(client, (args.internal_url or client.base).rstrip("/"))
    entries = gateway_entries(client)
    if entries:
        say(
            f"a {DOMAIN} entry exists already: {entries[0]['title']!r}; not adding another"
        )
    else:
        gateway = {
            "host": args.gateway_host,
            "port": args.gateway_port,
            "ssl": False,
            "verify_ssl": False,
            "username": args.gateway_username,
            "password": args.gateway_password,
        }
        say(
            f"config flow: adding the gateway at {args.gateway_host}:{args.gateway_port}"
        )
        created = add_gateway(client, gateway, timeout=60, family=args.gateway_family)
        say(f"config flow: created entry {created['title']!r} ({created['entry_id']})")
    entry = wait_entry_loaded(client, 60)
    if args.inbox_interval and entry is not None:
        try:
            set_inbox_interval(client, entry["entry_id"], args.inbox_interval)
        except (HttpError, RuntimeError, OSError) as err:
            say(f"warning: the inbox poll interval is unchanged: {err}")
        time.sleep(1)  # the entry reloads with its new options
        entry = wait_entry_loaded(client, 60)
    # (The onboarding sets its integrations up in the background: by now they are.)
    remove_onboarding_entries(client)
    every_start(args, client, logged_in=True)
    report(client, entry)
    if args.marker:
        Path(args.marker).write_text(
            json.dumps({"onboarded": time.strftime("%Y-%m-%dT%H:%M:%S%z")}) + "\n"
        )
    return 0


def cmd_wait(args: argparse.Namespace, client: Client) -> int:
    """Later runs: wait for Home Assistant, then report on the gateway."""
    wait_for_http(client, args.timeout)
    entry: dict[str, Any] | None = None
    try:
        client.login(DEV_USERNAME, DEV_PASSWORD)
        wait_until_running(client, args.timeout)
        entry = wait_entry_loaded(client, 60)
    except (HttpError, RuntimeError, OSError) as err:
        # The UI is up; only the status report fails (password changed, say).
        say(f"Home Assistant is up, but no status report: {err}")
        every_start(args, client, logged_in=False)
        return 0
    every_start(args, client, logged_in=True)
    try:
        report(client, entry)
    except (HttpError, RuntimeError, OSError) as err:
        say(f"Home Assistant is up, but no status report: {err}")
    return 0


def main() -> int:
    """Parse the command line and run the command."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["onboard", "wait"])
    parser.add_argument(
        "--url", default=os.environ.get("GSM_DEV_HA_URL", "http://127.0.0.1:8123")
    )
    parser.add_argument(
        "--timeout", type=float, default=600, help="seconds to wait for Home Assistant"
    )
    parser.add_argument("--gateway-host", default="127.0.0.1")
    parser.add_argument("--gateway-port", type=int, default=8081)
    parser.add_argument("--gateway-username", default="admin")
    parser.add_argument("--gateway-password", default="admin")
    parser.add_argument(
        "--gateway-family",
        help="the API family to choose should the config flow not detect it",
    )
    parser.add_argument("--marker", help="file to write once everything is done")
    parser.add_argument(
        "--config",
        help="Home Assistant's config folder (for the http: block and the webhook id)",
    )
    parser.add_argument(
        "--internal-url",
        help="the internal URL Home Assistant is to have (default: --url)",
    )
    parser.add_argument(
        "--simulator-url",
        help="the simulator to send pushes to the gateway's webhook (its control API)",
    )
    parser.add_argument(
        "--no-push",
        action="store_true",
        help="the gateway pushes nothing (Synway): do not wire pushes",
    )
    parser.add_argument(
        "--inbox-interval",
        type=int,
        help="seconds between inbox polls, set in a new entry's options",
    )
    args = parser.parse_args()
    client = Client(args.url.rstrip("/"))
    try:
        if args.command == "onboard":
            return cmd_onboard(args, client)
        return cmd_wait(args, client)
    except (HttpError, RuntimeError, TimeoutError, OSError) as err:
        say(f"failed: {err}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
