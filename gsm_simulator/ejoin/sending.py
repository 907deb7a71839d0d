"""Ejoin sending: ``goip_post_sms``, pausing, resuming and removing tasks, the queue.

``POST /goip_post_sms.html`` with ``{"type": "send-sms", "task_num": n,
"tasks": [{"tid": ..., "to": "num1,num2", "sms": ..., ...}], "sr_url": ...}``
answers ``{"code": 200, "reason": "OK", "type": "task-status", "status":
[{"tid": ..., "status": "0 OK"}]}``; a task refused gets its code instead:
``11 TID Expected``, ``13 Duplicated TaskId`` (a tid accepted before, ever),
``9 TO expected``, ``8 SMS expected`` (also undecodable base64), ``2 Invalid
Port`` (a ``from`` the unit cannot use), ``16 Too Many Task`` (the
``task_limit`` option), ``5 SIM Unregistered`` (none of its ports can send).

``from`` names the ports a task may use (``"2"``, ``"1-3"``, ``"2,4"``,
``"1.02"``/``"1B"`` for a port's SIM in that slot only); they share the
recipients, each recipient getting one message.  Without ``from`` any port
that can send does.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import TYPE_CHECKING, Any, Final

from gsm_simulator.errors import NoPortError
from gsm_simulator.messaging import Encoding, is_gsm7

from .base import EjoinBase
from .names import SR_CNT, SR_PRD, TASK_PAGE, TASK_SR_CNT, TASK_SR_PRD, Code, code_text
from .numbering import PortListError, parse_ports
from .parsing import RequestError, decode_body, lookup, seconds, whole
from .tasks import ReportSettings, SendTask

if TYPE_CHECKING:
    from collections.abc import Callable

    from aiohttp import web

    from .caching import PushCache

_NUMBER_RE: Final = re.compile(r"\+?[0-9*#]{1,24}")
_CHARSETS: Final = frozenset({"utf8", "utf-8", "base64"})
_CODINGS: Final[dict[int, Encoding]] = {1: Encoding.UCS2, 2: Encoding.GSM7}
"""``coding`` 1 UCS-2, 2 7-bit; 0 (or anything else): the text decides."""


def _flag(value: Any, default: int) -> bool:
    number = whole(value, default)
    return bool(default if number is None else number)


class SendingRoutes(EjoinBase):
    """Tasks in, task control, the send queue."""

    async def post_sms(self, request: web.Request) -> web.Response:
        """``POST /goip_post_sms.html``: accept or refuse each task."""
        try:
            body = decode_body(await request.read())
        except RequestError as err:
            return self.answer(err.code)
        tasks = lookup(body, "tasks")
        if not isinstance(tasks, list):
            return self.answer(Code.INVALID_CMD)
        self._sms_settings(body)
        cache = self.tasks.new_cache(self._report_settings(body))
        status: list[dict[str, Any]] = []
        for item in tasks:
            fields = item if isinstance(item, dict) else {}
            try:
                self._accept(fields, cache)
            except RequestError as err:
                status.append(
                    {"tid": lookup(fields, "tid"), "status": code_text(err.code)}
                )
            else:
                status.append(
                    {"tid": lookup(fields, "tid"), "status": code_text(Code.OK)}
                )
        return self.answer_ok(type="task-status", status=status)

    def _sms_settings(self, body: dict[str, Any]) -> None:
        """``sms_url``, ``sms_cnt`` and ``sms_prd`` of a request change the unit's."""
        url = lookup(body, "sms_url")
        if isinstance(url, str):
            self.sms_url = url.strip()
        cache = self.inbox.cache
        count = whole(lookup(body, "sms_cnt"), cache.limit)
        period = seconds(lookup(body, "sms_prd"), cache.period)
        cache.limit = count if count is not None and count >= 1 else cache.limit
        cache.period = period if period is not None and period > 0 else cache.period

    @staticmethod
    def _report_settings(body: dict[str, Any]) -> ReportSettings:
        url = lookup(body, "sr_url")
        count = whole(lookup(body, "sr_cnt"), SR_CNT)
        period = seconds(lookup(body, "sr_prd"), SR_PRD)
        return ReportSettings(
            url=(url.strip() or None) if isinstance(url, str) else None,
            count=count if count is not None and count >= 1 else SR_CNT,
            period=period if period is not None and period > 0 else SR_PRD,
        )

    def _accept(self, fields: dict[str, Any], cache: PushCache[SendTask]) -> None:
        """Check one task and hand it to the outbox; :class:`RequestError` if refused."""
        tid = whole(lookup(fields, "tid"))
        if tid is None:
            raise RequestError(Code.TID_EXPECTED)
        if tid in self.tasks.seen:
            raise RequestError(Code.DUPLICATED_TASK_ID)
        recipients = self._recipients(lookup(fields, "to"))
        content = lookup(fields, "sms")
        charset = str(lookup(fields, "chs") or "utf8").strip().lower()
        text = self._text(content, charset)
        source = lookup(fields, "from")
        source_text = "" if source is None else str(source).strip()
        ports = self._ports(source_text)
        if self.tasks.unfinished() >= self.options.task_limit:
            raise RequestError(Code.TOO_MANY_TASK)
        coding = whole(lookup(fields, "coding"), 0)
        encoding = _CODINGS.get(coding or 0) or (
            Encoding.GSM7 if is_gsm7(text) else Encoding.UCS2
        )
        report = _flag(lookup(fields, "dr"), 0)
        try:
            job = self.gateway.outbox.submit(
                [(number, text, index) for index, number in enumerate(recipients)],
                ports=ports,
                encoding=encoding,
                status_report=report,
            )
        except NoPortError as err:
            raise RequestError(Code.SIM_UNREGISTERED) from err
        count = whole(lookup(fields, "sr_cnt"), TASK_SR_CNT)
        period = seconds(lookup(fields, "sr_prd"), TASK_SR_PRD)
        self.tasks.add(
            SendTask(
                tid=tid,
                job=job,
                source=source_text,
                recipients=recipients,
                content=str(content),
                charset=charset,
                coding=coding or 0,
                sdr=_flag(lookup(fields, "sdr"), 0),
                fdr=_flag(lookup(fields, "fdr"), 1),
                delivery_report=report,
                report_count=count if count is not None and count >= 1 else TASK_SR_CNT,
                report_period=TASK_SR_PRD if period is None else period,
                cache=cache,
            )
        )

    @staticmethod
    def _recipients(value: Any) -> list[str]:
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list):
            raise RequestError(Code.TO_EXPECTED)
        numbers = [str(item).strip() for item in items if str(item).strip()]
        if not numbers or not all(_NUMBER_RE.fullmatch(number) for number in numbers):
            raise RequestError(Code.TO_EXPECTED)
        return numbers

    @staticmethod
    def _text(content: Any, charset: str) -> str:
        if not isinstance(content, str) or not content or charset not in _CHARSETS:
            raise RequestError(Code.SMS_EXPECTED)
        if charset != "base64":
            return content
        try:
            return base64.b64decode(content, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as err:
            raise RequestError(Code.SMS_EXPECTED) from err

    def _ports(self, source: str) -> list[int] | None:
        """The ports a task may use (``None``: any); a slot must be the one in use."""
        if not source:
            return None
        gateway = self.gateway
        try:
            refs = parse_ports(source, gateway.port_count, gateway.slot_count)
        except PortListError as err:
            raise RequestError(Code.INVALID_PORT) from err
        ports = [
            ref.port
            for ref in refs
            if ref.slot is None or ref.slot == gateway.port(ref.port).active_slot
        ]
        if not ports:
            raise RequestError(Code.SIM_UNREGISTERED)
        return ports

    # ---------------------------------------------------------- task control
    async def pause_sms(self, request: web.Request) -> web.Response:
        """``POST /goip_pause_sms.html`` ``{"tids": [...]}`` (none: every task)."""
        return await self._control(request, self.tasks.pause)

    async def resume_sms(self, request: web.Request) -> web.Response:
        """``POST /goip_resume_sms.html`` ``{"tids": [...]}`` (none: every task)."""
        return await self._control(request, self.tasks.resume)

    async def remove_sms(self, request: web.Request) -> web.Response:
        """``POST /goip_remove_sms.html`` ``{"tids": [...]}`` (none: every task)."""
        return await self._control(request, self.tasks.remove)

    async def _control(
        self, request: web.Request, action: Callable[[SendTask], None]
    ) -> web.Response:
        """Apply ``action`` to the tasks named (an unknown tid: ``11 TID Expected``)."""
        try:
            body = decode_body(await request.read())
        except RequestError as err:
            return self.answer(err.code)
        tids = lookup(body, "tids")
        if tids is None:
            for each in list(self.tasks.tasks.values()):
                if not each.removed:
                    action(each)
            return self.answer_ok()
        items = tids.split(",") if isinstance(tids, str) else tids
        if not isinstance(items, list):
            return self.answer(Code.INVALID_CMD)
        results: list[dict[str, Any]] = []
        for tid in items:
            number = whole(tid.strip() if isinstance(tid, str) else tid)
            task = self.tasks.find(number) if number is not None else None
            if task is not None:
                action(task)
            code = Code.OK if task is not None else Code.TID_EXPECTED
            results.append(
                {"tid": tid if number is None else number, "status": code_text(code)}
            )
        return self.answer_ok(results=results)

    async def get_tasks(self, request: web.Request) -> web.Response:
        """``GET /goip_get_tasks.html?port=1&pos=0&num=10&has_content=1``: a port's queue."""
        query = request.query
        port = whole(lookup(query, "port"))
        if port is None or self.port_index(port) is None:
            return self.answer(Code.INVALID_PORT)
        pos = whole(lookup(query, "pos"), 0)
        num = whole(lookup(query, "num"), TASK_PAGE)
        content = whole(lookup(query, "has_content"), 0)
        if pos is None or num is None or content is None or pos < 0 or num < 0:
            return self.answer(Code.INVALID_CMD)
        waiting = list(self.tasks.waiting(port - 1))
        tasks: list[dict[str, Any]] = []
        for task, numbers in waiting[pos : pos + num]:
            item: dict[str, Any] = {
                "tid": task.tid,
                "state": task.state,
                "from": task.source,
                "to": ",".join(numbers),
                "chs": task.charset,
                "coding": task.coding,
            }
            if content:
                item["sms"] = task.content
            tasks.append(item)
        return self.answer_ok(total_num=len(waiting), task_num=len(tasks), tasks=tasks)
