"""Server-side authentication: Digest (RFC 7616, qop=auth), Basic, query credentials.

One :class:`Authenticator` per simulator.  :meth:`Authenticator.check` returns
``None`` for an authorised request, or the response to send back: for Digest
and Basic a 401 with a fresh challenge; for :attr:`AuthMode.QUERY` whatever
the ``refusal`` callback answers (the dialect decides: a plain 401, or an
HTTP 200 carrying the vendor's error code).
"""

from __future__ import annotations

import base64
import binascii
from collections import OrderedDict
from enum import StrEnum
import hashlib
import hmac
import json
import re
import secrets
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import unquote, unquote_plus, urlsplit

from aiohttp import hdrs, web

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

_HASHES: Final[dict[str, Callable[[bytes], str]]] = {
    "MD5": lambda data: hashlib.md5(data, usedforsecurity=False).hexdigest(),
    "SHA-256": lambda data: hashlib.sha256(data).hexdigest(),
}
_PARAM_RE: Final = re.compile(
    r'([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))'
)
_ESCAPE_RE: Final = re.compile(r"\\(.)")
_NC_RE: Final = re.compile(r"[0-9a-fA-F]{8}")
_UNAUTHORIZED_BODY: Final = b"<html><head><title>401 Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>"


class AuthMode(StrEnum):
    """Which HTTP authentication a simulator demands."""

    DIGEST = "digest"
    BASIC = "basic"
    NONE = "none"
    QUERY = "query"
    """``username`` and ``password`` in the query string (or a POST's JSON body)."""


QUERY_USER_KEY: Final = "username"
QUERY_PASSWORD_KEY: Final = "password"  # noqa: S105 - a parameter name, not a password


def unauthorized() -> web.Response:
    """A bare 401 without a challenge: the default refusal of query credentials."""
    return web.Response(status=401, body=_UNAUTHORIZED_BODY, content_type="text/html")


def query_credentials(
    request: web.Request, body: bytes = b""
) -> tuple[str | None, str | None]:
    """The ``(username, password)`` a request carries outside its headers.

    Each is taken from the query string; one missing there is taken from the
    body when the request is a POST whose body is a JSON object (the first
    complete JSON value counts, as the units read it).  Absent: ``None``.
    A key spelled with other capitals (``Username``, as some vendors' own
    examples write it) counts when the exact spelling is absent.
    """
    keys = (QUERY_USER_KEY, QUERY_PASSWORD_KEY)
    found = [_field(request.query, key) for key in keys]
    if request.method == hdrs.METH_POST and None in found:
        fields = _json_object(body)
        for position, key in enumerate(keys):
            value = _field(fields, key)
            if found[position] is None and isinstance(value, str):
                found[position] = value
    return found[0], found[1]


def _field(fields: Mapping[str, Any], key: str) -> Any:
    """``fields[key]``, else the value of a key equal to it but for case; else ``None``."""
    if key in fields:
        return fields[key]
    return next((value for name, value in fields.items() if name.lower() == key), None)


