"""Dinstar "new API" dialect (spec v1.1, pushes of v1.0/v1.1).

Endpoints (ports are 0-based everywhere; errors are ``error_code`` values in
an HTTP 200 answer, as on the units):

* ``GET /api/get_port_info?port=0,1&info_type=imei,reg,...,CallForward``
* ``POST /api/get_status`` (any body; the spec's own body ``[{"performance"}]``
  is not JSON) answering ``{"performance": {...}}`` without ``error_code``
* ``GET /api/query_sms_in_queue``
* ``POST /api/send_sms``: 202 accepted; 400 bad format; 413 more than 128
  numbers or text over 1500 bytes; 550 no usable port
* ``POST /api/query_sms_result``, ``POST /api/query_sms_deliver_status``:
  filters ``number`` (at most 32, else 413), ``port``, ``time_after`` and
  ``time_before`` (inclusive, ``YYYY-MM-DD HH:MM:SS``), ``user_id``
* ``GET /api/query_incoming_sms?incoming_sms_id=N&flag=unread|read|all&port=0,1``
* ``POST /api/send_ussd``, ``GET /api/query_ussd_reply?port=0,1``
* ``GET /api/stop_sms?task_id=N``: 200, or 404 for an unknown task
* ``GET /api/set_port_info?port=N&action=...&param=...[&number=...]``
* ``POST /api/get_cdr``
* ``GET /GetSTKView?port=N``, ``POST /STKGo``, ``GET /GetSTKCurrFrameIndex?port=N``
  (not under ``/api/``, no ``error_code`` in good answers)

Like the spec's example, ``get_port_info`` answers with the key names
``remain_daily_call_time``, ``remain_hourly_call_time`` and
``remain_daily_connected`` although the request names are
``remain_daily_calltime``, ``remain_hourly_calltime`` and ``remain_daily_connect``.
JSON bodies are read like the units' parser does: the first complete value
counts and anything after it is ignored (the spec's own examples carry stray
brackets).  Times are the gateway's clock, UTC.

Pushes (:data:`PUSH_TYPES`) are ``{"sn": ..., "<type>": ...}``: ``sms``,
``sms_result`` (``SENT_OK`` or ``FAILED`` when a message ends, then
``DELIVERED`` once all its reports say 0; ``user_id`` only if the request had
one), ``sms_deliver_status`` (one per segment), ``ussd``, ``register``
(``slot`` on multi-SIM units; an unreadable ICCID or IMSI is ``<NULL>``) and
``cdr`` (answered calls) carry arrays of one item; ``missed_call``
(unanswered incoming calls), ``device`` and ``exception_info`` carry objects.
"""

from __future__ import annotations

from datetime import UTC, datetime
import json
import re
from typing import TYPE_CHECKING, Any, ClassVar, Final, TypeIs

from aiohttp import web

from .core import (
    MAX_PORTS,
    CallState,
    ForwardMode,
    InboxFilter,
    IncomingSms,
    RegState,
    SimPort,
)
from .dialect import Dialect
from .errors import NoPortError, RefusedError
from .messaging import Encoding
from .records import (
    CallDirection,
    CallRecord,
    DeliveryReport,
    DeviceEvent,
    ExceptionEvent,
    RegisterChange,
    SmsResult,
    SmsStatus,
    UssdReply,
)
from .stk import MENU_INPUTS, StkAction
from .ussd import MAX_USSD_BYTES, UssdStatus

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .core import GatewayEvent

SINGLE_SIM_SLOT: Final = 255
TIME_FORMAT: Final = "%Y-%m-%d %H:%M:%S"
MAX_SMS_NUMBERS: Final = 128
MAX_SMS_TEXT_BYTES: Final = 1500
MAX_QUERY_NUMBERS: Final = 32
MAX_NUMBER_BYTES: Final = 24
NULL_FIELD: Final = "<NULL>"
"""What register pushes say for an ICCID or IMSI that cannot be read."""
_NUMBER_RE: Final = re.compile(r"\+?[0-9*#]+")
_PIN_RE: Final = re.compile(r"[0-9]{4,8}")
_PARAM_MARK: Final = "#param#"

