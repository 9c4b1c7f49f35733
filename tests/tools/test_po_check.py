"""The .po checks: syntax, a dropped role, link or code span, added markup, and terms."""

from __future__ import annotations

import re
import shutil

import po_check
import polib
import pytest
from po_check import ROOT, check_entry, check_file, glossary_patterns, po_files

TERMS = glossary_patterns()
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'  # lines 1-4
ROLE_MSGID = "See {entry}`TinyBERT <jiao-etal-2020-tinybert>`."


def problems(msgid: str, msgstr: str, **flags) -> list[str]:
    return check_entry(polib.POEntry(msgid=msgid, msgstr=msgstr, **flags), TERMS)


def po(tmp_path, body: str):
    path = tmp_path / "x.po"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.fixture
def no_msgfmt(monkeypatch):
    """A machine without GNU gettext."""
    monkeypatch.setattr(po_check.shutil, "which", lambda name: None)


def test_faithful_translation_passes():
    assert (
        problems(
            "Read {entry}`TinyBERT <jiao-etal-2020-tinybert>` and `nox -s docs` at "
            "[the list](https://example.org).",
            "阅读 {entry}`TinyBERT <jiao-etal-2020-tinybert>` 并运行 `nox -s docs`，"
            "见[列表](https://example.org)。",
        )
        == []
    )


@pytest.mark.parametrize(
    ("msgid", "msgstr", "expected"),
    [
        ("See {entry}`TinyBERT <jiao-etal-2020-tinybert>`.", "见 TinyBERT。", "role"),
        (
            "See {entry}`TinyBERT <jiao-etal-2020-tinybert>`.",
            "见 {entry}`TinyBERT <sun-etal-2019-patient>`。",
            "role",
        ),
        ("Run `nox -s docs`.", "运行 nox -s docs。", "code span"),
        ("See [the list](https://example.org/a).", "见列表。", "link to https://example.org/a"),
        (
            "See [the list](https://example.org/a).",
            "见[列表](https://evil.example)。",
            "link to https://example.org/a",
        ),
        ("{count} entries", "条目", "placeholder {count}"),
        ("A note.", "一条<script>alert(1)</script>说明。", "HTML"),
        ("A note.", "一条<img src=x onerror=alert(1)>说明。", "HTML"),
        ("BERT has 12 layers.", "BERT有 12 层。", "typography (AutoCorrect): 'BERT有 12 层'"),
        ("BERT has 12 layers.", "BERT 有12 层。", "typography (AutoCorrect): 'BERT 有12 层。'"),
        (
            "It is small, and fast.",
            "它很小,也很快。",
            "typography (AutoCorrect): '它很小,也很快。'",
        ),
    ],
)
def test_problem_is_caught(msgid, msgstr, expected):
    found = problems(msgid, msgstr)
    assert any(expected in p for p in found), found


def test_term_inside_a_quoted_title_is_not_checked():
    assert (
        problems(
            'First circulated as "Extreme Language Model Compression".',
            "最初题为“Extreme Language Model Compression”。",
        )
        == []
    )


def test_every_catalog_of_the_project_passes():
    from po_check import ROOT, check_file

    assert po_files()
    for path in po_files():
        assert check_file(path, TERMS) == [], path.relative_to(ROOT)


# -- syntax, with and without GNU gettext -------------------------------------------------

UNTERMINATED = (
    'msgid "A note."\nmsgstr "一条说明。\n\n'
    'msgid "Another note."\nmsgstr "另一条<img src=x onerror=alert(1)>说明。"\n'
)


