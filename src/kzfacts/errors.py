"""The errors kzfacts raises. Every one derives from :class:`KzfactsError`.

A failed check is never an exception: it is a :class:`kzfacts.Result` with verdict
``fail``. These classes are for bad input (a data file, a rule file, a number that cannot
be read) and for bugs inside a rule kind, which must never look like a failed check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kzfacts._escape import plain

__all__ = [
    "EXIT_BUG",
    "EXIT_FINDINGS",
    "EXIT_INVALID",
    "EXIT_OK",
    "ArgumentError",
    "DataError",
    "InvalidDataError",
    "KzfactsError",
    "Location",
    "ReadError",
    "RuleCrashError",
    "UnitMismatchError",
    "UnknownFactError",
]


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a data file: 1-based line and column (0 when not known)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


#: The exit codes of the ``kzfacts`` command: nothing failing beyond the baseline;
#: findings; invalid input; a bug inside a rule kind.
EXIT_OK, EXIT_FINDINGS, EXIT_INVALID, EXIT_BUG = 0, 1, 2, 3


class KzfactsError(Exception):
    """The base of every error kzfacts raises."""


class ReadError(KzfactsError, ValueError):
    """The number reader could not read a text as the number it was asked for."""

    def __init__(self, text: str, expected: str, *, found: str | None = None) -> None:
        self.text = text
        self.expected = expected
        self.found = found
        super().__init__(text, expected, found)

    def __str__(self) -> str:
        text = repr(self.text) if len(self.text) <= 60 else repr(self.text[:60]) + "..."
        found = self.found if self.found is not None else text
        return plain(f"cannot read {text}: expected {self.expected}, found {found}")


class ArgumentError(KzfactsError, TypeError, ValueError):
    """A value passed to a kzfacts function is not one it takes (a float where an exact
    number is needed, a Reading where an Interval is, quantities of different dimensions).

    Both a ``TypeError`` and a ``ValueError``, so either ``except`` catches it.

    Attributes:
        argument: the argument, as the call names it (``"check_share(share=)"``).
        expected: what would have been accepted, and how to pass it.
        found: what was passed.
    """

    def __init__(self, argument: str, expected: str, found: str) -> None:
        self.argument = argument
        self.expected = expected
        self.found = found
        super().__init__(argument, expected, found)

    def __str__(self) -> str:
        return plain(f"{self.argument}: expected {self.expected}, found {self.found}")


def describe(value: object) -> str:
    """A passed value as an error message names it: ``the float 0.078``, ``'3,7%' (a str)``."""
    if isinstance(value, float):
        return f"the float {value!r}"
    if isinstance(value, bool):
        return f"the boolean {value}"
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    return f"{text} (a {type(value).__module__}.{type(value).__qualname__})" if not isinstance(
        value, str | int) else f"{text} (a {type(value).__name__})"


class DataError(KzfactsError, ValueError):
    """One problem in a data or rule file, at a location.

    Attributes:
        location: file:line:column of the offending node.
        field: the dotted path of the field (``facts[3].value``), or ``""``.
        expected: what would have been valid.
        found: what is there.
    """

    def __init__(self, location: Location, expected: str, found: str = "",
                 *, field: str = "") -> None:
        self.location = location
        self.field = field
        self.expected = expected
        self.found = found
        super().__init__(location, expected, found, field)

    def __str__(self) -> str:
        where = f"{self.location}: " + (f"{self.field}: " if self.field else "")
        found = f", found {self.found}" if self.found else ""
        # one line: a file named ``a\\n::error::x`` or holding an escape sequence must not
        # forge or colour lines of the output (kzfacts._escape)
        return plain(f"{where}expected {self.expected}{found}")


class UnitMismatchError(DataError):
    """A rule combines quantities of different dimensions (persons + cases)."""


class UnknownFactError(DataError, LookupError):
    """A rule refers to a fact id that the fact base does not have."""


class InvalidDataError(KzfactsError, ValueError):
    """Loading or compiling found one or more :class:`DataError`; all are collected."""

    def __init__(self, errors: Sequence[DataError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.location, e.field, e.expected))
        super().__init__(self.errors)

    def __str__(self) -> str:
        n = len(self.errors)
        head = f"{n} error{'s' if n != 1 else ''} in the fact base"
        return head + ":\n" + "\n".join(f"  {e}" for e in self.errors)


class RuleCrashError(KzfactsError, RuntimeError):
    """A rule kind raised (compiling or evaluating a rule), or an installed kind could not
    be loaded: a bug to fix, never a failed check (exit 3).

    Attributes:
        rule_id: the rule, or ``None`` for a kind that could not be loaded.
        kind: the rule's kind, or the entry point (``name = module:Class``) that failed.
        cause: what the kind raised.
    """

    def __init__(self, rule_id: str | None, kind: str, cause: BaseException) -> None:
        self.rule_id = rule_id
        self.kind = kind
        self.cause = cause
        super().__init__(rule_id, kind, cause)

    def __str__(self) -> str:
        if self.rule_id is None:
            return plain(f"the rule kind plugin {self.kind!r} could not be loaded: "
                             f"{type(self.cause).__name__}: {self.cause}")
        return plain(f"rule {self.rule_id!r} (kind {self.kind!r}) crashed: "
                         f"{type(self.cause).__name__}: {self.cause}")
