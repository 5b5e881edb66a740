"""Reading the command line: a plain ``check`` by hand, one command's parser, else the whole.

``kzfacts.cli`` builds only the parser of the command being run, and reads a plain
``check`` line without argparse at all. Both must answer exactly as the whole parser does:
the same options, the same help, the same usage errors and exit codes. Each test compares
the lazy reading (``cli._parse_args``) with the whole parser (``cli._parser().parse_args``).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzfacts import cli

Outcome = tuple[str, Any, str, str]  # ("ok", options, stdout, stderr) or ("exit", code, ...)


def outcome(parse: Callable[[list[str]], Any], argv: list[str]) -> Outcome:
    """What reading ``argv`` gives: the options (as a dict) or the exit code, and the output."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            result: tuple[str, Any] = ("ok", vars(parse(argv)))
        except SystemExit as exc:
            result = ("exit", exc.code)
    return (*result, out.getvalue(), err.getvalue())


def whole(argv: list[str]) -> Outcome:
    return outcome(lambda a: cli._parser().parse_args(a), argv)


def lazy(argv: list[str]) -> Outcome:
    return outcome(cli._parse_args, argv)


@pytest.fixture(autouse=True)
def _columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Help is wrapped to the terminal's width: fix it, and try a narrow one too."""
    monkeypatch.setenv("COLUMNS", "100")


COMMANDS = ["check", "explain", "facts", "numbers", "baseline", "diff", "schema", "init"]

USAGE_LINES = [
    [], ["-h"], ["--help"], ["bogus"], ["--bogus"], ["-h", "check"], ["--version"],
    *[[c, flag] for c in COMMANDS for flag in ("-h", "--help", "--bogus")],
    *[[c, "--bogus", "x", "-h"] for c in COMMANDS],
    ["baseline", "update", "--help"], ["baseline", "update", "--bogus"], ["baseline"],
    ["baseline", "bogus"], ["check", "--no-cache", "extra"], ["check", "--format", "bogus"],
    ["check", "--jobs", "x"], ["check", "--facts"], ["check", "--no-cache=1"],
    ["check", "--no-c", "--format", "json"], ["check", "--", "x"], ["explain"], ["init"],
    ["facts", "--paragraph", "x"], ["schema", "bogus"], ["diff"], ["diff", "a", "b", "c"],
    ["check", "-h", "--no-cache"], ["check", "--no-cache", "-h"], ["check", "-oj.json"],
    ["check", "-o=r.md"], ["check", "-j-1"], ["check", "--jobs", "-1"],
    ["numbers", "--uncovered", "--paragraph", "3", "x"], ["init", "d", "--source", "s.txt"],
]


@pytest.mark.parametrize("argv", USAGE_LINES, ids=" ".join)
def test_help_and_usage_errors_are_those_of_the_whole_parser(argv: list[str]) -> None:
    expected = whole(argv)
    assert lazy(argv) == expected


def test_every_command_help_is_compared() -> None:
    assert list(cli._COMMANDS) == COMMANDS
    kind, code, out, _ = lazy(["--help"])
    assert (kind, code) == ("exit", 0)
    assert "{check,explain,facts,numbers,baseline,diff,schema,init}" in out
    for name, (text, _add) in cli._COMMANDS.items():
        assert f"    {name:<20}{text}" in out  # every command listed with its line
        kind, code, out_c, _ = lazy([name, "--help"])
        assert (kind, code) == ("exit", 0)
        assert out_c.startswith(f"usage: kzfacts {name} [-h]")


@pytest.mark.parametrize("columns", ["40", "100", "250"])
def test_help_wraps_alike_at_any_width(monkeypatch: pytest.MonkeyPatch, columns: str) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    for argv in (["-h"], *[[c, "-h"] for c in COMMANDS], ["baseline", "update", "-h"],
                 ["check", "--format", "pdf"]):
        assert lazy(argv) == whole(argv)


def test_main_exit_codes_of_help_and_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", "--help"]) == cli.EXIT_OK
    assert capsys.readouterr().out.startswith("usage: kzfacts check [-h]")
    assert cli.main(["check", "--format", "pdf"]) == cli.EXIT_INVALID
    assert "kzfacts check: error: argument --format: invalid choice: 'pdf'" in (
        capsys.readouterr().err)
    assert cli.main(["check", "stray"]) == cli.EXIT_INVALID
    # arguments a command does not know are named by the whole parser, after its usage
    assert capsys.readouterr().err.splitlines() == [
        "usage: kzfacts [-h] {check,explain,facts,numbers,baseline,diff,schema,init} ...",
        "kzfacts: error: unrecognized arguments: stray"]


