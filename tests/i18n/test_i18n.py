"""The translated build: fuzzy and missing messages shown as English with a note, no injection."""

from __future__ import annotations

import gettext
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from conftest import warnings_of
from sphinx.util.console import strip_colors

ZH_SITE = pytest.mark.sphinx("html", testroot="i18n", confoverrides={"language": "zh_CN"})


@pytest.fixture
def zh(built):
    html = (Path(built.outdir) / "index.html").read_text(encoding="utf-8")
    return built, html, BeautifulSoup(html, "html.parser")


@pytest.mark.sphinx("html", testroot="i18n", confoverrides={"language": "zh_CN"}, freshenv=True)
def test_no_warnings(zh):
    assert warnings_of(zh[0]) == ""


@ZH_SITE
def test_lang_attribute_is_bcp47(zh):
    _, html, _ = zh
    assert re.search(r'<html[^>]* lang="zh-CN"', html)
    assert 'lang="zh_CN"' not in html


@ZH_SITE
def test_translated_message_is_chinese(zh):
    _, _, soup = zh
    para = soup.select_one("#nunez-li-2020-cafe .abp-summary p")
    assert para.get_text().startswith("一段已翻译的摘要")
    assert "untranslated" not in para.get("class", [])
    assert para.select_one("a")["href"] == "#wang-2019-tiny"


@ZH_SITE
def test_fuzzy_message_shows_english_with_note(zh):
    _, _, soup = zh
    para = soup.select_one("#wang-2019-tiny .abp-summary p")
    assert "A summary whose translation is fuzzy." in para.get_text()
    assert "一段过时的译文" not in soup.get_text()
    assert "untranslated" in para["class"]
    assert para.select_one(".abp-untranslated-note").get_text() == " [译文更新中，暂显示英文原文。]"


@ZH_SITE
def test_untranslated_message_shows_english_with_note_and_banner(zh):
    _, _, soup = zh
    para = soup.find("p", string=re.compile("A paragraph with no translation yet"))
    para = para or next(
        p for p in soup.select("p.untranslated") if "no translation yet" in p.get_text()
    )
    assert para.select_one(".abp-untranslated-note")
    banner = soup.select_one(".abp-untranslated-banner")
    assert banner.get_text(strip=True) == "本页部分内容的译文正在更新（2 段暂以英文显示）。"


@ZH_SITE
def test_markup_in_msgstr_is_escaped(zh):
    _, html, soup = zh
    assert soup.find("script", string=re.compile("po")) is None
    assert not soup.select("img[onerror]")
    assert (
        "&lt;script&gt;alert(&#39;po&#39;)&lt;/script&gt;" in html
        or "&lt;script&gt;alert('po')&lt;/script&gt;" in html
    )


@ZH_SITE
def test_card_labels_are_translated(zh):
    _, _, soup = zh
    card = soup.select_one("#nunez-li-2020-cafe")
    links = [a.get_text() for a in card.select(".abp-card-links a")]
    assert links == ["arXiv:2001.00001", "DOI:10.0000/example.1", "代码：example/cafe-bert"]
    assert card.select_one(".abp-card-footer .abp-label").get_text() == "收录于："
    assert card.select_one(".abp-tag").get_text() == "蒸馏"
    assert card.select_one("details.abp-bibtex > summary").get_text() == "BibTeX"


@ZH_SITE
def test_language_switcher_keeps_the_page(zh):
    app, _, _ = zh
    app.config.html_sidebars = {}
    from abp.i18n import page_context

    context: dict = {}
    page_context(app, "papers/compression", "page.html", context, None)
    assert context["language"] == "zh-CN"
    assert [(x["code"], x["url"], x["current"]) for x in context["abp_languages"]] == [
        ("en", "../../en/papers/compression.html", False),
        ("zh_CN", "../../zh_CN/papers/compression.html", True),
    ]


# -- .po syntax: reported at file and line, and the file's translations left out ---------

ZH = {"language": "zh_CN"}


def errors_of(app) -> list[str]:
    return strip_colors(warnings_of(app)).splitlines()


def syntax_errors(srcdir: Path) -> list[str]:
    po = Path(srcdir) / "locale" / "zh_CN" / "LC_MESSAGES" / "index.po"
    return [
        f'{po}:12: ERROR: unterminated string (no closing quote): msgstr "一段未闭合的译文。'
        " [abp.po_syntax]",
        f"{po}:15: ERROR: string not in double quotes: msgstr 一段没有引号的译文。 [abp.po_syntax]",
    ]