def test_unterminated_string_without_msgfmt(tmp_path, no_msgfmt):
    path = po(tmp_path, UNTERMINATED)
    assert check_file(path, TERMS) == [
        f'{path}:6: unterminated string (no closing quote): msgstr "一条说明。',
        f'{path}:8: "Another note.…": HTML in the translation: '
        "'<img src=x onerror=alert(1)>'",  # the rest of the file is still checked
    ]


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext is not installed")
def test_unterminated_string_with_msgfmt(tmp_path):
    path = po(tmp_path, UNTERMINATED)
    found = check_file(path, TERMS)
    assert found[:2] == [
        f'{path}:6: unterminated string (no closing quote): msgstr "一条说明。',
        f"{path}:8: \"Another note.…\": HTML in the translation: '<img src=x onerror=alert(1)>'",
    ]
    assert any(p.startswith("msgfmt: ") and "end-of-line within string" in p for p in found[2:])


def test_syntax_error_without_msgfmt(tmp_path, no_msgfmt):
    path = po(tmp_path, 'msgid "A"\nmsgstr "甲"\n\ngarbage here\nmsgid "B"\nmsgstr "乙"\n')
    assert check_file(path, TERMS) == [f"{path}:8: unknown or misformatted keyword: 'garbage here'"]


def test_problem_in_a_file_names_file_and_line(tmp_path, no_msgfmt):
    path = po(
        tmp_path,
        f'msgid "Fine."\nmsgstr "好。"\n\nmsgid "{ROLE_MSGID}"\n'
        'msgstr "见 {entry}`TinyBERT <jiao-etal-2020-tinybert>`<img src=x onerror=alert(2)>。"\n',
    )
    assert check_file(path, TERMS) == [
        f'{path}:8: "See {{entry}}`TinyBERT <jiao-etal-2020-tin…": '
        "HTML in the translation: '<img src=x onerror=alert(2)>'"
    ]


# -- what a msgstr may not add ----------------------------------------------------------


def distilbert_entry() -> polib.POEntry:
    catalog = polib.pofile(str(ROOT / "locale/zh_CN/LC_MESSAGES/papers/compression.po"))
    return next(e for e in catalog if e.msgid.startswith("What to read first: {entry}`DistilBERT"))


def test_html_after_an_entry_role():
    entry = distilbert_entry()
    assert problems(entry.msgid, entry.msgstr) == []
    assert problems(entry.msgid, entry.msgstr + "<img src=x onerror=alert(2)>") == [
        "HTML in the translation: '<img src=x onerror=alert(2)>'"
    ]


def test_html_inside_a_role_title():
    assert problems(ROLE_MSGID, "见 {entry}`<b>TinyBERT</b> <jiao-etal-2020-tinybert>`。") == [
        "HTML in the translation: '</b>'",
        "HTML in the translation: '<b>'",
    ]


def test_html_the_english_has_does_not_excuse_more():
    assert problems("Break <br> here.", "在此 <br> 换行<img src=x onerror=alert(1)>。") == [
        "HTML in the translation: '<img src=x onerror=alert(1)>'"
    ]


@pytest.mark.parametrize(
    ("msgstr", "directive"),
    [
        ("```{include} /etc/passwd\n```", "{include}"),
        ("```{raw} html\n<b>x</b>\n```", "{raw}"),
        (":::{literalinclude} /etc/passwd\n:::", "{literalinclude}"),
        ("~~~{include} /etc/passwd\n~~~", "{include}"),
        ("```{eval-rst}\n.. raw:: html\n\n   <b>x</b>\n```", "{eval-rst}"),
        ("```{eval-rst}\n.. raw:: html\n\n   <b>x</b>\n```", ".. raw::"),
        (".. include:: /etc/passwd", ".. include::"),
        (".. |x| raw:: html\n\n   <b>x</b>", ".. raw::"),
        ("> ```{include} /etc/passwd\n> ```", "{include}"),
        ("- :::{raw} html\n  <b>x</b>\n  :::", "{raw}"),
    ],
)
def test_directive_in_a_msgstr(msgstr, directive):
    found = problems("A note.", msgstr)
    assert f"directive {directive} in the translation is not in the English" in found, found


def test_include_directive_message():
    assert problems("A note.", "```{include} /etc/passwd\n```") == [
        "directive {include} in the translation is not in the English"
    ]


