"""The one base of every exception rsqm raises on purpose, and the exit code each means.

``rsqm.cli.main`` catches ``RsqmError`` once: a ``UsageError`` (exit 2) prints
``rsqm COMMAND: MESSAGE``, a refused input (exit 1) prints
``rsqm COMMAND: error: MESSAGE``, and ``ProblemsPrinted`` (exit 1) its
message alone, after the problems it sums up. Library modules subclass these, so a command
needs no wrapper where the library's message already says what went wrong.
"""

from __future__ import annotations


class RsqmError(Exception):
    """Something rsqm refuses to do, with the message to show and the exit code it means."""

    exit_code = 1


class UsageError(RsqmError):
    """The command was used wrongly (a missing workspace, a wrong option): exit 2."""

    exit_code = 2


class InputRefused(RsqmError):
    """The input has problems; nothing was written: exit 1."""

    exit_code = 1


class ProblemsPrinted(InputRefused):
    """The input has problems, already printed one a line; the message, printed as it stands, says what to do: exit 1."""
