"""The one error the local stack raises: a one-line message meant for a person."""

from __future__ import annotations

__all__ = ["StackError"]


class StackError(Exception):
    """The local stack cannot do what was asked; the message is one line, meant for a person."""
