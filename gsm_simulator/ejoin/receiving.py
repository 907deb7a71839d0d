"""Ejoin inbox query: ``goip_get_sms.html``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import EjoinBase
from .names import Code
from .parsing import RequestError, whole

if TYPE_CHECKING:
    from aiohttp import web


class ReceivingRoutes(EjoinBase):
    """The stored messages and delivery reports, from an id on."""

    async def get_sms(self, request: web.Request) -> web.Response:
        """``GET /goip_get_sms.html?sms_id=1&sms_num=0&sms_del=0`` (or a POST of them).

        Answers ``{"code": 0, "reason": "OK", "ssrc": ..., "sms_num": n,
        "next_sms": id, "data": [rows]}`` from ``sms_id`` on (``sms_num`` 0:
        all; ``sms_del`` 1 deletes what was returned).  After a reboot the
        ``ssrc`` is another and the ids start at 1 again.
        """
        try:
            fields = await self.fields(request)
        except RequestError as err:
            return self.answer(err.code)
        first = whole(fields.get("sms_id"), 1)
        count = whole(fields.get("sms_num"), 0)
        delete = whole(fields.get("sms_del"), 0)
        if (
            first is None
            or count is None
            or delete not in {0, 1}
            or first < 0
            or count < 0
        ):
            return self.answer(Code.INVALID_CMD)
        rows, following = self.inbox.read(max(first, 1), count, delete=bool(delete))
        return self.answer(
            Code.OK,
            ssrc=self.inbox.ssrc,
            sms_num=len(rows),
            next_sms=following,
            data=rows,
        )
