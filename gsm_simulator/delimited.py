"""Delimited text inside JSON replies, for dialects whose vendor answers that way.

Some vendors answer ``{"result": "ok", "content": "..."}`` where the
content is not JSON but a string of fields with separators::

    total:2;portstate:0,1.                         sections, a list, a final "."
    total:1;2|0|20160721132505|99|1|NULL|E         a count, then rows ending "|E"
    2:89860058111551226470.3:89860058111551226471.  port:value pairs, each ending "."

A :class:`DelimitedText` holds one vendor's separators and builds such
strings from values, so a dialect writes
``fmt.content(fmt.pair("total", 2), fmt.pair("portstate", [0, 1]))`` rather
than joining strings by hand.  Nothing is escaped (the vendors do not
escape either): a text field may contain the separators.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class DelimitedText:
    """The separators of one vendor's delimited ``content``."""

    section_sep: str = ";"
    """Between sections (``total:2``, ``portstate:...``) and between rows."""
    list_sep: str = ","
    """Between the values of a list (``0,1,1``)."""
    pair_sep: str = ":"
    """Between a key and its value (``total:2``)."""
    field_sep: str = "|"
    """Between the fields of a row."""
    row_end: str = "|E"
    """After the last field of every row."""
    end: str = ""
    """After the whole content (some replies end with ``.``)."""
    null: str = "NULL"
    """What ``None`` is written as."""
    true: str = "1"
    false: str = "0"

    def value(self, value: object) -> str:
        """One value as text: ``None`` is :attr:`null`, booleans are 1/0, lists are joined."""
        if value is None:
            return self.null
        if isinstance(value, bool):
            return self.true if value else self.false
        if isinstance(value, list | tuple):
            return self.values(value)
        return str(value)

    def values(self, values: Iterable[object]) -> str:
        """``values`` joined by :attr:`list_sep` (``0,1,1``)."""
        return self.list_sep.join(self.value(item) for item in values)

    def pair(self, key: object, value: object) -> str:
        """``key`` and ``value`` joined by :attr:`pair_sep` (``total:2``, ``portstate:0,1``)."""
        return f"{self.value(key)}{self.pair_sep}{self.value(value)}"

    def row(self, *fields: object) -> str:
        """``fields`` joined by :attr:`field_sep`, ended by :attr:`row_end`."""
        return self.field_sep.join(self.value(item) for item in fields) + self.row_end

    def content(self, *sections: str) -> str:
        """``sections`` joined by :attr:`section_sep`, ended by :attr:`end`."""
        return self.section_sep.join(sections) + self.end

    def counted(self, rows: Sequence[str], *, key: str = "total") -> str:
        """The count of ``rows`` as ``key:n``, then the rows (``total:0`` when empty)."""
        return self.content(self.pair(key, len(rows)), *rows)

    @staticmethod
    def reply(content: str, *, result: str = "ok") -> dict[str, str]:
        """The JSON object carrying ``content``: ``{"result": ..., "content": ...}``."""
        return {"result": result, "content": content}