@pytest.mark.sphinx("html", testroot="po-syntax", confoverrides=ZH, warningiserror=True)
def test_po_syntax_error_fails_the_build_at_file_and_line(app):
    app.build()
    assert errors_of(app) == syntax_errors(app.srcdir)
    assert app.statuscode == 1


@pytest.mark.sphinx("html", testroot="po-syntax", confoverrides=ZH, srcdir="po-syntax-html")
def test_po_with_a_syntax_error_is_left_out(app):
    app.build()
    assert errors_of(app) == syntax_errors(app.srcdir)
    index = BeautifulSoup((Path(app.outdir) / "index.html").read_text("utf-8"), "html.parser")
    text = index.get_text()
    assert "一段未闭合的译文" not in text  # not even without its last character
    assert "一段正常的译文" not in text  # nothing from a file that could not be read
    para = index.find("p", string=re.compile("^A paragraph whose translation is unterminated"))
    para = para or next(p for p in index.select("p.untranslated") if "unterminated" in p.get_text())
    assert para.select_one(".abp-untranslated-note").get_text() == " [译文更新中，暂显示英文原文。]"
    other = (Path(app.outdir) / "other.html").read_text("utf-8")
    assert "另一页上的一段。" in other  # the other catalogues are used as before


@pytest.mark.sphinx("html", testroot="po-syntax", confoverrides=ZH, srcdir="po-syntax-again")
def test_po_syntax_error_is_reported_on_every_build(app, make_app):
    app.build()
    app.cleanup()
    again = make_app("html", srcdir=app.srcdir, confoverrides=ZH)
    again.build()
    assert errors_of(again) == syntax_errors(app.srcdir)
    assert "一段未闭合的译文" not in (Path(again.outdir) / "index.html").read_text("utf-8")


@pytest.mark.sphinx("html", testroot="po-syntax", confoverrides=ZH, srcdir="po-syntax-fixed")
def test_fixed_po_is_translated_again(app, make_app, monkeypatch):
    app.build()
    po = Path(app.srcdir) / "locale" / "zh_CN" / "LC_MESSAGES" / "index.po"
    text = po.read_text("utf-8")
    text = text.replace('msgstr "一段未闭合的译文。\n', 'msgstr "一段未闭合的译文。"\n')
    text = text.replace("msgstr 一段没有引号的译文。\n", 'msgstr "一段没有引号的译文。"\n')
    po.write_text(text, "utf-8")
    app.cleanup()
    # gettext keeps each .mo it read for the life of the process; sphinx-build is a new one
    monkeypatch.setattr(gettext, "_translations", {})
    fixed = make_app("html", srcdir=app.srcdir, confoverrides=ZH)
    fixed.build()
    assert errors_of(fixed) == []
    html = (Path(fixed.outdir) / "index.html").read_text("utf-8")
    assert "一段未闭合的译文。" in html
    assert "一段没有引号的译文。" in html


def test_bad_label_catalogue_is_not_compiled(tmp_path):
    from abp.i18n import compile_catalogs

    source = tmp_path / "locale" / "zh_CN" / "LC_MESSAGES"
    source.mkdir(parents=True)
    (source / "abp.po").write_text('msgid "Code"\nmsgstr "代码\n', "utf-8")
    stale = tmp_path / "out" / "zh_CN" / "LC_MESSAGES" / "abp.mo"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"")
    os.utime(source / "abp.po", ns=(stale.stat().st_mtime_ns + 10**9,) * 2)  # edited since
    compile_catalogs(tmp_path / "locale", tmp_path / "out")
    assert not stale.exists()  # the labels stay English; check_catalogs reports the line


def test_label_catalogue_is_checked(rootdir):
    from abp.i18n import LOCALE_DIR, catalogs_of

    app = SimpleNamespace(
        srcdir=rootdir / "test-i18n",
        config=SimpleNamespace(language="zh_CN", locale_dirs=["locale/"]),
    )
    assert catalogs_of(app) == [
        rootdir / "test-i18n" / "locale" / "zh_CN" / "LC_MESSAGES" / "index.po",
        LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "abp.po",
    ]
