"""Bad references.bib input, one case each: the validator names line, key and problem, and the
build stops with that message, never a traceback; the other entries are still read and checked."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from conftest import ROOTS, check_file, check_text, warnings_of
from sphinx.testing.util import SphinxTestApp
from sphinx.util.docutils import docutils_namespace

from abp.__main__ import main
from abp.model import Problem

GOOD = """\
@misc{good-2019-entry,
  title = {Entry Written Well},
  author = {Good, Ada},
  year = {2019},
  url = {https://example.org/good}
}
"""
#: A second record, after the bad one: it must still be read (its problem proves it).
LATER = """
@misc{zhu-2021-later,
  title = {Later {RoBERTa}s},
  author = {Zhu, A},
  year = {2021},
  url = {https://example.org/later},
  note = {100%}
}
"""
LATER_PROBLEM = "field 'note' has bare % (escape with a backslash)"

CASES = {
    "undefined macro": (
        GOOD.replace("  year", "  publisher = acl,\n  year"),
        (4, "good-2019-entry", "field 'publisher' uses the undefined macro 'acl'"),
    ),
    "lost @": (
        GOOD + "\n" + GOOD.replace("@misc{good-2019-entry", "misc{good-2019-entry-two"),
        (8, "good-2019-entry-two", "'misc{' without '@' is not an entry"),
    ),
    "stray text": (
        GOOD + "\nThese entries were checked by hand.\n",
        (8, "", "text outside any entry ('These entries were checked by hand.')"),
    ),
    "extra closing brace": (
        GOOD.replace("{Entry Written Well}", "{Entry Written Well}}"),
        (2, "good-2019-entry", "unbalanced braces: an extra '}' on line 2 ends the entry early"),
    ),
    "duplicate field": (
        GOOD.replace("  year = {2019},", "  year = {2019},\n  year = {2020},"),
        (5, "good-2019-entry", "field 'year' is given twice"),
    ),
    "names joined by commas": (
        GOOD.replace("{Good, Ada}", "{Xiaozhi Wang, Zhengyan Zhang}"),
        (
            3,
            "good-2019-entry",
            "field 'author': 'Xiaozhi Wang, Zhengyan Zhang' looks like two names joined by a comma",
        ),
    ),
    "three names joined by commas": (
        GOOD.replace("{Good, Ada}", "{Xiaozhi Wang, Zhengyan Zhang, Yankai Lin}"),
        (3, "good-2019-entry", "field 'author': join names with ' and ', not commas"),
    ),
    "trailing and": (
        GOOD.replace("{Good, Ada}", "{Arase, Yuki and Tsujii, Jun'ichi and}"),
        (3, "good-2019-entry", "field 'author': a stray 'and' at the start or the end"),
    ),
    "leading and": (
        GOOD.replace("{Good, Ada}", "{and Good, Ada}"),
        (3, "good-2019-entry", "field 'author': a stray 'and' at the start or the end"),
    ),
    "name in First Last order": (
        GOOD.replace("{Good, Ada}", "{Ada Good}"),
        (3, "good-2019-entry", "field 'author': write 'Ada Good' as 'Last, First'"),
    ),
    "names joined by semicolons": (
        GOOD.replace("{Good, Ada}", "{Good, Ada; Byron, George}"),
        (3, "good-2019-entry", "field 'author': join names with ' and ', not commas"),
    ),
    "javascript url": (
        GOOD.replace("https://example.org/good", "javascript:alert(1)"),
        (5, "good-2019-entry", "field 'url' has 'javascript:alert(1)': the scheme 'javascript:'"),
    ),
    "data url": (
        GOOD.replace("https://example.org/good", "data:text/html,<script>x</script>"),
        (5, "good-2019-entry", "field 'url' has 'data:text/html,<script>x</script>'"),
    ),
    "doi as a URL": (
        GOOD.replace("  url", "  doi = {https://doi.org/10.18653/v1/N19-1423},\n  url"),
        (5, "good-2019-entry", "not a DOI (10.NNNN/suffix, without https://doi.org/)"),
    ),
    "eprint not an arXiv id": (
        GOOD.replace("  url", "  eprint = {javascript:x},\n  archiveprefix = {arXiv},\n  url"),
        (5, "good-2019-entry", "field 'eprint' has 'javascript:x': not an arXiv id"),
    ),
    "link macro outside url": (
        GOOD.replace("  url", "  note = {\\url{javascript:x}},\n  url"),
        (5, "good-2019-entry", "field 'note' has \\url: addresses belong in the 'url' field"),
    ),
    "acronym unbraced": (
        GOOD.replace("{Entry Written Well}", "{Entry Written Well for RoBERTa}"),
        (2, "good-2019-entry", "title: brace these words whole or styles print them lowercased:"),
    ),
    "proper noun unbraced": (
        GOOD.replace("{Entry Written Well}", "{Entry Written Well in Chinese}"),
        (2, "good-2019-entry", "title: brace the capital of these proper nouns: {C}hinese"),
    ),
    "empty file": ("", (1, "", "the file holds no entries")),
    "comments only": ("% references\n", (1, "", "the file holds no entries")),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_record_named_with_line_and_key(case):
    text, (line, key, message) = CASES[case]
    entries = "no entries" not in message
    found = check_text(text + (LATER if entries else ""))
    assert any(p.line == line and p.key == key and message in p.message for p in found), found
    if entries:  # nothing lost: the record after the bad one is still read and checked
        later = [p for p in found if p.key == "zhu-2021-later"]
        assert [p.message for p in later] == [LATER_PROBLEM]
        assert [p.line for p in later] == [text.count("\n") + 7]


@pytest.mark.parametrize(
    "names",
    [
        "Le Scao, Teven and Lopez Kaufman, Raphaël M.",
        "King, Jr., Martin Luther",
        "{Google Research}",
        "elyase",
        "{van Schijndel}, Marten",
        "de Masson d'Autume, Cyprien",
    ],
)
def test_well_formed_names_pass(names):
    found = check_text(GOOD.replace("{Good, Ada}", "{" + names + "}"))
    assert [p for p in found if "author" in p.message] == []


def test_author_problem_comes_before_any_key_rule_message():
    found = check_text(GOOD.replace("{Good, Ada}", "{Xiaozhi Wang, Zhengyan Zhang}"))
    assert [p.message.split(":")[0] for p in found] == ["field 'author'"]


def test_extra_brace_is_not_reported_as_missing_fields():
    text, _ = CASES["extra closing brace"]
    assert [p.message for p in check_text(text) if "missing" in p.message] == []


def test_braced_acronyms_proper_nouns_and_first_words_pass():
    title = "{Chinese} {BERT}s for {C}hinese: {RoBERTa}-of-{T}heseus and Wikipedia"
    found = check_text(GOOD.replace("{Entry Written Well}", "{" + title + "}"))
    assert [p.message for p in found] == [
        "title: brace the capital of these proper nouns: {W}ikipedia"
    ]


def test_defined_macro_passes():
    text = '@string{acl = "Association for Computational Linguistics"}\n\n' + GOOD.replace(
        "  year", "  publisher = acl,\n  year"
    )
    assert check_text(text) == []


def test_non_utf8_byte_named_with_its_entry(tmp_path):
    path = tmp_path / "references.bib"
    path.write_bytes((GOOD + LATER).encode("utf-8").replace(b"Zhu, A", b"Zhu, \xe9"))
    assert [p.format(path) for p in check_file(path)] == [
        "references.bib:10: zhu-2021-later: not valid UTF-8: byte 0xe9 (save the file as UTF-8)"
    ]


def test_missing_file_is_a_message_not_a_traceback(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nowhere.bib")]) == 1
    assert capsys.readouterr().err == f"nowhere.bib: file not found ({tmp_path / 'nowhere.bib'})\n"


def test_orphan_record_found_from_the_pages(tmp_path, capsys):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(
        "# Page\n\n:::{entry} good-2019-entry\nSummary.\n:::\n", encoding="utf-8"
    )
    bib = tmp_path / "references.bib"
    bib.write_text(GOOD + LATER.replace("100%", "100\\%"), encoding="utf-8")
    assert main(["check", "--pages", str(tmp_path / "docs"), str(bib)]) == 1
    assert capsys.readouterr().err == (
        "references.bib:8: zhu-2021-later: no card shows this record:"
        " add its card to a page, or remove it\n"
    )


def test_problem_without_key_or_line_formats_plainly():
    assert Problem(0, "", "file not found").format("x/refs.bib") == "refs.bib: file not found"
    assert Problem(3, "", "text").format("refs.bib") == "refs.bib:3: text"


def build_with_bib(tmp_path: Path, bib: str | bytes | None) -> tuple[int, str]:
    """Build a copy of test-badbib with *bib* as refs.bib (None: no file); exit code, warnings."""
    src = tmp_path / "badbib"
    shutil.copytree(ROOTS / "test-badbib", src)
    target = src / "refs.bib"
    if bib is None:
        target.unlink()
    elif isinstance(bib, bytes):
        target.write_bytes(bib)
    else:
        target.write_text(bib, encoding="utf-8")
    warnings = io.StringIO()
    with docutils_namespace(), pytest.raises(SystemExit) as stopped:
        SphinxTestApp("html", srcdir=src, warning=warnings)
    return stopped.value.code, warnings.getvalue()


@pytest.mark.parametrize(
    ("bib", "message"),
    [
        (CASES["undefined macro"][0], "refs.bib:4: good-2019-entry: field 'publisher' uses the"),
        ("", "refs.bib:1: the file holds no entries"),
        (None, "refs.bib: file not found ("),
        (GOOD.encode("utf-8").replace(b"Ada", b"\xc0da"), "refs.bib:3: good-2019-entry: not valid"),
    ],
    ids=["undefined-macro", "empty", "missing", "non-utf8"],
)
def test_bad_bib_stops_the_build_with_file_line_key(tmp_path, bib, message):
    code, warnings = build_with_bib(tmp_path, bib)
    assert code == 2
    assert message in warnings
    assert "Traceback" not in warnings and "Exception" not in warnings


@pytest.mark.sphinx("html", testroot="cards", srcdir="orphan")
def test_orphan_record_fails_the_build_at_its_line(app_params, make_app):
    (app_params.kwargs["srcdir"] / "lone.md").unlink()
    app = make_app(*app_params.args, **app_params.kwargs)
    app.build()
    warnings = warnings_of(app)
    found = [line for line in warnings.splitlines() if "ERROR" in line]
    assert len(found) == 1, warnings
    assert found[0].endswith(
        "refs.bib:32: ERROR: zhou-2021-lone: no card shows this record: add its card to a page,"
        " or remove it [abp.orphan]"
    )
