"""The references.bib validator: every bad input is caught with its line, nothing is dropped."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest
from conftest import ROOTS, check_file, check_text

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
@misc{lan-etal-2020-albert,
  title = {{ALBERT}: A Lite {BERT}},
  author = {Lan, Zhenzhong and Chen, Mingda and Goodman, Sebastian},
  year = {2020},
  url = {https://arxiv.org/abs/1909.11942},
  eprint = {1909.11942},
  archiveprefix = {arXiv}
}
"""


def problems(text: str) -> list[tuple[int, str, str]]:
    return [(p.line, p.key, p.message) for p in check_text(textwrap.dedent(text))]


def test_real_references_bib_is_valid():
    assert check_file(ROOT / "references.bib") == []


def test_good_entry_passes():
    assert problems(GOOD) == []


def test_unbalanced_braces_named_with_line_and_key_and_later_entries_kept():
    text = GOOD.replace("{{ALBERT}: A Lite {BERT}}", "{{ALBERT: A Lite {BERT}}")
    text += (
        "\n@misc{zhu-2021-later,\n  title = {Later},\n  author = {Zhu, A},\n"
        "  year = {2021},\n  url = {https://example.org}\n}\n"
    )
    found = problems(text)
    assert found[0][:2] == (1, "lan-etal-2020-albert")
    assert "cannot be parsed" in found[0][2]
    # the entry after the broken one is still read and checked, not silently lost
    assert all(key != "zhu-2021-later" or "parsed" not in msg for _, key, msg in found)


def test_unbalanced_brace_at_end_of_file():
    found = problems(GOOD.rstrip().removesuffix("}"))
    assert [(line, key) for line, key, _ in found] == [(1, "lan-etal-2020-albert")]


def test_duplicate_key_names_both_lines():
    found = problems(GOOD + "\n" + GOOD)
    assert (10, "lan-etal-2020-albert", "duplicate key (first defined on line 1)") in found


@pytest.mark.parametrize(
    ("entry", "missing"),
    [
        (
            "@inproceedings{a-2020-b,\n  title = {B},\n  author = {A, B},\n  year = {2020}\n}\n",
            "booktitle",
        ),
        ("@article{a-2020-b,\n  title = {B},\n  author = {A, B},\n  year = {2020}\n}\n", "journal"),
        (
            "@misc{a-2020-b,\n  author = {A, B},\n  year = {2020},\n  url = {https://x.org}\n}\n",
            "title",
        ),
    ],
)
def test_missing_required_field(entry, missing):
    found = problems(entry)
    assert any(
        line == 1 and f"missing required field '{missing}'" in msg for line, _, msg in found
    ), found


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("albert-2020", "lan-etal-2020-albert"),
        ("lan-etal-2019-albert", "lan-etal-2020-albert"),
        ("lan-etal-2020-lite", "lan-etal-2020-albert"),
        ("Lan-etal-2020-albert", None),
    ],
)
def test_key_rule(key, expected):
    found = problems(GOOD.replace("lan-etal-2020-albert", key))
    assert found, f"{key} should break the key rule"
    assert found[0][0] == 1
    if expected:
        assert f"expected '{expected}'" in found[0][2]


def test_key_may_add_title_words_to_be_unique():
    assert problems(GOOD.replace("lan-etal-2020-albert", "lan-etal-2020-albert-lite")) == []


def test_key_rule_two_authors_and_repositories():
    two = GOOD.replace(" and Goodman, Sebastian", "").replace(
        "lan-etal-2020-albert", "lan-chen-2020-albert"
    )
    assert problems(two) == []
    repo = (
        "@misc{gh-google-research-albert,\n  title = {{ALBERT}},\n  author = {Google},\n"
        "  url = {https://github.com/google-research/ALBERT}\n}\n"
    )
    assert problems(repo) == []
    wrong = repo.replace("gh-google-research-albert", "gh-google-albert")
    assert "expected 'gh-google-research-albert'" in problems(wrong)[0][2]


def test_authors_not_joined_by_and():
    found = problems(
        GOOD.replace(
            "Lan, Zhenzhong and Chen, Mingda and Goodman, Sebastian",
            "Lan, Zhenzhong, Chen, Mingda, Goodman, Sebastian",
        )
    )
    assert any(line == 3 and "join names with ' and '" in msg for line, _, msg in found)


@pytest.mark.parametrize("char", ["&", "%", "#", "_"])
def test_bare_special_characters(char):
    found = problems(GOOD.replace("A Lite", f"A {char} Lite"))
    assert any(line == 2 and f"bare {char}" in msg for line, _, msg in found), found


def test_special_characters_allowed_escaped_and_in_url():
    text = GOOD.replace("A Lite", r"A \& \% Lite").replace(
        "https://arxiv.org/abs/1909.11942", "https://x.org/a_b%20c#d&e"
    )
    assert problems(text) == []


