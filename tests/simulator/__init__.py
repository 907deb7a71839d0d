"""Tests of the gateway simulator itself."""