REG_NAMES: Final[dict[RegState, str]] = {
    RegState.REGISTERED: "REGISTER_OK",
    RegState.SEARCHING: "SEARCHING_NETWORK",
    RegState.NOT_REGISTERED: "UNREGISTER",
    RegState.DENIED: "UNREGISTER",
    RegState.NO_SIM: "NO_SIM",
    RegState.PIN_REQUIRED: "PIN_REQUIRE",
    RegState.PUK_REQUIRED: "PUK_REQUIRE",
    RegState.POWER_OFF: "POWER_OFF",
    RegState.UNKNOWN: "UNKNOWN",
}

CALL_NAMES: Final[dict[CallState, str]] = {
    CallState.IDLE: "Idle",
    CallState.PROCESSING: "Processing",
    CallState.RINGING: "Ringing",
    CallState.ACTIVE: "Active",
    CallState.ALERTING: "Alerting",
    CallState.WAITING: "Call Waiting",
    CallState.HOLDING: "Call holding",
    CallState.UNKNOWN: "Unknown",
}

SMS_STATUS_NAMES: Final[dict[SmsStatus, str]] = {
    SmsStatus.SENDING: "SENDING",
    SmsStatus.SENT: "SENT_OK",
    SmsStatus.FAILED: "FAILED",
    SmsStatus.DELIVERED: "DELIVERED",
}

DIRECTION_NAMES: Final[dict[CallDirection, str]] = {
    CallDirection.INCOMING: "gsm->ip",
    CallDirection.OUTGOING: "ip->gsm",
    CallDirection.CALLBACK: "callback",
}

USSD_STATUS_CODES: Final[dict[UssdStatus, int]] = {
    UssdStatus.SENT: 200,
    UssdStatus.BUSY: 486,
    UssdStatus.NOT_REGISTERED: 503,
}

ENCODINGS: Final[dict[str, Encoding]] = {
    "unicode": Encoding.UCS2,
    "gsm-7bit": Encoding.GSM7,
}

FLAGS: Final[dict[str, InboxFilter]] = {flag.value: flag for flag in InboxFilter}

FORWARD_MODES: Final[dict[str, ForwardMode | None]] = {
    **{mode.value.lower(): mode for mode in ForwardMode},
    "cancelall": None,
}

STK_ACTIONS: Final[dict[str, StkAction]] = {
    "ok": StkAction.OK,
    "cancel": StkAction.CANCEL,
    "candle": StkAction.CANCEL,  # the v1.0 spec's spelling
    "home": StkAction.HOME,
}

PUSH_TYPES: Final = (
    "sms",
    "sms_result",
    "sms_deliver_status",
    "ussd",
    "register",
    "cdr",
    "missed_call",
    "device",
    "exception_info",
)

# Answer keys in the order the spec's example lists them.
FIELD_ORDER: Final = (
    "type",
    "imei",
    "imsi",
    "iccid",
    "smsc",
    "number",
    "reg",
    "slot",
    "callstate",
    "signal",
    "gprs",
    "remain_credit",
    "remain_monthly_credit",
    "remain_daily_credit",
    "remain_daily_call_time",
    "remain_hourly_call_time",
    "remain_daily_connected",
)
CALL_FORWARD_KEY: Final = "CallForwarding"
ANSWER_ORDER: Final = (*FIELD_ORDER, CALL_FORWARD_KEY)

# Request info_type names -> answer keys.  The documented request names and
# the spelling of the example answer are both accepted.
INFO_TYPES: Final[dict[str, str]] = {
    **{name: name for name in FIELD_ORDER},
    "remain_daily_calltime": "remain_daily_call_time",
    "remain_hourly_calltime": "remain_hourly_call_time",
    "remain_daily_connect": "remain_daily_connected",
    "callforward": CALL_FORWARD_KEY,
}


class BadRequestError(Exception):
    """A parameter the gateway would refuse with ``error_code`` 400."""


class TooLargeError(Exception):
    """A request over the gateway's limits: ``error_code`` 413."""


def parse_ports(raw: str) -> list[int]:
    """Parse ``"1,2,3"`` (brackets and blanks tolerated) into distinct port numbers."""
    ports: list[int] = []
    for piece in raw.strip().strip("[]").split(","):
        text = piece.strip()
        if not text.isdigit():
            msg = f"bad port {piece!r}"
            raise BadRequestError(msg)
        number = int(text)
        if number >= MAX_PORTS:
            msg = f"port {number} out of range"
            raise BadRequestError(msg)
        if number not in ports:
            ports.append(number)
    return ports


