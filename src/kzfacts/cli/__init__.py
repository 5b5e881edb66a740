"""The ``kzfacts`` command: one argparse parser, one module per command.

Each command is the module ``kzfacts.cli.<name>``, whose ``COMMAND``
(:class:`kzfacts.cli.common.Command`) holds its line in the help, what adds its options,
and what runs it. A new command is one more name in :data:`COMMANDS`.

Exit codes: 0 nothing failing beyond what the baseline accepts; 1 findings (a failed
error-severity rule, a fact its source does not support, a number not accounted for);
2 invalid input (a data or rule file error, a bad command line, an output refused);
3 a bug inside a rule kind.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kzfacts.cli.common import Command, error
from kzfacts.errors import (
    EXIT_BUG,
    EXIT_FINDINGS,
    EXIT_INVALID,
    EXIT_OK,
    DataError,
    InvalidDataError,
    RuleCrashError,
)

__all__ = ["COMMANDS", "EXIT_BUG", "EXIT_FINDINGS", "EXIT_INVALID", "EXIT_OK", "main", "parser"]

#: The commands, in the order of the help: each is the module ``kzfacts.cli.<name>``.
COMMANDS = ("check", "explain", "facts", "numbers", "baseline", "diff", "schema", "init", "draft",
            "scan", "suggest")


def _version() -> str:
    from importlib.metadata import version

    return version("kzfacts")


def parser() -> argparse.ArgumentParser:
    """The parser of the whole command line, every command's options included."""
    whole = argparse.ArgumentParser(
        prog="kzfacts", description="Fact-check a document against itself.",
        epilog="exit codes: 0 nothing failing beyond the baseline; 1 findings; "
               "2 invalid input; 3 a bug inside a rule kind")
    whole.add_argument("--version", action="version", version=f"kzfacts {_version()}")
    sub = whole.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        command: Command = importlib.import_module(f"kzfacts.cli.{name}").COMMAND
        p = sub.add_parser(command.name, help=command.help)
        command.arguments(p)
        p.set_defaults(run=command.run)
    return whole


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        args = parser().parse_args(sys.argv[1:] if argv is None else list(argv))
    except SystemExit as exc:  # help, --version, or a usage error (argparse printed it)
        return EXIT_INVALID if exc.code not in (0, None) else EXIT_OK
    try:
        code: int = args.run(args)
    except InvalidDataError as exc:  # bad data: one line per error (each escaped as one)
        error(*str(exc).split("\n"))
        return EXIT_INVALID
    except DataError as exc:  # an option or output refused
        error(str(exc))
        return EXIT_INVALID
    except RuleCrashError as exc:
        error(f"internal error, please report it: {exc}")
        return EXIT_BUG
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a report or file that cannot be written: say where, no traceback
        where = exc.filename if exc.filename is not None else "output"
        error(f"{where}: expected a writable file, found {exc.strerror or exc}")
        return EXIT_INVALID
    return code
