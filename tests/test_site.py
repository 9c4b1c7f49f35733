"""The whole bilingual site: zero warnings, same pages and entry counts in both languages.

The ``site`` fixture (``tests/conftest.py``) builds it once per run."""

from __future__ import annotations

import json
import re
import runpy
import subprocess
from pathlib import Path

import pybtex.database
import pytest
from bs4 import BeautifulSoup
from conftest import site_file

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.site


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def pages(site: Path, lang: str) -> set[str]:
    base = site / lang
    return {str(p.relative_to(base)) for p in base.rglob("*.html")}


def bib_keys() -> list[str]:
    return list(pybtex.database.parse_file(str(ROOT / "references.bib")).entries)


def card_keys(site: Path, lang: str) -> list[str]:
    return [
        card["id"]
        for page in sorted((site / lang).rglob("*.html"))
        for card in soup(page).select("div.abp-card")
    ]


def test_both_languages_have_the_same_pages(site):
    assert pages(site, "en") == pages(site, "zh_CN")
    assert (site / "index.html").exists()


def anchors(keys) -> list[str]:
    """The cards' anchors of *keys* (``_`` and ``.`` become ``-`` in an HTML id)."""
    from docutils.nodes import make_id

    return [make_id(key) for key in keys]


def test_entry_counts_agree(site):
    keys = anchors(bib_keys())
    assert sorted(card_keys(site, "en")) == sorted(keys)
    assert sorted(card_keys(site, "zh_CN")) == sorted(keys)


def test_lang_attributes(site):
    for lang, tag in (("en", "en"), ("zh_CN", "zh-CN")):
        for page in (site / lang).rglob("*.html"):
            assert re.search(rf'<html[^>]* lang="{tag}"', page.read_text(encoding="utf-8")), page


def test_language_switcher_leads_to_the_same_page(site):
    for lang in ("en", "zh_CN"):
        for page in (site / lang).rglob("*.html"):
            links = soup(page).select(".abp-language a")
            assert len(links) == 1, page
            href = links[0]["href"]
            if page.name == "404.html":  # shown at any depth: an absolute path (test_published)
                target = site_file(site, href).resolve()
            else:
                target = (page.parent / href).resolve()
            other = "zh_CN" if lang == "en" else "en"
            assert target == (site / other / page.relative_to(site / lang)).resolve()
            assert target.exists()


def test_page_downloads_hold_the_page_entries(site):
    for lang in ("en", "zh_CN"):
        for page in (site / lang).rglob("*.html"):
            html = soup(page)
            cards = [c["id"] for c in html.select("div.abp-card")]
            links = [a["href"] for a in html.select(".abp-downloads a")]
            if not cards:
                continue
            bib = (page.parent / links[0]).read_text(encoding="utf-8")
            assert sorted(anchors(re.findall(r"^@\w+\{([^,]+),", bib, re.M))) == sorted(cards), page
            whole = (page.parent / links[-1]).read_bytes()
            assert whole == (ROOT / "references.bib").read_bytes()


def test_paper_summaries_are_40_to_120_words(site):
    parsed = pybtex.database.parse_file(str(ROOT / "references.bib")).entries
    entries = dict(zip(anchors(parsed.keys()), parsed.values(), strict=True))
    for page in (site / "en").rglob("*.html"):
        for card in soup(page).select("div.abp-card"):
            entry = entries[card["id"]]
            if "abp-unreviewed" in card["class"]:  # nothing could be read: no summary
                assert card.select_one(".abp-unreviewed-note") and not card.select(".abp-summary")
                continue
            is_paper = entry.type in ("article", "inproceedings") or "eprint" in entry.fields
            words = len(card.select_one(".abp-summary").get_text().split())
            if is_paper:
                assert 40 <= words <= 120, (card["id"], words)
            else:
                assert words >= 15, (card["id"], words)


