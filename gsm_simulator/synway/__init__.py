"""Synway SMG wireless gateway dialect (the Synway SMG HTTP API spec).

Every request is a POST of a JSON object ``{"event": "...", ...}`` to
``/API/QueryInfo`` (queries) or ``/API/TaskHandle`` (tasks), authenticated
with HTTP Basic (the unit's dedicated API account; wrong or missing
credentials: 401 with a ``Basic`` challenge).  Parameter names are matched
without regard to case.  Every answer is HTTP 200 JSON ``{"result": "ok",
"content": "..."}`` whose content is a delimited string (:mod:`.render`),
or ``{"result": "error", "content": "<reason>"}`` (:class:`~.names.Reason`:
malformed JSON, no or unknown event, an event sent to the other endpoint,
a bad parameter).  Nothing is pushed.

QueryInfo events: ``getportinfo``, ``getportconnectstate``,
``getwirelessinfo`` (:mod:`.device`), ``querytxsms``, ``querytxsmsrpt``
(:mod:`.sending`), ``queryrxsms``, ``querysxsms`` (:mod:`.mailboxes`),
``rxussd`` (:mod:`.ussd`).  TaskHandle events: ``txsms``, ``deletesms``,
``txussd``, ``deleteussd``.

Choices where the spec is silent:

* Task ids count from 0 in each boot; a reboot forgets the tasks.
  ``querytxsms`` leaves out ids it does not know, and answers the error
  ``no such task`` when it knows none of them.
* ``querytxsmsrpt`` answers ``OK`` once the delivery report arrived saying
  delivered; before that the error ``no report`` (``undelivered`` when the
  report said not delivered, ``no sms`` when nothing was sent there).
* Time windows (``begintime``, ``endtime``) are inclusive, to the second,
  in the unit's clock (the gateway model's, UTC).
* A destination no port can take waits (state 1) for the ``send_timeout``
  option, then times out (5), written with port ``-1``.
* Ports are numbered from the ``first_port`` option (default 1); slots are
  A..D (``-1`` on a single-SIM unit); an unknown SIM number is ``-1``.

Options (:class:`~.options.SynwayOptions`, ``--dialect-option NAME=VALUE``):
``first_port`` (0 or 1), ``result_case`` (``ok``, ``oK`` ...), ``port_type``
(``WCDMA``), ``inbox_scts`` (service centre time stamps in ``queryrxsms``),
``send_timeout`` (seconds).

The package: :mod:`.names`, :mod:`.options`, :mod:`.parsing`,
:mod:`.numbering`, :mod:`.filters`, :mod:`.render`, :mod:`.status`, the
unit's stores (:mod:`.tasks`, :mod:`.inbox`, :mod:`.sentbox`,
:mod:`.ussd_log`), the event groups over :mod:`.base` (:mod:`.device`,
:mod:`.sending`, :mod:`.mailboxes`, :mod:`.ussd`), :mod:`.events`, and
:mod:`.dialect`, whose :class:`SynwayDialect` combines them.
"""

from .dialect import SynwayDialect
from .names import ConnectState, Event, PortState, Reason, SendState
from .options import SynwayOptions

__all__ = [
    "ConnectState",
    "Event",
    "PortState",
    "Reason",
    "SendState",
    "SynwayDialect",
    "SynwayOptions",
]