def _json_object(body: bytes) -> dict[str, Any]:
    """The JSON object at the start of ``body``; ``{}`` if there is none."""
    text = body.decode("utf-8", errors="replace").strip()
    try:
        value, _ = json.JSONDecoder().raw_decode(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def parse_auth_params(text: str) -> dict[str, str]:
    """Parse ``key=value, key="quoted value"`` pairs of an auth header (keys lower-cased)."""
    params: dict[str, str] = {}
    for match in _PARAM_RE.finditer(text):
        key, quoted, token = match.groups()
        params[key.lower()] = (
            _ESCAPE_RE.sub(r"\1", quoted) if quoted is not None else token
        )
    return params


class Authenticator:
    """Checks requests against one account with the configured :class:`AuthMode`."""

    def __init__(
        self,
        mode: AuthMode | str = AuthMode.DIGEST,
        username: str = "admin",
        password: str = "admin",  # noqa: S107 - the gateways' factory default
        *,
        realm: str = "Web Server",
        algorithm: str = "MD5",
        max_nonces: int = 256,
        refusal: Callable[[str], web.Response] | None = None,
    ) -> None:
        """Configure the account; ``algorithm`` is MD5, MD5-sess, SHA-256 or SHA-256-sess.

        ``refusal`` answers a request whose query credentials are wrong or
        missing (it gets the reason); default: :func:`unauthorized`.
        """
        self.mode = AuthMode(mode)
        self.refusal = refusal
        self.username = username
        self.password = password
        self.realm = realm
        base = algorithm.upper().removesuffix("-SESS")
        if base not in _HASHES:
            msg = f"unsupported digest algorithm {algorithm!r}"
            raise ValueError(msg)
        self.algorithm = algorithm
        self.opaque = secrets.token_hex(16)
        self.max_nonces = max_nonces
        self.challenges = 0
        self.failures = 0
        self.last_failure: str | None = None
        self._nonces: OrderedDict[str, set[int]] = OrderedDict()

    def reset(self) -> None:
        """Forget every nonce handed out (as a reboot does): clients must re-authenticate."""
        self._nonces.clear()
        self.opaque = secrets.token_hex(16)

    # ------------------------------------------------------------------ check
    def check(self, request: web.Request, body: bytes = b"") -> web.Response | None:
        """Return ``None`` if ``request`` is authorised, else the refusal.

        ``body`` is the request's body (read already): query credentials may
        be in it.
        """
        if self.mode is AuthMode.NONE:
            return None
        if self.mode is AuthMode.QUERY:
            reason = self._check_query(request, body)
            return None if reason is None else self._refuse(reason)
        header = request.headers.get(hdrs.AUTHORIZATION, "")
        scheme, _, credentials = header.strip().partition(" ")
        if self.mode is AuthMode.BASIC:
            reason = self._check_basic(scheme, credentials)
            return None if reason is None else self._reject(reason)
        reason, stale = self._check_digest(request, scheme, credentials)
        return None if reason is None else self._reject(reason, stale=stale)

    def _count_failure(self, reason: str) -> None:
        if reason != "no credentials":
            self.failures += 1
            self.last_failure = reason

    def _refuse(self, reason: str) -> web.Response:
        self._count_failure(reason)
        return self.refusal(reason) if self.refusal is not None else unauthorized()

    def _reject(self, reason: str, *, stale: bool = False) -> web.Response:
        self._count_failure(reason)
        self.challenges += 1
        return web.Response(
            status=401,
            body=_UNAUTHORIZED_BODY,
            content_type="text/html",
            headers={hdrs.WWW_AUTHENTICATE: self.challenge(stale=stale)},
        )

    def challenge(self, *, stale: bool = False) -> str:
        """Build a ``WWW-Authenticate`` value; for digest it carries a new nonce."""
        if self.mode is AuthMode.BASIC:
            return f'Basic realm="{self.realm}"'
        nonce = secrets.token_hex(16)
        self._nonces[nonce] = set()
        while len(self._nonces) > self.max_nonces:
            self._nonces.popitem(last=False)
        value = (
            f'Digest realm="{self.realm}", qop="auth", nonce="{nonce}", opaque="{self.opaque}", '
            f"algorithm={self.algorithm}"
        )
        return value + (", stale=true" if stale else "")

    def _check_query(self, request: web.Request, body: bytes) -> str | None:
        username, password = query_credentials(request, body)
        if username is None and password is None:
            return "no credentials"
        return self._check_account(username or "", password or "")

    def _check_account(self, username: str, password: str) -> str | None:
        user_ok = hmac.compare_digest(username.encode(), self.username.encode())
        password_ok = hmac.compare_digest(password.encode(), self.password.encode())
        return None if user_ok and password_ok else "wrong username or password"

    def _check_basic(self, scheme: str, credentials: str) -> str | None:
        if not scheme:
            return "no credentials"
        if scheme.lower() != "basic":
            return f"unexpected scheme {scheme}"
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode(
                "utf-8"
            )
        except (binascii.Error, UnicodeDecodeError):
            return "undecodable basic credentials"
        username, sep, password = decoded.partition(":")
        if not sep:
            return "basic credentials without a colon"
        return self._check_account(username, password)

    def _check_digest(
        self, request: web.Request, scheme: str, credentials: str
    ) -> tuple[str | None, bool]:
        """Return (reason for refusal or None, whether the nonce was merely stale)."""
        if not scheme:
            return "no credentials", False
        if scheme.lower() != "digest":
            return f"unexpected scheme {scheme}", False
        params = parse_auth_params(credentials)
        missing = [
            key
            for key in (
                "username",
                "realm",
                "nonce",
                "uri",
                "response",
                "qop",
                "nc",
                "cnonce",
            )
            if not params.get(key)
        ]
        if missing:
            return f"digest fields missing: {', '.join(missing)}", False
        if params["qop"].lower() != "auth":
            return f"unsupported qop {params['qop']}", False
        if params["realm"] != self.realm:
            return "wrong realm", False
        if params.get("opaque", "") != self.opaque:
            return "wrong opaque", False
        if params.get("algorithm", "MD5").upper() != self.algorithm.upper():
            return f"unexpected algorithm {params.get('algorithm')}", False
        if not _NC_RE.fullmatch(params["nc"]):
            return "malformed nc", False
        if not _same_target(params["uri"], request.raw_path):
            return "uri does not match the request", False
        expected = self.expected_response(
            method=request.method,
            uri=params["uri"],
            nonce=params["nonce"],
            nc=params["nc"],
            cnonce=params["cnonce"],
            username=params["username"],
        )
        user_ok = hmac.compare_digest(
            params["username"].encode(), self.username.encode()
        )
        if not (
            hmac.compare_digest(params["response"].lower().encode(), expected.encode())
            and user_ok
        ):
            return "wrong username or password", False
        seen = self._nonces.get(params["nonce"])
        if seen is None:
            return "unknown or expired nonce", True
        nc = int(params["nc"], 16)
        if nc in seen:
            return "nonce count replayed", False
        seen.add(nc)
        self._nonces.move_to_end(params["nonce"])
        return None, False

    def expected_response(
        self,
        *,
        method: str,
        uri: str,
        nonce: str,
        nc: str,
        cnonce: str,
        username: str | None = None,
    ) -> str:
        """Compute the digest ``response`` a client with the right password sends (qop=auth)."""
        base = self.algorithm.upper().removesuffix("-SESS")
        hash_hex = _HASHES[base]
        user = self.username if username is None else username
        ha1 = hash_hex(f"{user}:{self.realm}:{self.password}".encode())
        if self.algorithm.upper().endswith("-SESS"):
            ha1 = hash_hex(f"{ha1}:{nonce}:{cnonce}".encode())
        ha2 = hash_hex(f"{method.upper()}:{uri}".encode())
        return hash_hex(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}".encode())


def _same_target(uri: str, raw_path: str) -> bool:
    """Whether the digest ``uri`` names the request target.

    Clients differ: the target as sent, an absolute URI, or (aiohttp < 3.13)
    the decoded form, where a space travels as ``+`` or ``%20``.
    """
    parts = urlsplit(uri)
    path_qs = parts.path + (f"?{parts.query}" if parts.query else "")
    targets = {raw_path, unquote(raw_path), unquote_plus(raw_path)}
    return not targets.isdisjoint({uri, path_qs, unquote(path_qs)})
