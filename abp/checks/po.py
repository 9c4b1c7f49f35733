"""Strict syntax check of a ``.po`` file, the same with or without GNU gettext.

``check(path)`` returns the problems of one file as ``(line, message)`` pairs, lines from 1.
It reads the file as Sphinx does (UTF-8, universal newlines) and reports:

- every string that is not one well-formed ``"…"`` literal: unterminated, not quoted, text
  after the closing quote, an escape other than ``\\\\ \\" \\n \\t \\r``, or a keyword with
  no string;
- what babel's parser refuses with ``abort_invalid=True`` (an unknown keyword, a msgid
  without msgstr, …), the first such problem of the file;
- a message defined twice (babel keeps one of the two without a word).

The first item works around an upstream fault: babel 2.18.0 (the version the build uses,
``read_po`` in ``sphinx.util.i18n.CatalogInfo.write_mo``) and polib 1.2.0 take the first and
last character of a string as its quotes without checking them, so ``msgstr "abc`` reads as
``ab`` and the translation silently loses its last character. The upstream fixes are
python-babel/babel#1151 ("Check pofile string delimiters", open) and izimobil/polib#161
(merged, not in 1.2.0). ``tests/test_posyntax.py`` asserts the fault is still there, so this
check is revisited when a fixed babel is installed.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, PoFileParser

#: A line holding a string: optional ``#~``, optional keyword, then the string part.
_STRING_LINE = re.compile(
    r'^[ \t]*(?:#~[ \t]*)?(?:(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?=[ \t]|$)|(?="))'
    r"[ \t]*(.*)$",
    re.M,
)
#: One well-formed string literal, with only the escapes babel reads.
_LITERAL = re.compile(r'"[^"\\]*(?:\\[\\"ntr][^"\\]*)*"[ \t]*')
_ESCAPES = '\\"ntr'


def _shown(line: str) -> str:
    line = line.strip()
    return line if len(line) <= 60 else line[:59] + "…"


def _literal_problem(keyword: str | None, text: str, line: str) -> str:
    """What is wrong with *text*, the string part of *line* (not a well-formed literal)."""
    if not text:
        return f"{keyword} has no string"
    if not text.startswith('"'):
        return f"string not in double quotes: {_shown(line)}"
    i = 1
    while i < len(text):
        char = text[i]
        if char == "\\":
            if i + 1 == len(text):
                break
            if text[i + 1] not in _ESCAPES:
                return (
                    f"unknown escape sequence \\{text[i + 1]} in {_shown(line)}"
                    ' (the build reads only \\\\ \\" \\n \\t \\r)'
                )
            i += 2
        elif char == '"':
            return f'text after the closing quote: {_shown(line)} (write a quote as \\")'
        else:
            i += 1
    return f"unterminated string (no closing quote): {_shown(line)}"


def _string_problems(text: str) -> list[tuple[int, str]]:
    problems = []
    for match in _STRING_LINE.finditer(text):
        keyword, rest = match.group(1), match.group(2).rstrip()
        if not _LITERAL.fullmatch(rest):
            line = text.count("\n", 0, match.start()) + 1
            problems.append((line, _literal_problem(keyword, rest, match.group(0))))
    return problems


class _Catalog(Catalog):
    """A babel catalogue that notes a message defined a second time."""

    def __init__(self) -> None:
        super().__init__()
        self.duplicates: list[tuple[int, str]] = []

    def __setitem__(self, id, message) -> None:
        first = self.get(id, message.context) if id else None
        if first is not None and message.lineno:
            shown = id if isinstance(id, str) else id[0]
            self.duplicates.append(
                (
                    message.lineno,
                    f"msgid {shown[:40]!r} is defined twice (first on line {first.lineno})",
                )
            )
        super().__setitem__(id, message)


def _babel_problems(lines: list[str]) -> list[tuple[int, str]]:
    catalog = _Catalog()
    parser = PoFileParser(catalog, abort_invalid=True)
    current = 0  # the line being read, for an error babel reports without one

    def numbered():
        nonlocal current
        for line in lines:
            current += 1
            yield line

    try:
        parser.parse(numbered())
    except PoFileError as err:
        message = str(err).removesuffix(f" on {err.lineno}")
        message = message[:1].lower() + message[1:]
        shown = f"{message}: {err.line!r}" if err.line else message
        return [*catalog.duplicates, (err.lineno + 1, shown)]
    except (ValueError, LookupError) as err:  # e.g. msgstr[x], a bad header
        return [*catalog.duplicates, (current, f"cannot be read: {err}")]
    return catalog.duplicates


def check(path: str | Path) -> list[tuple[int, str]]:
    """The syntax problems of the ``.po`` file at *path*, in line order."""
    raw = Path(path).read_bytes()
    problems = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        problems.append((line, f"not UTF-8: byte 0x{raw[err.start]:02x}"))
        text = raw.decode("utf-8-sig", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as Sphinx's text-mode open reads it
    problems += _string_problems(text)
    problems += _babel_problems(text.split("\n"))
    return sorted(set(problems))
