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

The package: :mod:`.names` (wire names and limits), :mod:`.parsing` (reading
requests), :mod:`.render` (records as answers and pushes show them), the route
groups :mod:`.status`, :mod:`.messaging` and :mod:`.control` over the shared
:mod:`.base`, :mod:`.push` (pushes), and :mod:`.dialect`, whose
:class:`DinstarDialect` combines them.
"""

from .base import DinstarBase
from .dialect import DinstarDialect
from .names import (
    ANSWER_ORDER,
    CALL_FORWARD_KEY,
    CALL_NAMES,
    DIRECTION_NAMES,
    ENCODINGS,
    FIELD_ORDER,
    FLAGS,
    FORWARD_MODES,
    INFO_TYPES,
    MAX_NUMBER_BYTES,
    MAX_QUERY_NUMBERS,
    MAX_SMS_NUMBERS,
    MAX_SMS_TEXT_BYTES,
    NULL_FIELD,
    PUSH_TYPES,
    REG_NAMES,
    SINGLE_SIM_SLOT,
    SMS_STATUS_NAMES,
    STK_ACTIONS,
    TIME_FORMAT,
    USSD_STATUS_CODES,
)
from .parsing import (
    BadRequestError,
    TooLargeError,
    decode_body,
    fill_params,
    format_time,
    is_int,
    parse_info_types,
    parse_int_list,
    parse_numbers,
    parse_port_list,
    parse_ports,
    parse_time,
    valid_number,
)

__all__ = [
    "ANSWER_ORDER",
    "CALL_FORWARD_KEY",
    "CALL_NAMES",
    "DIRECTION_NAMES",
    "ENCODINGS",
    "FIELD_ORDER",
    "FLAGS",
    "FORWARD_MODES",
    "INFO_TYPES",
    "MAX_NUMBER_BYTES",
    "MAX_QUERY_NUMBERS",
    "MAX_SMS_NUMBERS",
    "MAX_SMS_TEXT_BYTES",
    "NULL_FIELD",
    "PUSH_TYPES",
    "REG_NAMES",
    "SINGLE_SIM_SLOT",
    "SMS_STATUS_NAMES",
    "STK_ACTIONS",
    "TIME_FORMAT",
    "USSD_STATUS_CODES",
    "BadRequestError",
    "DinstarBase",
    "DinstarDialect",
    "TooLargeError",
    "decode_body",
    "fill_params",
    "format_time",
    "is_int",
    "parse_info_types",
    "parse_int_list",
    "parse_numbers",
    "parse_port_list",
    "parse_ports",
    "parse_time",
    "valid_number",
]
