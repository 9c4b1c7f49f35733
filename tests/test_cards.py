"""The entry card renders exactly what the bib holds, safely, with anchors, links and downloads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import warnings_of

pytestmark = pytest.mark.sphinx("html", testroot="cards")


@pytest.fixture
def page(built):
    """The built root, its index page's HTML and that page parsed."""
    html = (Path(built.outdir) / "index.html").read_text(encoding="utf-8")
    return built, html, BeautifulSoup(html, "html.parser")


@pytest.mark.sphinx("html", testroot="cards", freshenv=True)
def test_build_has_no_warnings(page):
    app, _, _ = page
    assert warnings_of(app) == ""


def test_card_shows_bib_fields(page):
    _, _, soup = page
    card = soup.select_one("#nunez-li-2020-cafe")
    title = card.select_one(".abp-card-title a")
    assert title.get_text() == (
        "Café BERT: Teaching a Transformer with <script>alert(1)</script> & Co"
    )
    assert title["href"] == "https://example.org/cafe"
    assert card.select_one(".abp-authors").get_text() == "José Núñez and Zoë Li"
    assert card.select_one(".abp-venue").get_text() == (
        "Proceedings of the Workshop on <img src=x onerror=alert(1)> Cards, 2020"
    )
    links = {a.get_text(): a["href"] for a in card.select(".abp-card-links a")}
    assert links == {
        "arXiv:2001.00001": "https://arxiv.org/abs/2001.00001",
        "DOI:10.0000/example.1": "https://doi.org/10.0000/example.1",
        "Code: example/cafe-bert": "https://github.com/example/cafe-bert",
    }
    footer = card.select_one(".abp-card-footer")
    assert footer.select_one("a")["href"] == "https://github.com/ZhengZixiang/ATPapers"
    assert footer.select_one(".abp-tag").get_text() == "distillation"
    assert footer.select_one(".abp-heading").get_text() == " (Model compression / Distillation)"


def test_cjk_name_braced_whole_keeps_its_order(page):
    _, _, soup = page
    card = soup.select_one("#wang-2019-tiny")
    assert card.select_one(".abp-authors").get_text() == "王伟"
    assert card.select_one(".abp-venue").get_text() == "arXiv preprint, 2019"  # the id: a link


def test_bibtex_block_is_the_exact_source_entry(page):
    app, _, soup = page
    source = (Path(app.srcdir) / "refs.bib").read_text(encoding="utf-8")
    first = source.split("\n\n")[0].strip()
    block = soup.select_one("#nunez-li-2020-cafe details.abp-bibtex pre").get_text()
    summary = soup.select_one("#nunez-li-2020-cafe details.abp-bibtex > summary")
    assert summary.get_text() == "BibTeX"
    assert block.strip() == first


def test_bib_fields_never_reach_html_as_markup(page):
    _, html, soup = page
    assert "<script>alert" not in html
    assert (
        "onerror=alert"
        not in re.sub(r"&lt;img[^&]*&gt;", "", html).replace("&lt;", "").replace("&gt;", "")
        or "<img src=x" not in html
    )
    assert not soup.select("img[onerror]")
    assert soup.find("script", string=re.compile("alert")) is None


def test_page_raw_html_is_not_live(page):
    _, html, soup = page
    assert soup.find("script", string=re.compile("alert")) is None
    assert not soup.select("img[onerror]")
    assert "&lt;script&gt;alert(“page”)&lt;/script&gt;" in html  # smartquotes, as text


def test_entry_role_links_to_card(page):
    _, _, soup = page
    refs = {a.get_text(): a["href"] for a in soup.select("#nunez-li-2020-cafe .abp-summary a")}
    assert refs == {"王伟 (2019)": "#wang-2019-tiny", "the tiny one": "#wang-2019-tiny"}
    back = soup.select_one("#wang-2019-tiny .abp-summary a")
    assert (back.get_text(), back["href"]) == ("CaféBERT", "#nunez-li-2020-cafe")


