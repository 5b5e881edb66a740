"""``kzfacts schema``: the JSON Schemas of the file formats and of the JSON reports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kzfacts._escape import plain_lines
from kzfacts._files import write_atomic
from kzfacts.cli.common import Command
from kzfacts.errors import EXIT_OK

__all__ = ["COMMAND"]

_NAMES = ["all", "facts", "rules", "document", "units", "reference", "not-claims", "baseline",
          "report", "corpus-report"]


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", nargs="?", default="all", choices=_NAMES)
    p.add_argument("--output", "-o", type=Path,
                   help="a file (one schema) or a folder (default for all: ./schemas)")


def _run(args: argparse.Namespace) -> int:
    from kzfacts.reports.schema import SCHEMAS, schema_text

    names = sorted(SCHEMAS) if args.name == "all" else [args.name]
    if args.output is None and len(names) == 1:
        sys.stdout.write(schema_text(names[0]))
        return EXIT_OK
    folder: Path = args.output or Path("schemas")
    for name in names:
        target = folder / f"kzfacts-{name}.schema.json" if len(names) > 1 or folder.is_dir() \
            else folder
        write_atomic(target, schema_text(name))
        sys.stdout.write(plain_lines([f"wrote {target}"]))
    return EXIT_OK


COMMAND = Command("schema", "JSON Schemas of the file formats and the JSON report", _arguments,
                  _run)