def test_directive_of_the_english_may_stay():
    text = "```{note}\nA note.\n```"
    assert problems(text, "```{note}\n一条说明。\n```") == []


def test_role_in_a_msgstr():
    assert problems("A note.", "一条{download}`说明 </etc/passwd>`。") == [
        "role {download}`/etc/passwd` in the translation is not in the English"
    ]


@pytest.mark.parametrize(
    ("msgstr", "target", "why"),
    [
        ("见[这里](javascript:alert(1))。", "javascript:alert(1)", "the scheme 'javascript:'"),
        (
            "见[这里](JaVaScRiPt&#58;alert(1))。",
            "JaVaScRiPt&#58;alert(1)",
            "the scheme 'javascript:'",
        ),
        (
            "见[这里](<java\tscript:alert(1)>)。",
            "<java\tscript:alert(1)>",
            "the scheme 'javascript:'",
        ),
        ("见 <vbscript:msgbox(1)>。", "vbscript:msgbox(1)", "the scheme 'vbscript:'"),
        ("见![图](data:image/svg+xml,x)。", "data:image/svg+xml,x", "the scheme 'data:'"),
        ("见[这里](file:///etc/passwd)。", "file:///etc/passwd", "the scheme 'file:'"),
        ("见[这里][x]。\n\n[x]: javascript:alert(1)", "javascript:alert(1)", "the scheme"),
        ("> 见[这里][x]。\n>\n> [x]: javascript:alert(1)", "javascript:alert(1)", "the scheme"),
        ("见[这里](//evil.example/a)。", "//evil.example/a", "a protocol-relative address"),
    ],
)
def test_unsafe_link_in_a_msgstr(msgstr, target, why):
    found = problems("See here.", msgstr)
    assert any(p.startswith(f"link to {target} in the translation: {why}") for p in found), found


def test_javascript_link_message():
    assert problems("See [here](https://example.org/a).", "见[这里](javascript:alert(1))。") == [
        "link to javascript:alert(1) in the translation: the scheme 'javascript:' "
        "(only http and https are allowed)",
        "link to https://example.org/a of the English is missing or changed",
    ]


def test_relative_and_https_links_pass():
    msgid = "See [a](https://example.org/a), [b](../reading/explainers.md) and [c](#top)."
    assert (
        problems(
            msgid, "见[甲](https://example.org/a)、[乙](../reading/explainers.md)和[丙](#top)。"
        )
        == []
    )


def test_fuzzy_message_is_checked_for_markup_only():
    assert problems("A note.", "旧的说明<script>x</script>", flags=["fuzzy"]) == [
        "HTML in the translation: '</script>'",
        "HTML in the translation: '<script>'",
    ]


# -- messages that say what is wrong ----------------------------------------------------


def test_glossary_message_names_the_term_found_and_the_term_expected():
    assert problems("Pruning and fine-tuning.", "修剪与微调。") == [
        "glossary: the English has 'Pruning'; the translation must use '剪枝' "
        "(found neither it nor the English term)"
    ]


def test_removed_role_is_not_also_a_missing_placeholder():
    assert problems(ROLE_MSGID, "见 TinyBERT。") == [
        "role {entry}`jiao-etal-2020-tinybert` of the English is missing or changed"
    ]


def test_addresses_in_code_spans_are_not_links():
    msgid = "Every link must be `https://` or `http://`; `[text](javascript:…)` stays text."
    msgstr = "每个链接都必须是 `https://` 或 `http://`；`[text](javascript:…)` 仍是文本。"
    assert problems(msgid, msgstr) == []
    assert problems(msgid, msgstr.replace("`https://`", "https://")) != []