@pytest.mark.parametrize("month", ["{jul}", "Jul", "{July}", "7", "july"])
def test_malformed_month(month):
    found = problems(GOOD.replace("  year = {2020},", f"  month = {month},\n  year = {{2020}},"))
    assert any(line == 4 and "month must be a bare macro" in msg for line, _, msg in found), found


def test_bare_month_macro_passes():
    assert problems(GOOD.replace("  year = {2020},", "  month = jul,\n  year = {2020},")) == []


def test_duplicate_arxiv_id_and_doi_under_two_keys():
    other = GOOD.replace("lan-etal-2020-albert", "lan-etal-2020-albert-lite")
    found = problems(GOOD + "\n" + other)
    assert (
        15,
        "lan-etal-2020-albert-lite",
        "arXiv id 1909.11942 is already used by 'lan-etal-2020-albert'",
    ) in found
    doi = GOOD.replace("  eprint = {1909.11942},\n", "  doi = {10.1/X},\n")
    found = problems(doi + "\n" + doi.replace("lan-etal-2020-albert", "lan-etal-2020-albert-lite"))
    assert any("DOI 10.1/x is already used" in msg for _, _, msg in found)


def test_entries_sorted_by_key():
    later = GOOD.replace("lan-etal-2020-albert", "lan-etal-2020-albert-lite").replace(
        "1909.11942", "1909.00000"
    )
    found = problems(later + "\n" + GOOD)
    assert any("must be sorted by key" in msg for _, _, msg in found)


def test_problem_format_names_file_line_key(tmp_path):
    path = tmp_path / "references.bib"
    path.write_text(GOOD.replace("A Lite", "A & Lite"), encoding="utf-8")
    assert [p.format(path) for p in check_file(path)] == [
        "references.bib:2: lan-etal-2020-albert: field 'title' has bare & (escape with a backslash)"
    ]


def test_bad_bib_stops_the_build_with_the_message(tmp_path):
    import shutil

    from sphinx.testing.util import SphinxTestApp
    from sphinx.util.docutils import docutils_namespace

    src = tmp_path / "badbib"
    shutil.copytree(ROOTS / "test-badbib", src)
    warnings = io.StringIO()
    with docutils_namespace(), pytest.raises(SystemExit) as stopped:  # restores node registry
        SphinxTestApp("html", srcdir=src, warning=warnings)
    assert stopped.value.code == 2
    assert "refs.bib:8: good-2019-entry: duplicate key (first defined on line 1)" in (
        warnings.getvalue()
    )


def test_bad_bib_stops_the_site_build_without_a_traceback(tmp_path):
    import shutil
    import subprocess
    import sys

    site = tmp_path / "site"
    shutil.copytree(ROOT, site, ignore=shutil.ignore_patterns("build", ".nox", ".git"))
    bib = site / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace("{{ALBERT}: A Lite", "{{ALBERT: A Lite"),
        encoding="utf-8",
    )
    run = subprocess.run(
        [
            sys.executable,
            str(site / "tools" / "site.py"),
            "--lang",
            "en",
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert "references.bib:" in run.stderr and "lan-etal-2020-albert: cannot be parsed" in (
        run.stderr
    )
    assert "Traceback" not in run.stderr


def test_entry_without_author_needs_a_sort_key():
    article = (
        "@misc{zhihu-bert,\n  title = {{BERT} 瘦身之路},\n  howpublished = {Zhihu},\n"
        "  url = {https://zhuanlan.zhihu.com/p/86900556}\n}\n"
    )
    assert [(line, msg.split(" (")[0]) for line, _, msg in problems(article)] == [
        (1, "an entry without an author needs a 'key' field")
    ]
    assert problems(article.replace("  howpublished", "  key = {Zhihu},\n  howpublished")) == []


def test_key_rule_keeps_von_parts_and_skips_function_words():
    entry = (
        "@inproceedings{van-schijndel-etal-2019-quantity,\n"
        "  title = {Quantity doesn't buy quality syntax},\n"
        "  author = {van Schijndel, Marten and Mueller, Aaron and Linzen, Tal},\n"
        "  booktitle = {Proceedings of EMNLP-IJCNLP},\n  year = {2019}\n}\n"
    )
    assert problems(entry) == []
    wallace = (
        entry.replace("van-schijndel-etal-2019-quantity", "wallace-etal-2019-nlp")
        .replace("Quantity doesn't buy quality syntax", "Do {NLP} Models Know Numbers?")
        .replace("van Schijndel, Marten", "Wallace, Eric")
    )
    assert problems(wallace) == []


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("{BERT}: {T}iny Models", "BERT: Tiny Models"),
        ("Caf{\\'e} {\\&} Co", "Café & Co"),
        ('N{\\"u}ller~and $x$', "Nüller\u00a0and $x$"),  # a tie is a no-break space
        ("{王伟}", "王伟"),
    ],
)
def test_latex_to_text(value, text):
    from abp.text import latex_to_text

    assert latex_to_text(value) == text
