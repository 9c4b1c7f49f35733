"""What the search index holds: card objects that open the card, keys and arXiv ids, and Chinese
split the same way on both sides (the browser's half is run in tests/browser/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.search import IndexBuilder

from abp.i18n.search import split
from abp.search import compressed


def index_of(app) -> dict:
    code = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(code[code.index("(") + 1 : code.rindex(")")])


def expand(prefix: str, row: list, objnames: dict) -> tuple[str, str]:
    """What searchtools.js makes of an object row: (the name shown, the anchor it opens)."""
    _doc, typeindex, _prio, anchor, name = row
    shown = f"{prefix}.{name}" if prefix else name
    if anchor == "":
        anchor = shown
    elif anchor == "-":
        anchor = f"{objnames[str(typeindex)][1]}-{shown}"
    return shown, anchor


@pytest.mark.sphinx("html", testroot="cards")
def test_every_card_result_opens_its_card(built):
    index = index_of(built)
    cards = {
        div["id"]
        for page in Path(built.outdir).glob("*.html")
        for div in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(
            "div.abp-card"
        )
    }
    shown = {
        expand(prefix, row, index["objnames"])
        for prefix, rows in index["objects"].items()
        for row in rows
    }
    # CaféBERT's key is its anchor: upstream would have sent the reader to #CaféBERT
    assert shown == {
        ("CaféBERT", "nunez-li-2020-cafe"),
        ("wang-2019-tiny", "wang-2019-tiny"),
        ("zhihu-notes", "zhihu-notes"),
        ("zhou-2021-lone", "zhou-2021-lone"),
    }
    assert {anchor for _, anchor in shown} == cards
    assert index["objnames"] == {
        "0": ["abp", "entry", "entry"]
    }  # not "Annotated BERT Papers entry"


@pytest.mark.sphinx("html", testroot="cards")
def test_upstream_still_loses_an_anchor_that_equals_the_name(built):
    """sphinx-doc/sphinx#10380: the anchor is compressed against the name, expanded from the
    display name. When this fails, upstream is fixed: remove abp.search.exact_entry_anchors."""
    plain = IndexBuilder(built.env, "en", {}, "")
    fn2index = {docname: i for i, docname in enumerate(sorted(built.env.found_docs))}
    rows = plain.get_objects(fn2index)[""]
    cafe = next(row for row in rows if row[4] == "CaféBERT")
    assert cafe[3] == ""  # expanded in the browser to "CaféBERT", which is no anchor


def test_compressed_is_what_the_browser_expands():
    assert compressed("bert", "bert", "entry") == ""
    assert compressed("entry-bert", "bert", "entry") == "-"
    assert compressed("devlin-etal-2019-bert", "BERT", "entry") == "devlin-etal-2019-bert"


@pytest.mark.sphinx("html", testroot="cards")
def test_keys_and_arxiv_ids_find_the_card(built):
    entries = index_of(built)["indexentries"]
    docs = index_of(built)["docnames"]
    found = {
        name: [(docs[doc], anchor) for doc, anchor, _ in rows] for name, rows in entries.items()
    }
    assert found["nunez-li-2020-cafe"] == [("index", "nunez-li-2020-cafe")]
    assert found["wang-2019-tiny"] == [("index", "wang-2019-tiny")]
    assert not (Path(built.outdir) / "genindex.html").exists()  # they make no index page
    assert found["2001.00001"] == [("index", "nunez-li-2020-cafe")]  # its arXiv id
    assert found["2101.00003"] == [("lone", "zhou-2021-lone")]


def test_chinese_splits_into_characters_and_bigrams():
    assert split("预训练", single=False) == ["预训", "训练"]
    assert split("预训练") == ["预", "训", "练", "预训", "训练"]
    assert split("词", single=False) == ["词"]
    assert split("DistilBERT 在知识蒸馏中", single=False) == [
        "DistilBERT",
        "在知",
        "知识",
        "识蒸",
        "蒸馏",
        "馏中",
    ]
    assert split("arXiv:1910.01108 v2", single=False) == ["arXiv", "1910.01108", "v2"]
    assert split("Núñez，模型") == ["Núñez", "模", "型", "模型"]


@pytest.mark.sphinx("html", testroot="i18n", confoverrides={"language": "zh_CN"})
def test_chinese_index_holds_every_bigram_of_the_text(built):
    terms = index_of(built)["terms"]
    text = (
        BeautifulSoup(
            (Path(built.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser"
        )
        .select_one(".abp-summary")
        .get_text()
    )
    bigrams = [t for t in split(text, single=False) if len(t) == 2 and t[0] > "\u3000"]
    assert bigrams and all(t in terms for t in bigrams), [t for t in bigrams if t not in terms]
    code = (Path(built.outdir) / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "function splitQuery" in code and "window.Stemmer = EnglishStemmer;" in code


def test_keys_still_find_their_cards_after_another_page_changes(make_app, tmp_path):
    """A rebuild that writes only the edited page keeps every other page's index entries."""
    import shutil

    from conftest import ROOTS

    src = tmp_path / "cards"
    shutil.copytree(ROOTS / "test-cards", src)
    make_app("html", srcdir=src).build()
    (src / "other.md").write_text(
        (src / "other.md").read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8"
    )
    app = make_app("html", srcdir=src)
    app.build()
    entries = index_of(app)["indexentries"]
    assert {"nunez-li-2020-cafe", "wang-2019-tiny", "zhihu-notes", "zhou-2021-lone"} <= set(entries)


def test_upstream_still_drops_the_index_entries_of_pages_not_written(make_app, tmp_path):
    """sphinx-doc/sphinx#12599: when this fails, upstream keeps them: remove
    abp.search.keep_entry_index_entries."""
    (tmp_path / "conf.py").write_text("", encoding="utf-8")
    (tmp_path / "index.rst").write_text(
        "Home\n====\n\n.. index:: single: lonely-key\n\nText.\n", encoding="utf-8"
    )
    (tmp_path / "other.rst").write_text(":orphan:\n\nOther\n=====\n\nText.\n", encoding="utf-8")
    make_app("html", srcdir=tmp_path).build()
    assert "lonely-key" in index_of(make_app("html", srcdir=tmp_path))["indexentries"]
    (tmp_path / "other.rst").write_text(":orphan:\n\nMore text.\n", encoding="utf-8")
    app = make_app("html", srcdir=tmp_path)
    app.build()
    assert "lonely-key" not in index_of(app)["indexentries"]