def parse_info_types(raw: str) -> list[str]:
    """Map a comma list of info types to answer keys, in the spec's order.

    Blanks and a stray trailing ``:`` (as in the spec's example) are
    tolerated, unknown names ignored; no known name at all is a bad request.
    """
    wanted = {
        INFO_TYPES[key]
        for piece in raw.split(",")
        if (key := piece.strip().rstrip(":").strip().lower()) in INFO_TYPES
    }
    if not wanted:
        msg = f"no known info_type in {raw!r}"
        raise BadRequestError(msg)
    return [key for key in ANSWER_ORDER if key in wanted]


def format_time(moment: datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS`` on the gateway's clock (UTC)."""
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def parse_time(value: Any) -> datetime | None:
    """A ``time_after``/``time_before`` value (absent: ``None``)."""
    if value is None:
        return None
    if not isinstance(value, str):
        msg = f"bad time {value!r}"
        raise BadRequestError(msg)
    try:
        return datetime.strptime(value.strip(), TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError as err:
        msg = f"bad time {value!r}"
        raise BadRequestError(msg) from err


def is_int(value: Any) -> TypeIs[int]:
    """Whether ``value`` is a JSON integer (``true`` is not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def parse_int_list(
    value: Any, *, high: int | None = None, name: str = "value"
) -> list[int] | None:
    """A JSON array of integers from 0 (to ``high``); absent: ``None``."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        is_int(item) and item >= 0 and (high is None or item <= high) for item in value
    ):
        msg = f"bad {name} list {value!r}"
        raise BadRequestError(msg)
    return list(dict.fromkeys(value))


def parse_port_list(value: Any) -> list[int] | None:
    """A JSON array of port numbers 0..31; absent: ``None``."""
    return parse_int_list(value, high=MAX_PORTS - 1, name="port")


def valid_number(value: Any) -> bool:
    """Whether ``value`` is a phone number the gateway takes (at most 24 bytes)."""
    return (
        isinstance(value, str)
        and 0 < len(value.encode()) <= MAX_NUMBER_BYTES
        and _NUMBER_RE.fullmatch(value) is not None
    )


def parse_numbers(value: Any) -> list[str] | None:
    """The ``number`` filter of the query endpoints (413 beyond 32)."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        isinstance(item, str) and len(item.encode()) <= MAX_NUMBER_BYTES
        for item in value
    ):
        msg = f"bad number list {value!r}"
        raise BadRequestError(msg)
    if len(value) > MAX_QUERY_NUMBERS:
        msg = f"{len(value)} numbers, at most {MAX_QUERY_NUMBERS}"
        raise TooLargeError(msg)
    return value


def decode_body(body: bytes, *, required: bool) -> dict[str, Any]:
    """The JSON object of a request body (the first complete value counts).

    An empty body is an empty object unless ``required``.
    """
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        if required:
            msg = "empty body"
            raise BadRequestError(msg)
        return {}
    try:
        value, _ = json.JSONDecoder().raw_decode(text)
    except ValueError as err:
        msg = "body is not JSON"
        raise BadRequestError(msg) from err
    if not isinstance(value, dict):
        msg = "body is not a JSON object"
        raise BadRequestError(msg)
    return value


def fill_params(text: str, params: list[str]) -> str:
    """Replace each ``#param#`` of ``text`` by the next of ``params`` (extra marks stay)."""
    pieces = text.split(_PARAM_MARK)
    out = [pieces[0]]
    for index, piece in enumerate(pieces[1:]):
        out.append(params[index] if index < len(params) else _PARAM_MARK)
        out.append(piece)
    return "".join(out)


def _single_port(raw: str | None) -> int:
    """One port number 0..31 from a query parameter."""
    text = (raw or "").strip()
    if not text.isdigit() or int(text) >= MAX_PORTS:
        msg = f"bad port {raw!r}"
        raise BadRequestError(msg)
    return int(text)


class DinstarDialect(Dialect):
    """The Dinstar UC2000/DWG "new-version API"."""

    name: ClassVar[str] = "dinstar"
    default_realm: ClassVar[str] = "Web Server"
    push_types: ClassVar[tuple[str, ...]] = PUSH_TYPES

    def routes(self) -> Iterable[web.AbstractRouteDef]:
        """The endpoints this dialect answers; anything else is a 404."""
        return (
            web.get("/api/get_port_info", self.get_port_info),
            web.post("/api/get_status", self.get_status),
            web.get("/api/query_sms_in_queue", self.query_sms_in_queue),
            web.post("/api/send_sms", self.send_sms),
            web.post("/api/query_sms_result", self.query_sms_result),
            web.post("/api/query_sms_deliver_status", self.query_sms_deliver_status),
            web.get("/api/query_incoming_sms", self.query_incoming_sms),
            web.post("/api/send_ussd", self.send_ussd),
            web.get("/api/query_ussd_reply", self.query_ussd_reply),
            web.get("/api/stop_sms", self.stop_sms),
            web.get("/api/set_port_info", self.set_port_info),
            web.post("/api/get_cdr", self.get_cdr),
            web.get("/GetSTKView", self.get_stk_view),
            web.post("/STKGo", self.stk_go),
            web.get("/GetSTKCurrFrameIndex", self.get_stk_frame_index),
        )

    def _answer(self, error_code: int, **fields: Any) -> web.Response:
        return self.json_response(
            {"error_code": error_code, "sn": self.gateway.serial, **fields}
        )

    def _present_port(self, raw: str | None) -> int:
        """One port number of this unit (400 otherwise)."""
        number = _single_port(raw)
        if number >= self.gateway.port_count:
            msg = f"no port {number} on this unit"
            raise BadRequestError(msg)
        return number

    # ------------------------------------------------------------ port info
    def port_values(self, port: SimPort) -> dict[str, Any]:
        """Every field of ``port`` under the answer key names.

        ``CallForwarding`` is there only once a call-forward check has answered.
        """
        sim = port.sim
        readable = sim if port.sim_readable else None
        present = sim if port.registration is not RegState.POWER_OFF else None
        credit = port.credit
        values: dict[str, Any] = {
            "type": port.module_type.value,
            "imei": port.imei,
            "imsi": readable.imsi if readable else "",
            "iccid": present.iccid if present else "",
            "smsc": readable.smsc if readable else "",
            "number": readable.number if readable else "",
            "reg": REG_NAMES[port.registration],
            "slot": port.active_slot if self.gateway.multi_sim else SINGLE_SIM_SLOT,
            "callstate": CALL_NAMES[port.call_state],
            "signal": port.signal,
            "gprs": "attached" if port.gprs_attached else "detached",
            "remain_credit": f"{credit.remain_credit:.2f}",
            "remain_monthly_credit": f"{credit.remain_monthly_credit:.2f}",
            "remain_daily_credit": f"{credit.remain_daily_credit:.2f}",
            "remain_daily_call_time": str(credit.remain_daily_call_time),
            "remain_hourly_call_time": str(credit.remain_hourly_call_time),
            "remain_daily_connected": str(credit.remain_daily_connect),
        }
        if port.call_forward_report is not None:
            values[CALL_FORWARD_KEY] = {
                mode.value: port.call_forward_report[mode.value]
                for mode in ForwardMode
                if mode.value in port.call_forward_report
            }
        return values

    async def get_port_info(self, request: web.Request) -> web.Response:
        """``GET /api/get_port_info``: the requested info types of the requested ports."""
        try:
            keys = parse_info_types(request.query.get("info_type", ""))
            raw_ports = request.query.get("port", "").strip()
            numbers = (
                parse_ports(raw_ports)
                if raw_ports
                else list(range(self.gateway.port_count))
            )
        except BadRequestError:
            return self._answer(400)
        info: list[dict[str, Any]] = []
        for number in numbers:
            if number >= self.gateway.port_count:
                continue  # a valid port number this unit does not have
            values = self.port_values(self.gateway.ports[number])
            info.append(
                {"port": number, **{key: values[key] for key in keys if key in values}}
            )
        return self._answer(200, info=info)

    async def get_status(self, request: web.Request) -> web.Response:
        """``POST /api/get_status``: performance counters, all strings, no error_code."""
        perf = self.gateway.performance
        performance = {
            "cpu_used": perf.cpu_used,
            "flash_total": perf.flash_total,
            "flash_used": perf.flash_used,
            "memory_total": perf.memory_total,
            "memory_cached": perf.memory_cached,
            "memory_buffers": perf.memory_buffers,
            "memory_free": perf.memory_free,
            "memory_used": perf.memory_used,
        }
        return self.json_response(
            {"performance": {key: str(value) for key, value in performance.items()}}
        )

    async def query_sms_in_queue(self, request: web.Request) -> web.Response:
        """``GET /api/query_sms_in_queue``: number of messages waiting to be sent."""
        return self._answer(200, in_queue=self.gateway.queue_length)

    # ---------------------------------------------------------- sending SMS
    async def send_sms(self, request: web.Request) -> web.Response:
        """``POST /api/send_sms``: accept messages for the background senders."""
        try:
            body = decode_body(await request.read(), required=True)
            messages, ports, encoding, report = self._parse_send(body)
        except BadRequestError:
            return self._answer(400)
        except TooLargeError:
            return self._answer(413)
        try:
            task = self.gateway.outbox.submit(
                messages, ports=ports, encoding=encoding, status_report=report
            )
        except NoPortError:
            return self._answer(550)
        return self._answer(
            202, sms_in_queue=self.gateway.queue_length, task_id=task.task_id
        )

    @staticmethod
    def _parse_send(
        body: dict[str, Any],
    ) -> tuple[list[tuple[str, str, int | None]], list[int] | None, Encoding, bool]:
        text = body.get("text")
        params = body.get("param")
        if not isinstance(text, str) or not isinstance(params, list) or not params:
            msg = "text and a non-empty param array are required"
            raise BadRequestError(msg)
        if len(params) > MAX_SMS_NUMBERS or len(text.encode()) > MAX_SMS_TEXT_BYTES:
            msg = "too many numbers or too long a text"
            raise TooLargeError(msg)
        ports = parse_port_list(body.get("port")) or None
        raw_encoding = body.get("encoding", "unicode")
        encoding = (
            ENCODINGS.get(raw_encoding) if isinstance(raw_encoding, str) else None
        )
        report = body.get("request_status_report", True)
        if encoding is None or not isinstance(report, bool):
            msg = "bad encoding or request_status_report"
            raise BadRequestError(msg)
        messages: list[tuple[str, str, int | None]] = []
        for entry in params:
            if not isinstance(entry, dict) or not valid_number(entry.get("number")):
                msg = f"bad param entry {entry!r}"
                raise BadRequestError(msg)
            text_params = entry.get("text_param", [])
            user_id = entry.get("user_id")
            if not isinstance(text_params, list) or not all(
                isinstance(item, str) for item in text_params
            ):
                msg = f"bad text_param {text_params!r}"
                raise BadRequestError(msg)
            if user_id is not None and not (is_int(user_id) and user_id >= 0):
                msg = f"bad user_id {user_id!r}"
                raise BadRequestError(msg)
            messages.append((entry["number"], fill_params(text, text_params), user_id))
        return messages, ports, encoding, report

    def render_result(self, result: SmsResult) -> dict[str, Any]:
        """A send result as the query answers and pushes show it."""
        item: dict[str, Any] = {"port": result.port}
        if result.user_id is not None:
            item["user_id"] = result.user_id
        item.update(
            number=result.number,
            time=format_time(result.time),
            status=SMS_STATUS_NAMES[result.status],
            count=result.count,
            succ_count=result.succ_count,
            ref_id=result.ref_id,
            imsi=result.imsi,
        )
        return item

    @staticmethod
    def render_report(report: DeliveryReport) -> dict[str, Any]:
        """A delivery report as the query answers and pushes show it."""
        return {
            "port": report.port,
            "number": report.number,
            "time": format_time(report.time),
            "ref_id": report.ref_id,
            "status_code": report.status_code,
            "imsi": report.imsi,
        }

    async def query_sms_result(self, request: web.Request) -> web.Response:
        """``POST /api/query_sms_result``: send results matching every filter."""
        try:
            body = decode_body(await request.read(), required=False)
            results = self.gateway.outbox.find_results(
                numbers=parse_numbers(body.get("number")),
                ports=parse_port_list(body.get("port")),
                after=parse_time(body.get("time_after")),
                before=parse_time(body.get("time_before")),
                user_ids=parse_int_list(body.get("user_id"), name="user_id"),
            )
        except BadRequestError:
            return self._answer(400)
        except TooLargeError:
            return self._answer(413)
        return self._answer(200, result=[self.render_result(item) for item in results])

    async def query_sms_deliver_status(self, request: web.Request) -> web.Response:
        """``POST /api/query_sms_deliver_status``: delivery reports matching every filter."""
        try:
            body = decode_body(await request.read(), required=False)
            reports = self.gateway.outbox.find_reports(
                numbers=parse_numbers(body.get("number")),
                ports=parse_port_list(body.get("port")),
                after=parse_time(body.get("time_after")),
                before=parse_time(body.get("time_before")),
            )
        except BadRequestError:
            return self._answer(400)
        except TooLargeError:
            return self._answer(413)
        return self._answer(200, result=[self.render_report(item) for item in reports])

    async def stop_sms(self, request: web.Request) -> web.Response:
        """``GET /api/stop_sms?task_id=N``: drop the task's waiting messages."""
        raw = request.query.get("task_id", "").strip()
        if not raw.isdigit():
            return self._answer(400)
        return self._answer(200 if self.gateway.outbox.stop(int(raw)) else 404)

    # -------------------------------------------------------- receiving SMS
    @staticmethod
    def render_incoming(sms: IncomingSms) -> dict[str, Any]:
        """A received message as the inbox query and the push show it."""
        return {
            "incoming_sms_id": sms.sms_id,
            "port": sms.port,
            "number": sms.number,
            "smsc": sms.smsc,
            "timestamp": format_time(sms.timestamp),
            "text": sms.text,
        }

    async def query_incoming_sms(self, request: web.Request) -> web.Response:
        """``GET /api/query_incoming_sms``: messages above an id; ``unread`` marks them read."""
        query = request.query
        raw_id = query.get("incoming_sms_id", "").strip() or "0"
        flag = FLAGS.get(query.get("flag", "unread").strip().lower())
        try:
            raw_ports = query.get("port", "").strip()
            ports = parse_ports(raw_ports) if raw_ports else None
        except BadRequestError:
            return self._answer(400)
        if not raw_id.isdigit() or flag is None:
            return self._answer(400)
        messages = self.gateway.read_inbox(
            after_id=int(raw_id),
            which=flag,
            ports=ports,
            mark_read=flag is InboxFilter.UNREAD,
        )
        read, unread = self.gateway.inbox_counts()
        return self._answer(
            200,
            sms=[self.render_incoming(sms) for sms in messages],
            read=read,
            unread=unread,
        )

    # ------------------------------------------------------------------ USSD
    async def send_ussd(self, request: web.Request) -> web.Response:
        """``POST /api/send_ussd``: per-port status 200 sent, 486 busy, 503 not registered."""
        try:
            body = decode_body(await request.read(), required=True)
            ports = parse_port_list(body.get("port"))
        except BadRequestError:
            return self._answer(400)
        command = body.get("command", "send")
        text = body.get("text", "")
        if (
            not ports
            or not isinstance(command, str)
            or command not in {"send", "cancel"}
            or not isinstance(text, str)
            or len(text.encode()) > MAX_USSD_BYTES
            or (command == "send" and not text)
        ):
            return self._answer(400)
        ussd = self.gateway.ussd
        result = [
            {
                "port": port,
                "status": USSD_STATUS_CODES[
                    ussd.send(port, text) if command == "send" else ussd.cancel(port)
                ],
            }
            for port in ports
        ]
        return self._answer(202, result=result)

    async def query_ussd_reply(self, request: web.Request) -> web.Response:
        """``GET /api/query_ussd_reply?port=0,1``: the last answer of each port."""
        raw_ports = request.query.get("port", "").strip()
        try:
            ports = parse_ports(raw_ports)
        except BadRequestError:
            return self._answer(400)
        reply = [
            {"port": port, "text": self.gateway.ussd.last_reply(port)}
            for port in ports
            if port < self.gateway.port_count
        ]
        return self._answer(200, reply=reply)

    # ------------------------------------------------------------ port control
    async def set_port_info(self, request: web.Request) -> web.Response:
        """``GET /api/set_port_info``: slot, reset, power, imei, number, (un)lock, (un)block, call forwarding."""
        query = request.query
        action = query.get("action", "").strip().lower()
        param = query.get("param", "").strip()
        try:
            port = self._present_port(query.get("port"))
            self._port_action(port, action, param, query.get("number", "").strip())
        except BadRequestError:
            return self._answer(400)
        except RefusedError:
            return self._answer(500)
        return self._answer(200)

    def _port_action(self, port: int, action: str, param: str, number: str) -> None:
        """Carry out ``action``; :class:`BadRequestError` for bad parameters."""
        gateway = self.gateway
        match action:
            case "slot":
                if (
                    not gateway.multi_sim
                    or not param.isdigit()
                    or int(param) >= gateway.slot_count
                ):
                    raise BadRequestError(param)
                gateway.switch_slot(port, int(param))
            case "reset":
                gateway.reset_port(port)
            case "power":
                if param.lower() not in {"on", "off"}:
                    raise BadRequestError(param)
                gateway.power(port, on=param.lower() == "on")
            case "imei":
                try:
                    gateway.set_imei(port, param)
                except ValueError as err:
                    raise BadRequestError(param) from err
            case "number":
                if not valid_number(param):
                    raise BadRequestError(param)
                gateway.set_number(port, param)
            case "lock" | "unlock":
                if not _PIN_RE.fullmatch(param):
                    raise BadRequestError(param)
                gateway.set_pin_lock(port, param, enabled=action == "lock")
            case "block" | "unblock":
                gateway.set_blocked(port, blocked=action == "block")
            case "callforward":
                key = param.lower()
                if key not in FORWARD_MODES:
                    raise BadRequestError(param)
                mode = FORWARD_MODES[key]
                if mode is not None and not valid_number(number):
                    raise BadRequestError(number)
                gateway.set_call_forward(port, mode, number)
            case "checkcallforward":
                gateway.check_call_forward(port)
            case _:
                raise BadRequestError(action)

    # -------------------------------------------------------------------- CDR
    @staticmethod
    def render_cdr(record: CallRecord) -> dict[str, Any]:
        """A call record as ``get_cdr`` and the ``cdr`` push show it."""
        return {
            "port": record.port,
            "start_date": format_time(record.start),
            "answer_date": format_time(record.answer) if record.answer else "",
            "duration": record.duration,
            "source_number": record.source_number,
            "destination_number": record.destination_number,
            "direction": DIRECTION_NAMES[record.direction],
            "ip": record.ip,
            "codec": record.codec,
            "hangup": record.hangup.value,
            "gsm_code": record.gsm_code,
            "bcch": record.bcch,
        }

    async def get_cdr(self, request: web.Request) -> web.Response:
        """``POST /api/get_cdr``: call records (answered or not) by port and start time."""
        try:
            body = decode_body(await request.read(), required=False)
            records = self.gateway.find_calls(
                ports=parse_port_list(body.get("port")),
                after=parse_time(body.get("time_after")),
                before=parse_time(body.get("time_before")),
            )
        except BadRequestError:
            return self._answer(400)
        return self._answer(200, cdr=[self.render_cdr(record) for record in records])

    # -------------------------------------------------------------------- STK
    async def get_stk_view(self, request: web.Request) -> web.Response:
        """``GET /GetSTKView?port=N``: the frame the SIM toolkit shows.

        As in the spec's example, ``input_type`` is a string; ``item`` is only
        there for menus (1 desktop, 2 select).  Without a usable toolkit the
        frame is the "locked" one (12).
        """
        try:
            port = self._present_port(request.query.get("port"))
        except BadRequestError:
            return self.json_response({"error_code": 400})
        view = self.gateway.stk.view(port)
        answer: dict[str, Any] = {"title": view.title, "text": view.text}
        if view.input_type in MENU_INPUTS:
            answer["item"] = [
                {"item_id": item_id, "item_string": label}
                for item_id, label in view.items
            ]
        answer.update(input_type=str(int(view.input_type)), frame_id=view.frame_id)
        return self.json_response(answer)

    async def stk_go(self, request: web.Request) -> web.Response:
        """``POST /STKGo``: choose an ``item`` or press ``action`` ok/cancel/home.

        The answer is ``{"error_code": 200}`` once accepted (the next frame
        follows after the STK delay), 400 for a bad request, 500 when the
        toolkit cannot do it (no toolkit, busy, no such item).
        """
        try:
            self._stk_step(decode_body(await request.read(), required=True))
        except BadRequestError:
            return self.json_response({"error_code": 400})
        except RefusedError:
            return self.json_response({"error_code": 500})
        return self.json_response({"error_code": 200})

    def _stk_step(self, body: dict[str, Any]) -> None:
        port = body.get("port")
        if not is_int(port) or not 0 <= port < self.gateway.port_count:
            raise BadRequestError(port)
        raw_action = body.get("action")
        item = body.get("item")
        param = body.get("param", "")
        action = (
            STK_ACTIONS.get(raw_action.strip().lower())
            if isinstance(raw_action, str)
            else None
        )
        if (
            (raw_action is not None and action is None)
            or (item is not None and not is_int(item))
            or not isinstance(param, str | int)
            or isinstance(param, bool)
        ):
            raise BadRequestError(body)
        if action in {StkAction.CANCEL, StkAction.HOME}:
            self.gateway.stk.press(port, action)
        elif item is not None:
            self.gateway.stk.select(port, item)
        elif action is StkAction.OK:
            self.gateway.stk.press(port, action, str(param))
        else:
            raise BadRequestError(body)

    async def get_stk_frame_index(self, request: web.Request) -> web.Response:
        """``GET /GetSTKCurrFrameIndex?port=N``: ``{"frame_id": n}``."""
        try:
            port = self._present_port(request.query.get("port"))
        except BadRequestError:
            return self.json_response({"error_code": 400})
        return self.json_response({"frame_id": self.gateway.stk.frame_id(port)})

    # ------------------------------------------------------------------ pushes
    def render_push(self, event: GatewayEvent) -> list[tuple[str, dict[str, Any]]]:
        """The Dinstar pushes of ``event``: ``sn`` plus one typed member."""
        sn = self.gateway.serial
        match event:
            case IncomingSms():
                return [("sms", {"sn": sn, "sms": [self.render_incoming(event)]})]
            case SmsResult() if event.status is not SmsStatus.SENDING:
                return [
                    (
                        "sms_result",
                        {"sn": sn, "sms_result": [self.render_result(event)]},
                    )
                ]
            case DeliveryReport():
                return [
                    (
                        "sms_deliver_status",
                        {"sn": sn, "sms_deliver_status": [self.render_report(event)]},
                    )
                ]
            case UssdReply():
                return [
                    (
                        "ussd",
                        {"sn": sn, "ussd": [{"port": event.port, "text": event.text}]},
                    )
                ]
            case RegisterChange():
                return [("register", {"sn": sn, "register": [self._register(event)]})]
            case CallRecord() if event.answered:
                return [("cdr", {"sn": sn, "cdr": [self.render_cdr(event)]})]
            case CallRecord() if event.direction is CallDirection.INCOMING:
                missed = {
                    "time": format_time(event.start),
                    "port": event.port,
                    "number": event.source_number,
                }
                return [("missed_call", {"sn": sn, "missed_call": missed})]
            case DeviceEvent():
                device = {
                    "port_number": event.port_count,
                    "IP": event.ip,
                    "MAC": event.mac,
                    "status": event.status.value,
                }
                return [("device", {"sn": sn, "device": device})]
            case ExceptionEvent():
                info = {"port": event.port, "type": event.kind, "action": event.action}
                return [("exception_info", {"sn": sn, "exception_info": info})]
        return []

    def _register(self, event: RegisterChange) -> dict[str, Any]:
        item: dict[str, Any] = {
            "port": event.port,
            "iccid": event.iccid or NULL_FIELD,
            "imsi": event.imsi or NULL_FIELD,
            "number": event.number,
            "status": "up" if event.up else "down",
            "sequence": event.sequence,
        }
        if self.gateway.multi_sim:
            item["slot"] = event.slot
        return item
