"""abp.checks.po: every syntax problem of a .po file, with its line, without GNU gettext."""

from __future__ import annotations

import io

import polib
import pytest
from babel.messages.pofile import read_po

from abp.checks.po import check

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'  # lines 1-4


def po(tmp_path, body: str, name: str = "x.po"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_upstream_readers_still_drop_the_last_character():
    """babel (the build's reader) and polib accept ``msgstr "abc`` as "ab".

    abp.checks.po's string check works around this (python-babel/babel#1151,
    izimobil/polib#161). If this test fails, the installed version reads such a string
    correctly or refuses it: see whether the workaround can go.
    """
    text = 'msgid "a"\nmsgstr "abc\n'
    assert read_po(io.StringIO(text), abort_invalid=True).get("a").string == "ab"
    assert polib.pofile(text).find("a").msgstr == "ab"


def test_unterminated_msgstr(tmp_path):
    path = po(tmp_path, 'msgid "Hello"\nmsgstr "你好\n\nmsgid "World"\nmsgstr "世界"\n')
    assert check(path) == [(6, 'unterminated string (no closing quote): msgstr "你好')]


def test_unterminated_continuation_line(tmp_path):
    path = po(tmp_path, 'msgid "Hello"\nmsgstr ""\n"你好"\n"世界\n')
    assert check(path) == [(8, 'unterminated string (no closing quote): "世界')]


def test_unterminated_msgid(tmp_path):
    path = po(tmp_path, 'msgid "Hello\nmsgstr "你好"\n')
    assert check(path) == [(5, 'unterminated string (no closing quote): msgid "Hello')]


def test_string_ending_in_an_escaped_quote_is_unterminated(tmp_path):
    path = po(tmp_path, 'msgid "Hello"\nmsgstr "你好\\"\n')
    assert check(path) == [(6, 'unterminated string (no closing quote): msgstr "你好\\"')]


def test_unquoted_string(tmp_path):
    path = po(tmp_path, 'msgid "Hello"\nmsgstr 你好\n')
    assert check(path) == [(6, "string not in double quotes: msgstr 你好")]


def test_unescaped_quote_inside_a_string(tmp_path):
    path = po(tmp_path, 'msgid "Hello"\nmsgstr "你"好"\n')
    assert check(path) == [
        (6, 'text after the closing quote: msgstr "你"好" (write a quote as \\")')
    ]


def test_unknown_escape(tmp_path):
    path = po(tmp_path, 'msgid "Hello"\nmsgstr "你\\q好"\n')
    assert check(path) == [
        (
            6,
            'unknown escape sequence \\q in msgstr "你\\q好"'
            ' (the build reads only \\\\ \\" \\n \\t \\r)',
        )
    ]


def test_keyword_without_string(tmp_path):
    path = po(tmp_path, 'msgid "Hello"\nmsgstr\n')
    assert check(path) == [(6, "msgstr has no string")]


def test_generic_syntax_error(tmp_path):
    path = po(
        tmp_path, 'msgid "Hello"\nmsgstr "你好"\n\ngarbage here\nmsgid "World"\nmsgstr "世界"\n'
    )
    assert check(path) == [(8, "unknown or misformatted keyword: 'garbage here'")]


def test_missing_msgstr(tmp_path):
    path = po(tmp_path, 'msgid "Hello"\n\nmsgid "World"\nmsgstr "世界"\n')
    assert check(path) == [(5, "missing msgstr for msgid 'Hello'")]


def test_malformed_plural_index(tmp_path):
    path = po(tmp_path, 'msgid "Hello"\nmsgid_plural "Hellos"\nmsgstr[x] "你好"\n')
    assert check(path) == [(7, "cannot be read: invalid literal for int() with base 10: 'x'")]


def test_duplicate_message(tmp_path):
    path = po(tmp_path, 'msgid "World"\nmsgstr "世"\n\nmsgid "World"\nmsgstr "世界"\n')
    assert check(path) == [(8, "msgid 'World' is defined twice (first on line 5)")]


def test_not_utf8(tmp_path):
    path = tmp_path / "x.po"
    path.write_bytes(HEADER.encode() + b'msgid "Hello"\nmsgstr "\xff"\n')
    assert check(path) == [(6, "not UTF-8: byte 0xff")]


def test_crlf_line_numbers(tmp_path):
    path = tmp_path / "x.po"
    path.write_bytes((HEADER + 'msgid "Hello"\nmsgstr "你好\n').replace("\n", "\r\n").encode())
    assert check(path) == [(6, 'unterminated string (no closing quote): msgstr "你好')]


def test_every_problem_of_a_file_is_reported(tmp_path):
    path = po(
        tmp_path,
        'msgid "A"\nmsgstr "甲\n\nmsgid "B"\nmsgstr 乙\n\n#~ msgid "C"\n#~ msgstr "丙\n\n'
        'msgid "D"\nmsgstr "丁"\nbad line\n',
    )
    assert check(path) == [
        (6, 'unterminated string (no closing quote): msgstr "甲'),
        (9, "string not in double quotes: msgstr 乙"),
        (12, 'unterminated string (no closing quote): #~ msgstr "丙'),
        (16, "unknown or misformatted keyword: 'bad line'"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        'msgid "Hello"\nmsgstr "你好"\n',
        'msgid ""\n"Hello "\n"world"\nmsgstr ""\n"你好\\n"\n"\\"世界\\"\\t\\\\"\n',
        'msgctxt "c"\nmsgid "Hello"\nmsgstr "你好"\n\n#, fuzzy\nmsgid "Old"\nmsgstr "旧"\n',
        '#~ msgid "Gone"\n#~ msgstr "没了"\n',
    ],
)
def test_well_formed_files_pass(tmp_path, body):
    assert check(po(tmp_path, body)) == []


def test_every_catalog_of_the_project_passes():
    from po_check import po_files

    assert po_files()
    assert {str(path): check(path) for path in po_files() if check(path)} == {}