def test_a_term_inside_a_longer_term_is_not_asked_for_again():
    terms = [
        (re.compile(r"\binference(s|es)?\b", re.I), "inference", "推理"),
        (
            re.compile(r"\bnatural language inference(s|es)?\b", re.I),
            "natural language inference",
            "推断任务",
        ),
    ]
    assert po_check.glossary_uses("a natural language inference model", terms) == [
        ("natural language inference", "推断任务")
    ]
    assert po_check.glossary_uses("natural language inference and fast inference", terms) == [
        ("natural language inference", "推断任务"),
        ("inference", "推理"),
    ]


def test_stats_count_reviewed_and_unreviewed_entries(capsys):
    import re

    assert po_check.stats() == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    pages = [p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md")]
    cards = sum(len(re.findall(r"^:::\{entry\} ", text, re.M)) for text in pages)
    unreviewed = sum(len(re.findall(r"^:reviewed: no$", text, re.M)) for text in pages)
    records = len(re.findall(r"^@\w+\{", (ROOT / "references.bib").read_text("utf-8"), re.M))
    assert unreviewed  # the site lists links it could not review
    assert line == (
        f"entries: {cards} cards ({cards - unreviewed} reviewed, {unreviewed} not reviewed:"
        f" ':reviewed: no'), {records} records in references.bib"
    )


# -- Chinese typography: AutoCorrect ------------------------------------------------------


@pytest.mark.parametrize(
    ("msgstr", "expected"),
    [
        (
            "中文English混排。",
            "typography (AutoCorrect): '中文English混排。' should be '中文 English 混排。'",
        ),
        ("复制成功!", "typography (AutoCorrect): '复制成功!' should be '复制成功！'"),
        (
            "它很小,也很快。",
            "typography (AutoCorrect): '它很小,也很快。' should be '它很小，也很快。'",
        ),
        (
            "准确率提高了3个百分点。",
            "'准确率提高了3个百分点。' should be '准确率提高了 3 个百分点。'",
        ),
        ("他说:可以。", "'他说:可以。' should be '他说：可以。'"),
    ],
)
def test_typography_problem_shows_the_corrected_text(msgstr, expected):
    assert problems("A note.", msgstr) == [
        expected if expected.startswith("typo") else f"typography (AutoCorrect): {expected}"
    ]


def test_each_change_is_shown_in_its_context():
    text = (
        "这是一段很长的中文句子,其中的第一处错误在这里。"
        "后面还有许多许多的中文文字,第二处错误在这里。"
    )
    assert problems("A note.", text) == [
        "typography (AutoCorrect): '长的中文句子,其中的第一处'"
        " should be '长的中文句子，其中的第一处'",
        "typography (AutoCorrect): '多的中文文字,第二处错误在'"
        " should be '多的中文文字，第二处错误在'",
    ]


def test_typography_problem_names_file_line_and_msgid(tmp_path, no_msgfmt):
    path = po(
        tmp_path,
        'msgid "Fine."\nmsgstr "好。"\n\n'
        'msgid "Mixed text."\nmsgstr "中文English混排"\n\n'
        'msgid "Copied!"\nmsgstr "复制成功!"\n',
    )
    assert check_file(path, TERMS) == [
        f'{path}:8: "Mixed text.…": typography (AutoCorrect): '
        "'中文English混排' should be '中文 English 混排'",
        f"{path}:11: \"Copied!…\": typography (AutoCorrect): '复制成功!' should be '复制成功！'",
    ]


MARKUP_MSGID = (
    "Read {entry}`TinyBERT <jiao-etal-2020-tinybert>`, the {term}`student model` of "
    "[the list](https://example.org/a_b), and run `nox -s docs,lint`; *emphasis* stays."
)
MARKUP_MSGSTR = (
    "阅读 {entry}`TinyBERT <jiao-etal-2020-tinybert>`，即{term}`学生模型 <student model>`，"
    "见[列表](https://example.org/a_b)，并运行 `nox -s docs,lint`；*强调*保留。"
)


def test_markup_is_not_a_typography_problem():
    """AutoCorrect reads the msgstr as Markdown: a role, a link, a code span and emphasis
    written the site's way are not problems, whatever the text inside them."""
    assert problems(MARKUP_MSGID, MARKUP_MSGSTR) == []
    assert (
        problems("See [TinyBERT](https://x.org/a,b) next.", "见[TinyBERT](https://x.org/a,b)之后。")
        == []
    )
    assert problems("Run `中文,English!`.", "运行 `中文,English!`。") == []


def test_autocorrect_keeps_markup_while_correcting_the_prose():
    fixed = po_check._autocorrect().format_for(
        "中文English混排," + MARKUP_MSGSTR + "复制成功!", "md"
    )
    assert fixed == "中文 English 混排，" + MARKUP_MSGSTR + "复制成功！"
    for markup in (
        "{entry}`TinyBERT <jiao-etal-2020-tinybert>`",
        "{term}`学生模型 <student model>`",
        "[列表](https://example.org/a_b)",
        "`nox -s docs,lint`",
        "*强调*",
    ):
        assert markup in fixed


def test_a_hyphen_joining_chinese_terms_takes_no_spaces():
    """The site's configuration (.autocorrectrc) turns off AutoCorrect's space-dash rule."""
    assert problems("An encoder-decoder model.", "一个编码器-解码器模型。") == []


@pytest.mark.parametrize(
    ("msgstr", "expected"),
    [
        (
            "见 {entry}`TinyBERT <jiao-etal-2020-tinybert>`,然后阅读。",
            "full-width punctuation in ',然'",
        ),
        ("见[列表](https://example.org),然后阅读。", "full-width punctuation in ',然'"),
        ("运行 `nox`;然后阅读。", "full-width punctuation in ';然'"),
        ("中文;英文", "full-width punctuation in '文;'"),
    ],
)
def test_half_width_punctuation_autocorrect_does_not_see(msgstr, expected):
    """Beside a role, a link or a code span AutoCorrect changes nothing; the check still
    finds the half-width punctuation there."""
    found = problems("A note.", msgstr)
    assert any(expected in p for p in found), found


def test_abp_labels_are_linted_too():
    assert ROOT / "abp/locale/zh_CN/LC_MESSAGES/abp.po" in po_files()


@pytest.mark.parametrize(
    ("msgid", "msgstr", "expected"),
    [
        (
            "{entry}`Yoon et al. <yoon-etal-2020-pre>` then.",
            "{entry}`Yoon 等人 <yoon-etal-2020-pre>` 则。",
            ["typography: no space between '{entry}`Yoon 等人 <yoon-etal-2020-pre>`' and '则'"],
        ),
        (
            "See [reading comprehension](rc.md).",
            "见 [机器阅读理解](rc.md) 页。",
            [
                "typography: no space between '[机器阅读理解](rc.md)' and '页'",
                "typography: no space between '见' and '[机器阅读理解](rc.md)'",
            ],
        ),
        (
            "{entry}`ERNIE (Tsinghua) <zhang-etal-2019-ernie>` and",
            "{entry}`ERNIE（清华）<zhang-etal-2019-ernie>` 和",
            [
                "typography: no space between '{entry}`ERNIE（清华）<zhang-etal-2019-ernie>`'"
                " and '和'"
            ],
        ),
        # a Latin name beside Chinese keeps its space; a role naming only its key is not judged
        (ROLE_MSGID, "见 {entry}`TinyBERT <jiao-etal-2020-tinybert>` 的论文。", []),
        ("See {entry}`wang-2019-tiny`.", "见 {entry}`wang-2019-tiny` 的论文。", []),
        (ROLE_MSGID, "见{entry}`Jiao 等人 <jiao-etal-2020-tinybert>`的论文。", []),
    ],
)
def test_space_between_chinese_and_a_chinese_role_or_link(msgid, msgstr, expected):
    """The reader sees the role's text: ``Yoon 等人 则`` has a space between two Chinese
    words, which AutoCorrect, seeing a role, leaves alone."""
    assert problems(msgid, msgstr) == expected
