"""Synway sending: ``txsms``, and its results ``querytxsms`` and ``querytxsmsrpt``.

``txsms`` refuses (``result`` error) more than 50 numbers, a number that is
not one (``+`` then digits, ``*``, ``#``), an ``encoding`` other than 0
(7-bit) or 8 (UCS-2; absent: 0), a missing ``smsinfo``, 7-bit text over 600
septets and UCS-2 text over 300 code units, a ``port`` the unit lacks.
Otherwise it answers ``taskid:<n>`` (see :mod:`.tasks`).

``querytxsms`` lists the tasks asked for, in that order, each once; ids
unknown in this boot are left out, and when none is known the answer is
the error ``no such task``.  ``querytxsmsrpt`` answers ``OK`` when the
latest ``rptnum`` (default 1) messages sent from ``port`` to ``num`` were
all delivered (their delivery reports arrived saying so); otherwise the
error ``no sms`` (none sent), ``undelivered`` (a report said not
delivered) or ``no report`` (a report has not arrived yet).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from gsm_simulator.messaging import Encoding, char_units
from gsm_simulator.records import SmsStatus

from .base import SynwayBase
from .names import MAX_GSM7, MAX_NUMBERS, MAX_UCS2, REPORT_OK, Reason
from .numbering import covered
from .parsing import ApiError
from .render import FORMAT, task_list, task_text

if TYPE_CHECKING:
    from gsm_simulator.records import SmsResult

    from .numbering import PortRef
    from .parsing import Fields
    from .tasks import SendTask

_NUMBER_RE: Final = re.compile(r"\+?[0-9*#]{1,24}")
_ENCODINGS: Final[dict[str, Encoding]] = {"0": Encoding.GSM7, "8": Encoding.UCS2}
_LIMITS: Final[dict[Encoding, int]] = {Encoding.GSM7: MAX_GSM7, Encoding.UCS2: MAX_UCS2}
_SENT: Final = frozenset({SmsStatus.SENT, SmsStatus.DELIVERED})
_NO_PORT: Final = -1
"""The port written for a number no port has taken."""


class SendingEvents(SynwayBase):
    """Send tasks in, their progress and delivery receipts out."""

    def tx_sms(self, fields: Fields) -> str:
        """``txsms``: accept a task (``taskid:<n>``) or refuse it."""
        numbers = fields.items("num", Reason.BAD_NUMBER)
        if numbers is None:
            raise ApiError(Reason.BAD_NUMBER)
        if len(numbers) > MAX_NUMBERS:
            raise ApiError(Reason.TOO_MANY_NUMBERS)
        if not all(_NUMBER_RE.fullmatch(number) for number in numbers):
            raise ApiError(Reason.BAD_NUMBER)
        refs = self.port_refs(fields)
        encoding = _ENCODINGS.get(fields.text("encoding", Reason.BAD_ENCODING) or "0")
        if encoding is None:
            raise ApiError(Reason.BAD_ENCODING)
        text = fields.raw("smsinfo", Reason.NO_TEXT)
        if not text:
            raise ApiError(Reason.NO_TEXT)
        if sum(char_units(text, encoding)) > _LIMITS[encoding]:
            raise ApiError(Reason.TEXT_TOO_LONG)
        task = self.tasks.add(
            fields.text("userid"),
            numbers,
            text,
            encoding,
            None if refs is None else [ref.port for ref in refs],
        )
        return FORMAT.pair("taskid", task.task_id)

    def query_tx_sms(self, fields: Fields) -> str:
        """``querytxsms``: ``[taskid:<id>:<count>[:<userid>];<port>:<number>:<state>...]``."""
        raw_ids = fields.items("taskid", Reason.BAD_TASK_ID)
        if raw_ids is None or not all(item.isdigit() for item in raw_ids):
            raise ApiError(Reason.BAD_TASK_ID)
        numbers = fields.items("num", Reason.BAD_NUMBER)
        refs = self.port_refs(fields)
        found = [
            self.tasks.tasks[task_id]
            for task_id in dict.fromkeys(int(item) for item in raw_ids)
            if task_id in self.tasks.tasks
        ]
        if not found:
            raise ApiError(Reason.NO_TASK)
        return task_list(
            task_text(task.task_id, task.user_id, self._rows(task, numbers, refs))
            for task in found
        )

    def _rows(
        self, task: SendTask, numbers: list[str] | None, refs: list[PortRef] | None
    ) -> list[tuple[int, str, int]]:
        """``(port, number, state)`` of the task's destinations the filters name."""
        rows: list[tuple[int, str, int]] = []
        for item in task.destinations:
            port = item.port
            if numbers is not None and item.number not in numbers:
                continue
            if refs is not None and (port is None or not covered(refs, port, 0)):
                continue
            number = _NO_PORT if port is None else self.port_number(port)
            rows.append((number, item.number, int(self.tasks.state(item))))
        return rows

    def query_tx_sms_rpt(self, fields: Fields) -> str:
        """``querytxsmsrpt``: ``OK`` once the latest messages from ``port`` to ``num`` arrived."""
        refs = self.port_refs(fields)
        if refs is None or len(refs) != 1:
            raise ApiError(Reason.BAD_PORT)
        numbers = fields.items("num", Reason.BAD_NUMBER)
        if numbers is None or len(numbers) != 1:
            raise ApiError(Reason.BAD_NUMBER)
        count = fields.count("rptnum", 1)
        port, number = refs[0].port, numbers[0]
        sent = [
            result
            for result in self.gateway.outbox.results
            if result.port == port
            and result.number == number
            and result.status in _SENT
        ][-count:]
        if not sent:
            raise ApiError(Reason.NO_SMS)
        for result in sent:
            if result.status is not SmsStatus.DELIVERED:
                refused = self._refused(result)
                raise ApiError(Reason.UNDELIVERED if refused else Reason.NO_REPORT)
        return REPORT_OK

    def _refused(self, result: SmsResult) -> bool:
        """Whether a delivery report of ``result`` said it was not delivered."""
        return any(
            report.status_code != 0
            and report.port == result.port
            and report.number == result.number
            and report.time == result.time
            and report.ref_id == result.ref_id
            for report in self.gateway.outbox.reports
        )
