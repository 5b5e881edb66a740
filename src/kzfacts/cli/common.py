"""What the commands share: the :class:`Command` record, the fact base options, output.

A command module defines ``COMMAND = Command(name, help, arguments, run)``: ``arguments``
adds its options to its subparser, ``run`` takes the parsed options and returns the exit
code. Errors it raises (:class:`~kzfacts.errors.InvalidDataError`,
:class:`~kzfacts.errors.DataError`, :class:`~kzfacts.errors.RuleCrashError`, ``OSError``)
become one message and exit code in :func:`kzfacts.cli.main`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kzfacts._escape import plain_lines
from kzfacts._files import Inputs, bundled_path, write_atomic
from kzfacts.errors import DataError, InvalidDataError, Location

if TYPE_CHECKING:
    from kzfacts.data.factbase import FactBase

__all__ = ["Command", "emit", "error", "fact_base", "fact_base_arguments", "inputs_of",
           "paragraph_of", "say"]


@dataclass(frozen=True)
class Command:
    """One ``kzfacts`` command: its name, its line in the help, its options and its run."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def fact_base_arguments(p: argparse.ArgumentParser) -> None:
    """``--facts``, ``--rules``, ``--baseline`` and ``--bundled``; see :func:`fact_base`."""
    p.add_argument("--facts", type=Path, help="facts folder (default: ./facts)")
    p.add_argument("--rules", type=Path, help="rules folder (default: ./rules)")
    p.add_argument("--baseline", type=Path, help="accepted findings (default: ./baseline.yaml)")
    p.add_argument("--bundled", action="store_true",
                   help="the fact base shipped with kzfacts (see kzfacts.bundled_path())")


def fact_base(args: argparse.Namespace, *, baseline_may_be_missing: bool = False) -> None:
    """Fill ``args.facts``, ``args.rules`` and ``args.baseline``.

    With ``--bundled``: the fact base shipped with kzfacts. Else each is the option's value,
    or ``./facts``, ``./rules`` and ``./baseline.yaml``; a check never falls back to the
    bundled data, so one run in the wrong folder is an error, not someone else's verdict.

    Raises:
        DataError: no ``./facts`` and no ``--facts``, or ``--bundled`` with a path option.
        InvalidDataError: a ``--baseline`` named that does not exist (unless
            ``baseline_may_be_missing``).
    """
    if args.bundled:
        given = [f"--{name}" for name in ("facts", "rules", "baseline")
                 if getattr(args, name) is not None]
        if given:
            raise DataError(Location("--bundled"), "--bundled alone or the paths alone",
                            f"{', '.join(given)} too")
        root = bundled_path()
        args.facts, args.rules, args.baseline = root / "facts", root / "rules", root / "baseline.yaml"
        return
    if args.facts is None:
        if not Path("facts").is_dir():
            raise DataError(Location(str(Path.cwd() / "facts")),
                            "a facts folder here (or --facts DIR)",
                            "no such folder; to check the fact base shipped with kzfacts, "
                            "add --bundled")
        args.facts = _here(Path("facts"))
    if args.rules is None:
        args.rules = _here(Path("rules"))
    if args.baseline is None:
        args.baseline = Path("baseline.yaml")
    elif not baseline_may_be_missing and not args.baseline.exists():
        raise InvalidDataError([DataError(Location(str(args.baseline)), "a baseline file",
                                          "no such file")])


def paragraph_of(base: FactBase, number: int | None) -> None:
    """Refuse ``--paragraph N`` for a paragraph the source does not have."""
    if number is not None and number not in base.source.paragraphs:
        raise InvalidDataError([DataError(
            Location("--paragraph"), f"a paragraph of the source (1..{len(base.source.paragraphs)})",
            str(number))])


def _here(path: Path) -> Path:
    """A default folder, which may be a link only to somewhere inside the working folder: a
    pull request that turns ``facts`` into a link to elsewhere on the machine is refused."""
    here = Path.cwd().resolve()
    real = path.resolve()
    if path.is_symlink() and not real.is_relative_to(here):
        raise DataError(Location(str(path)), f"a folder inside {here}",
                        f"a symbolic link to {real}")
    return path


def inputs_of(args: argparse.Namespace) -> Inputs:
    """What a command on the fact base of ``args`` reads: nothing may be written over it."""
    return Inputs(folders=(args.facts, args.rules), files=(args.baseline,))


def error(first: str, *more: str) -> None:
    """``kzfacts: first`` and the ``more`` lines on stderr, each escaped as one line
    (:func:`kzfacts._escape.plain`): a line break inside one is written ``\\n``."""
    sys.stderr.write(plain_lines([f"kzfacts: {first}", *more]))


def say(lines: list[str]) -> None:
    """Lines of a command's output on stdout, each escaped as one line
    (:func:`kzfacts._escape.plain`)."""
    sys.stdout.write(plain_lines(lines))


def emit(text: str, output: Path | None, inputs: Inputs | None = None) -> None:
    """Write ``text`` to stdout, or atomically to ``output`` (never over one of ``inputs``)."""
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text, inputs=inputs)