def test_no_live_markup_from_content(site):
    for page in site.rglob("*.html"):
        html = soup(page)
        assert not html.select("[onerror], [onload]"), page
        for script in html.find_all("script"):
            assert script.get("src") or "alert" not in script.get_text(), page


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_search_script_defines_the_stemmer_it_uses(site, lang):
    code = (site / lang / "_static" / "language_data.js").read_text(encoding="utf-8")
    used = re.search(r"window\.Stemmer = (\w+);", code).group(1)
    assert re.search(rf"\b(var |window\.)?{used}\s*=\s*function", code), used


def test_chinese_search_index_has_chinese_words_and_model_names(site):
    code = (site / "zh_CN" / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(code[code.index("(") + 1 : code.rindex(")")])["terms"]
    for word in ("蒸馏", "量化", "剪枝", "distilbert", "tinybert", "q8bert"):
        assert word in terms, word


def test_the_speedups_change_no_page(site, tmp_path_factory):
    """The site built with the extension ``abp.speedups`` left out is the same, byte for byte,
    apart from the search index's record of which extensions ran."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("abp_site_tool", ROOT / "tools" / "site.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    out = tmp_path_factory.mktemp("upstream")
    conf = runpy.run_path(str(ROOT / "docs" / "conf.py"))
    features = ",".join(name for name in conf["extensions"] if name != "abp.speedups")
    for lang in ("en", "zh_CN"):
        command = tool.sphinx_command(lang, out, shared=False)
        command[-2:-2] = ["-D", f"extensions={features}"]
        run = subprocess.run(command, capture_output=True, text=True)
        assert run.returncode == 0 and "WARNING" not in run.stderr, run.stderr
        ours, plain = site / lang, out / "html" / lang
        files = sorted(p.relative_to(ours) for p in ours.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(plain) for p in plain.rglob("*") if p.is_file())
        for name in files:
            if name.name in (".buildinfo", "searchindex.js"):
                continue
            assert (ours / name).read_bytes() == (plain / name).read_bytes(), name
        index = [
            json.loads(text[text.index("(") + 1 : text.rindex(")")])
            for text in ((d / "searchindex.js").read_text(encoding="utf-8") for d in (ours, plain))
        ]
        for found in index:
            found["envversion"] = {
                k: v for k, v in found["envversion"].items() if "speedups" not in k
            }
        assert index[0] == index[1]


def interface_strings() -> set[str]:
    """The English of every interface message the Chinese edition translates (theme, labels)."""
    import polib

    messages = set()
    for po in (
        ROOT / "locale" / "zh_CN" / "LC_MESSAGES" / "sphinx.po",
        ROOT / "abp" / "locale" / "zh_CN" / "LC_MESSAGES" / "abp.po",
    ):
        for entry in polib.pofile(str(po)):
            text = re.sub(r"<[^>]+>|%\(\w+\)s|\{\w+\}|&#169;", " ", entry.msgid)
            text = " ".join(text.split())
            if re.search("[a-z]{3}", text) and text not in entry.msgstr:  # names stay: Furo
                messages.add(text)
    return messages - {"English"}  # the switcher names each edition in its own language


def test_no_chinese_page_shows_english_interface_text(site):
    """Site name, theme labels (text and accessible names), search page, card labels."""
    english = interface_strings()
    assert {"Back to top", "On this page", "Copy BibTeX", "Listed in:"} <= english
    for page in (site / "zh_CN").rglob("*.html"):
        html = soup(page)
        # a text of its own (a label, a button), or an accessible name, holding the English
        texts = {
            " ".join(t.split())
            for t in html.find_all(string=True)
            if t.strip() and not t.find_parent(["table", "pre"])  # the glossary's English column
        }
        found = english & texts
        found |= {
            m
            for name in ("aria-label", "placeholder", "alt")
            for el in html.find_all(attrs={name: True})
            for m in english
            if m in el[name]
        }
        assert not found, (page, found)
        assert "Annotated BERT Papers" not in html.title.get_text(), page
        name = html.find("meta", property="og:site_name")
        assert name is None or name["content"] == "BERT 论文注解", page
