"""Dinstar port control, call records and the SIM toolkit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gsm_simulator.errors import RefusedError
from gsm_simulator.stk import MENU_INPUTS, StkAction

from .base import DinstarBase
from .names import FORWARD_MODES, STK_ACTIONS
from .parsing import (
    PIN_RE,
    BadRequestError,
    decode_body,
    is_int,
    parse_port_list,
    parse_time,
    valid_number,
)
from .render import render_cdr

if TYPE_CHECKING:
    from aiohttp import web


class ControlRoutes(DinstarBase):
    """``set_port_info``, ``get_cdr`` and the STK pages."""

    render_cdr = staticmethod(render_cdr)

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
                if not PIN_RE.fullmatch(param):
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
