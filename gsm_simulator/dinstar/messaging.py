"""Dinstar messaging: sending SMS, results and reports, the inbox, USSD."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gsm_simulator.errors import NoPortError
from gsm_simulator.model import InboxFilter
from gsm_simulator.ussd import MAX_USSD_BYTES

from .base import DinstarBase
from .names import (
    ENCODINGS,
    FLAGS,
    MAX_SMS_NUMBERS,
    MAX_SMS_TEXT_BYTES,
    USSD_STATUS_CODES,
)
from .parsing import (
    BadRequestError,
    TooLargeError,
    decode_body,
    fill_params,
    is_int,
    parse_int_list,
    parse_numbers,
    parse_port_list,
    parse_ports,
    parse_time,
    valid_number,
)
from .render import render_incoming, render_report, render_result

if TYPE_CHECKING:
    from aiohttp import web

    from gsm_simulator.messaging import Encoding


class MessagingRoutes(DinstarBase):
    """SMS out and in, and USSD."""

    render_result = staticmethod(render_result)
    render_report = staticmethod(render_report)
    render_incoming = staticmethod(render_incoming)

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
