"""Ejoin ("Skyline") multi-SIM gateway dialect (the Ejoin HTTP API spec).

Credentials are the ``username`` and ``password`` query parameters (a POST
may carry them in its JSON body; ``Username`` is read too).  Wrong or
missing ones: HTTP 200 ``{"code": 1, "reason": "Invalid User"}``, or a bare
401 with the ``refusal`` option.  Ports are numbered from 1; a port's SIM
slot is written ``1.01``..``1.04`` or ``1A``..``1D`` (the ``slot_style``
option says which the unit writes; requests may use either).  Answers and
pushes are JSON with ``Content-Type: application/json;charset=utf-8``.

Endpoints:

* ``GET /goip_get_status.html[?url=&period=&all_sims=]``: ``dev-status``;
  ``url`` registers the status pushes
* ``POST``/``GET /goip_send_cmd.html``: lock, unlock, switch, reset, redial,
  save, reboot, get, set, multiple
* ``POST /goip_post_sms.html``: send tasks; ``status-report`` pushes follow
* ``POST /goip_pause_sms.html``, ``/goip_resume_sms.html``,
  ``/goip_remove_sms.html``: task control; ``GET /goip_get_tasks.html``
* ``GET``/``POST /goip_get_sms.html``: the inbox from an id on
* ``GET /goip_get_sms_stat.html``, ``/goip_get_call_stat.html``: statistics
* ``GET /goip_send_ussd.html?port=1A&ussd=*100%23``: the network's answer

Pushes (:data:`PUSH_TYPES`): ``dev-status`` every registered period and
``port-status`` on a port's change (to the URL registered through
``goip_get_status``), ``recv-sms`` (to the SMS URL), ``status-report`` (to
the request's ``sr_url``, the ``sr_url`` option, or the push URL).

The package: :mod:`.names` (codes and defaults), :mod:`.options`,
:mod:`.numbering`, :mod:`.parsing`, the unit's state (:mod:`.status`,
:mod:`.watch`, :mod:`.tasks`, :mod:`.caching`, :mod:`.inbox`,
:mod:`.counters`, :mod:`.waiters`), the route groups over :mod:`.base`
(:mod:`.device`, :mod:`.commands`, :mod:`.sending`, :mod:`.receiving`,
:mod:`.statistics`, :mod:`.ussd`), :mod:`.events`, and :mod:`.dialect`,
whose :class:`EjoinDialect` combines them.
"""

from .dialect import EjoinDialect
from .names import PUSH_TYPES, Code, PortState
from .options import EjoinOptions

__all__ = ["PUSH_TYPES", "Code", "EjoinDialect", "EjoinOptions", "PortState"]