# -- a plain check, read without argparse ------------------------------------------------------

PLAIN = [
    ["check"],
    ["check", "--no-cache"],
    ["check", "--format", "json", "-o", "r.json"],
    ["check", "--output=r.sarif", "--no-cache", "--no-cache"],
    ["check", "--facts", "f", "--rules=r", "--baseline", "b.yaml", "--corpus", "c", "-j", "2"],
    ["check", "--jobs=-1", "--facts=-f", "--format", "html", "--format", "text"],
    ["check", "--facts", "a b", "--rules", "x=y", "--jobs", " 3 "],
]


@pytest.mark.parametrize("argv", PLAIN, ids=" ".join)
def test_a_plain_check_is_read_without_argparse(monkeypatch: pytest.MonkeyPatch,
                                                argv: list[str]) -> None:
    expected = whole(argv)
    assert expected[0] == "ok"

    def no_parser(command: str | None = None) -> None:
        raise AssertionError(f"argparse used for {argv} ({command or 'the whole parser'})")

    monkeypatch.setattr(cli, "_parser", no_parser)
    assert lazy(argv) == expected


def test_the_plain_check_reader_refuses_what_it_does_not_read() -> None:
    for argv in (["check", "--fac", "f"], ["check", "-h"], ["check", "--", "x"],
                 ["check", "-o"], ["check", "-o", ""], ["check", "--facts="],
                 ["check", "-o=x"], ["check", "-ox"], ["check", "--facts", "-x"],
                 ["check", "--format", "pdf"], ["check", "--jobs", "two"], ["check", "x"],
                 ["check", "--no-cache=1"], ["explain", "r"], []):
        assert cli._read_check(argv) is None, argv


OPTIONS = ["--facts", "--rules", "--baseline", "--format", "--output", "-o", "--corpus",
           "--jobs", "-j", "--no-cache", "-h", "--help", "--", "--fa", "--no", "--no-c",
           "--form", "-", "--bogus", "-x", "-oout.json", "-j2", "--prune", "--check",
           "--paragraph", "--uncovered", "--source", "--title", "--paragraphs", "--exit-code",
           "--facts-dir", "--rules-dir"]
VALUES = ["x", "a b", "facts", "-x", "", "json", "html", "text", "markdown", "bogus", "3", "+3",
          " 3", "-1", "\u0663", "1_0", "a=b", "out.json", "update", "all", "auto", "p1.sum"]
TOKENS = st.one_of(st.sampled_from(OPTIONS), st.sampled_from(VALUES),
                   st.builds("{}={}".format, st.sampled_from(OPTIONS), st.sampled_from(VALUES)))


@given(st.sampled_from(["check", "check", "check", *COMMANDS, "bogus", "-h", "update"]),
       st.lists(TOKENS, max_size=7))
def test_any_command_line_reads_as_the_whole_parser_reads_it(first: str,
                                                             rest: list[str]) -> None:
    argv = [first, *rest]
    assert lazy(argv) == whole(argv)


@given(st.lists(st.tuples(st.sampled_from(sorted(cli._CHECK_VALUED)),
                          st.sampled_from(["x", "f/g", "json", "html", "2", "-3", "a=b"]),
                          st.booleans()), max_size=6),
       st.booleans())
def test_plain_check_lines_read_by_hand_as_argparse_reads_them(
        options: list[tuple[str, str, bool]], no_cache: bool) -> None:
    argv = ["check", *(["--no-cache"] if no_cache else [])]
    separate = False  # a value after its option that starts with "-"
    for name, value, joined in options:
        if joined and name.startswith("--"):
            argv.append(f"{name}={value}")
        else:
            argv += [name, value]
            separate = separate or value.startswith("-")
    expected = whole(argv)
    read = cli._read_check(argv)
    if read is None:  # only what argparse would refuse or read otherwise is left to it
        assert expected[0] == "exit" or separate
    else:
        assert expected == ("ok", vars(read), "", "")


def test_main_runs_a_plain_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.json"
    code = cli.main(["check", "--no-cache", "-o", str(out)])
    assert code in (cli.EXIT_OK, cli.EXIT_FINDINGS)
    assert out.read_text(encoding="utf-8").startswith("{")
    assert capsys.readouterr().out == ""
