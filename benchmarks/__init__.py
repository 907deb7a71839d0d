"""Benchmarks of the integration against the simulator; they print figures, never fail on speed.

Run with ``scripts/bench``.  The simulated gateway (and the client that sends
pushes) run on a second event loop in their own thread, the "network side",
so that Home Assistant's loop thread does only Home Assistant's work and its
CPU time can be read with :func:`time.thread_time`.
"""
