"""Exceptions of the gateway model."""

from __future__ import annotations


class RefusedError(Exception):
    """The gateway refuses an operation in its current state.

    Dialects answer it with their "other error" code (Dinstar: ``error_code`` 500).
    """


class NoPortError(RefusedError):
    """No port can take the messages (Dinstar: ``error_code`` 550)."""