def test_the_cards_are_the_page_bibliography(page):
    """Each entry once: no list repeats the cards, and each citation target is on its card."""
    app, _, soup = page
    assert not soup.select(".citation, .citation-list, .abp-bibliography")
    (bibliography,) = app.env.get_domain("cite").bibliographies.values()
    for key, citation in bibliography.citation_nodes.items():
        (target,) = citation["ids"]
        assert soup.find(id=target).find_parent(class_="abp-card")["id"] == key


def test_download_files_hold_the_page_entries(page):
    app, _, soup = page
    out = Path(app.outdir)
    hrefs = [a["href"] for a in soup.select(".abp-downloads a")]
    assert hrefs == ["_bib/index.bib", "_bib/references.bib"]
    page_bib = (out / "_bib" / "index.bib").read_text(encoding="utf-8")
    assert re.findall(r"^@\w+\{([^,]+),", page_bib, re.M) == [
        "nunez-li-2020-cafe",
        "wang-2019-tiny",
        "zhihu-notes",
    ]
    assert (out / "_bib" / "references.bib").read_text(encoding="utf-8") == (
        Path(app.srcdir) / "refs.bib"
    ).read_text(encoding="utf-8")


def test_links_from_another_page_reach_the_home_page(page):
    app, _, _ = page
    other = BeautifulSoup(
        (Path(app.outdir) / "other.html").read_text(encoding="utf-8"), "html.parser"
    )
    hrefs = [a["href"] for a in other.select("p a")]
    assert hrefs[0] == "index.html#nunez-li-2020-cafe"
    assert hrefs[1].startswith("index.html#")  # the {cite} opens the card on its home page
    home = BeautifulSoup(
        (Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    target = home.find(id=hrefs[1].split("#", 1)[1])
    assert target.find_parent(class_="abp-card")["id"] == "wang-2019-tiny"


@pytest.mark.sphinx("html", testroot="badcards")
def test_curator_mistakes_are_warnings_with_file_and_line(built):
    lines = warnings_of(built).splitlines()
    expected = [
        ("index.md:3", "entry card for unknown key 'no-such-2020-key'"),
        ("index.md:8", "entry 'nunez-li-2020-cafe': unknown source list 'nosuchlist'"),
        ("index.md:8", "entry 'nunez-li-2020-cafe': unknown tag 'nosuchtag'"),
        ("index.md:15", "entry 'wang-2019-tiny' has no summary"),
        ("index.md:18", "entry 'nunez-li-2020-cafe' already has a card at index:8"),
        ("index.md:23", "missing-2021-entry"),
        ("index.md:25", "entry 'wang-2019-tiny': :reviewed: is 'no'"),
        ("index.md:31", "entry 'wang-2019-tiny' is marked ':reviewed: no' and so carries no"),
    ]
    for where, what in expected:
        assert any(where in line and what in line for line in lines), (where, what, lines)


def test_unreviewed_card_says_so_and_has_no_summary(page):
    _, _, soup = page
    card = soup.select_one("#zhihu-notes")
    assert "abp-unreviewed" in card["class"]
    assert card.select_one(".abp-summary") is None
    note = card.select_one(".abp-unreviewed-note").get_text()
    assert note.startswith("Not reviewed:") and "the list’s wording" in note
    assert card.select_one(".abp-card-title a")["href"] == "https://example.org/notes"
    assert card.select_one(".abp-heading").get_text() == " (Blogs)"
    reviewed = [c for c in soup.select(".abp-card") if c is not card]
    assert reviewed and not any(c.select(".abp-unreviewed-note") for c in reviewed)


def test_cross_references_list_home_cards(page):
    app, _, _ = page
    other = BeautifulSoup(
        (Path(app.outdir) / "other.html").read_text(encoding="utf-8"), "html.parser"
    )
    lines = [
        (li.get_text(" ", strip=True), li.a["href"]) for li in other.select("ul.abp-entry-refs li")
    ]
    assert lines == [
        (
            "Café BERT: Teaching a Transformer with <script>alert(1)</script> & Co "
            "— Núñez and Li (2020)",
            "index.html#nunez-li-2020-cafe",
        ),
        ("Tiny Models — 王伟 (2019)", "index.html#wang-2019-tiny"),
    ]
    assert not other.select("div.abp-card")  # cross-references are not cards


def test_page_bibliography_holds_only_its_cards(page):
    """A page's bibliography has citations of its own cards only: a {cite} reaches the home page."""
    app, _, _ = page
    bibliographies = list(app.env.get_domain("cite").bibliographies.values())
    assert bibliographies
    for bibliography in bibliographies:
        assert sorted(bibliography.citation_nodes) == sorted(bibliography.keys)


def test_search_index_skips_bibtex_source_and_page_bibliography(page):
    app, _, soup = page
    index = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    terms = index.split('"terms":', 1)[1]
    assert '"caf' in terms and '"tini"' in terms  # the cards' own words are indexed
    for field in ("primaryclass", "archiveprefix", "booktitl", "inproceed"):
        assert f'"{field}' not in terms, field  # BibTeX source is not
    assert soup.select(".no-search .abp-bibtex-code")


# -- author lists in the page's language ---------------------------------------------------

AUTHOR_RECORDS = """
@misc{sanh-2019-one,
  title = {One Author},
  author = {Sanh, Victor},
  year = {2019},
  url = {https://example.org/sanh-2019-one}
}

@misc{sanh-debut-2019-two,
  title = {Two Authors},
  author = {Sanh, Victor and Debut, Lysandre},
  year = {2019},
  url = {https://example.org/sanh-debut-2019-two}
}

@misc{sanh-etal-2019-four,
  title = {Four Authors},
  author = {Sanh, Victor and Debut, Lysandre and Chaumond, Julien and Wolf, Thomas},
  year = {2019},
  url = {https://example.org/sanh-etal-2019-four}
}

@misc{sanh-etal-2019-three,
  title = {Three Authors},
  author = {Sanh, Victor and Debut, Lysandre and Chaumond, Julien},
  year = {2019},
  url = {https://example.org/sanh-etal-2019-three}
}

@misc{sanh-etal-2019-two,
  title = {Two Authors and Others},
  author = {Sanh, Victor and Debut, Lysandre and others},
  year = {2019},
  url = {https://example.org/sanh-etal-2019-two}
}

@misc{sanh-others-2019-one,
  title = {One Author and Others},
  author = {Sanh, Victor and others},
  year = {2019},
  url = {https://example.org/sanh-others-2019-one}
}
"""  # sorted by key: they go before wang-2019-tiny

AUTHOR_LINES = {
    "en": {
        "sanh-2019-one": "Victor Sanh",
        "sanh-debut-2019-two": "Victor Sanh and Lysandre Debut",
        "sanh-etal-2019-three": "Victor Sanh, Lysandre Debut, and Julien Chaumond",
        "sanh-etal-2019-four": "Victor Sanh, Lysandre Debut, Julien Chaumond, and Thomas Wolf",
        "sanh-others-2019-one": "Victor Sanh et al.",
        "sanh-etal-2019-two": "Victor Sanh, Lysandre Debut, et al.",
        "nunez-li-2020-cafe": "José Núñez and Zoë Li",
        "wang-2019-tiny": "王伟",
    },
    "zh_CN": {
        "sanh-2019-one": "Victor Sanh",
        "sanh-debut-2019-two": "Victor Sanh 和 Lysandre Debut",
        "sanh-etal-2019-three": "Victor Sanh、Lysandre Debut 和 Julien Chaumond",
        "sanh-etal-2019-four": "Victor Sanh、Lysandre Debut、Julien Chaumond 和 Thomas Wolf",
        "sanh-others-2019-one": "Victor Sanh 等",
        "sanh-etal-2019-two": "Victor Sanh、Lysandre Debut 等",
        "nunez-li-2020-cafe": "José Núñez 和 Zoë Li",
        "wang-2019-tiny": "王伟",
    },
}


def add_author_cards(src: Path) -> None:
    bib = (src / "refs.bib").read_text(encoding="utf-8")
    (src / "refs.bib").write_text(
        bib.replace("@misc{wang-2019-tiny,", AUTHOR_RECORDS.lstrip() + "\n@misc{wang-2019-tiny,"),
        encoding="utf-8",
    )
    cards = "".join(
        f"\n:::{{entry}} {key}\n\nA summary.\n:::\n"
        for key in AUTHOR_LINES["en"]
        if key in AUTHOR_RECORDS
    )
    page = (src / "index.md").read_text(encoding="utf-8")
    (src / "index.md").write_text(
        page.replace("```{entry-bibliography}", cards + "\n```{entry-bibliography}"),
        encoding="utf-8",
    )


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_author_list_follows_the_page_language(build_edited, language):
    """One, two, three and four authors, and BibTeX's ``and others``: English as before,
    Chinese with 、 between names and 和 before the last one (``A 和 B``, ``A、B 和 C``)."""
    app, _ = build_edited("i18n", add_author_cards, confoverrides={"language": language})
    soup = BeautifulSoup(
        (Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    shown = {
        key: soup.select_one(f"#{key} .abp-authors").get_text() for key in AUTHOR_LINES[language]
    }
    assert shown == AUTHOR_LINES[language]


def test_a_moved_repository_keeps_its_former_address(build_edited):
    """``:former:``: the old home of a moved or renamed repository, linked from the card."""

    def move(src: Path) -> None:
        index = src / "index.md"
        index.write_text(
            index.read_text(encoding="utf-8").replace(
                ":code: https://github.com/example/cafe-bert\n",
                ":code: https://github.com/example/cafe-bert\n"
                ":former: https://github.com/old-owner/CafeBERT javascript:alert(1)\n",
            ),
            encoding="utf-8",
        )

    app, warnings = build_edited("cards", move)
    soup = BeautifulSoup(
        (Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    former = soup.select("#nunez-li-2020-cafe a.abp-former")
    assert [(a.get_text(), a["href"]) for a in former] == [
        ("Formerly: old-owner/CafeBERT", "https://github.com/old-owner/CafeBERT")
    ]
    assert "option :former: has 'javascript:alert(1)'" in warnings
    index = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    assert '"old-owner/cafebert":[[0,"nunez-li-2020-cafe"' in index  # the old address finds it


@pytest.mark.parametrize("linked", [False, True])
def test_a_card_and_the_card_of_its_code_reach_each_other(build_edited, linked):
    """A card lists a repository as its code; the repository's own card must link back."""

    def add_repository(src: Path) -> None:
        bib = src / "refs.bib"  # sorted by key: the record comes first
        bib.write_text(
            "@misc{gh-example-cafe-bert,\n  title = {cafe-bert: code},\n"
            "  author = {example},\n  howpublished = {GitHub repository},\n"
            "  url = {https://github.com/example/cafe-bert}\n}\n\n"
            + bib.read_text(encoding="utf-8"),
            encoding="utf-8",
        )
        back = "The code of {entry}`nunez-li-2020-cafe`." if linked else "The code."
        with (src / "lone.md").open("a", encoding="utf-8") as page:
            page.write(f"\n:::{{entry}} gh-example-cafe-bert\n:tags: repository\n\n{back}\n:::\n")

    _, warnings = build_edited("cards", add_repository)
    expected = (
        "index.md:6: WARNING: entry 'nunez-li-2020-cafe' lists https://github.com/example/cafe-bert"
        " as its code, but the card of 'gh-example-cafe-bert' does not link back to it"
    )
    assert (expected in warnings) is not linked, warnings
