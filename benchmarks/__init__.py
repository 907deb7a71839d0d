"""Benchmarks of the integration against the simulator; they print figures, never fail on speed.

Run with ``scripts/bench``.  The simulated gateway (and the client that sends
pushes) run on a second event loop in their own thread, the "network side",
so that Home Assistant's loop thread does only Home Assistant's work and its
CPU time can be read with :func:`time.thread_time`.

Every figure is taken per API family (``families/``: one module per family,
listed in ``families.FAMILIES``) and, where it is per gateway, per gateway
shape of the family. ``test_bench.py`` holds the per-gateway benchmarks and
the bulk send, ``test_scale.py`` many gateways in one Home Assistant;
``harness.py`` what they share, ``floor.py`` the bare-aiohttp reference of a
refresh, ``report.py`` the table and the JSON file.
"""
