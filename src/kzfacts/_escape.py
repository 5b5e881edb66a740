"""What kzfacts prints, escaped by class: one function per kind of output.

Every text kzfacts writes may carry words of its inputs (a title, a ``why``, a quote, a file
name, a plugin's message), and a terminal or a CI log acts on some characters: a newline
starts a line a CI runner may read as a workflow command (``::error ...::``,
``::add-mask::``), an escape sequence recolours or rewrites the screen, a bidirectional
control reorders what a reader sees. So every writer puts its text through one of these:

* :func:`plain`: one line of text for a terminal, a log, Markdown or a JUnit body: each
  :data:`UNSAFE` character becomes a visible escape as Python writes it (``\\n``,
  ``\\x1b``, ``\\u202e``), and a line that a GitHub runner would read as a command
  (``::`` after blanks at its start, ``##[`` anywhere) has the first character of that
  mark escaped (``\\x3a:error``, ``\\x23#[``). :func:`plain_lines` joins such lines.
* :func:`json_text`: JSON, where :data:`UNSAFE` characters are ``\\u`` escapes (the data
  stays what it was; the bytes hold no such character), and so is the ``#`` of ``##[``.
* :func:`html_text`: HTML text or attribute values: markup escaped; a tab, newline or
  return as a character reference (the page shows the same), other :data:`UNSAFE`
  characters as visible escapes (a bidirectional override must not reorder the page), and
  the ``#`` of ``##[`` as a reference.

A backslash is not escaped: ``\\x1b`` in a report is either an escaped character or those
four characters written in the data; the terminal acts on neither.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable

__all__ = ["FORMAT_CHARACTERS", "UNSAFE", "html_text", "json_text", "plain", "plain_lines"]

#: Unicode's invisible format characters (category Cf, as of Unicode 15.1; a test holds
#: this list to the running Python's). A viewer shows none of them.
FORMAT_CHARACTERS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f")

_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xfffe)}{chr(plane * 0x10000 + 0xffff)}" for plane in range(1, 17))

#: What no output carries as it is: the C0 and C1 controls (tab and newline too) and DEL,
#: the line and paragraph separators, lone surrogates, the format characters, and the
#: noncharacters (U+FFFE, U+FFFF...; XML cannot hold them).
UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff{FORMAT_CHARACTERS}"
                    f"{_NONCHARACTERS}]")
# In JSON, a control below U+0020 is escaped by the encoder: a raw newline is its layout.
_UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f\u2028\u2029\ud800-\udfff{FORMAT_CHARACTERS}"
                             f"{_NONCHARACTERS}]|##\\[")
_UNSAFE_IN_HTML = re.compile(UNSAFE.pattern + "|##\\[")
_COMMAND_START = re.compile(r"\A(\s*):(?=:)")
_LEGACY_COMMAND = re.compile(r"##\[")
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _visible(char: str) -> str:
    """``char`` as Python writes it in a string literal: ``\\n``, ``\\x85``, ``\\u202e``."""
    code = ord(char)
    if char in _SHORT:
        return _SHORT[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def plain(text: str) -> str:
    """One line of text for a terminal or a log: see the module's docstring."""
    if not text.isprintable():
        text = UNSAFE.sub(lambda m: _visible(m.group()), text)
    if ":" in text:
        text = _COMMAND_START.sub(r"\1\\x3a", text)
    if "##[" in text:
        text = _LEGACY_COMMAND.sub(r"\\x23#[", text)
    return text


def plain_lines(lines: Iterable[str]) -> str:
    """Lines for a terminal or a log, each through :func:`plain`, each ending in a newline."""
    return "".join(plain(line) + "\n" for line in lines)


def _json_escape(match: re.Match[str]) -> str:
    found = match.group()
    if found == "##[":
        return "\\u0023#["
    units = found.encode("utf-16-be", "surrogatepass")
    return "".join(f"\\u{int.from_bytes(units[i:i + 2], 'big'):04x}"
                   for i in range(0, len(units), 2))


def json_text(doc: object, *, sort_keys: bool = True, indent: int | None = 2) -> str:
    """``doc`` as JSON (UTF-8 text, ending in a newline): see the module's docstring."""
    text = json.dumps(doc, indent=indent, sort_keys=sort_keys, ensure_ascii=False)
    # str.isprintable (in C) clears most reports at once: only the layout's newlines are
    # not printable in them; the character class is for those it does not clear
    if not text.replace("\n", "").isprintable() or "##[" in text:
        text = _UNSAFE_IN_JSON.sub(_json_escape, text)
    return text + "\n"


def _html_escape(match: re.Match[str]) -> str:
    found = match.group()
    if found == "##[":
        return "&#35;#["
    if found in _SHORT:
        return f"&#{ord(found)};"
    return _visible(found)


def html_text(text: object) -> str:
    """``text`` (its ``str``) as HTML text or a quoted attribute value: see the module's
    docstring."""
    escaped = html.escape(str(text), quote=True)
    if escaped.isprintable() and "##[" not in escaped:
        return escaped
    return _UNSAFE_IN_HTML.sub(_html_escape, escaped)
