"""Search, as a reader uses it: recall of the site's own vocabulary and entries through the
site's real search code, and an entry result that opens its card.

Recall runs every glossary term (the English column on both sites, the Chinese column on the
Chinese site) and every card's short name, bib key and arXiv id through Sphinx's own
``Search._parseQuery`` and ``Search._performSearch`` in the search page (the rows the page
would show, without rendering them).

- A glossary term is expected on every page whose reading text holds it: the ``[role=main]``
  text of the built page without code (``pre``, ``.highlight``), BibTeX blocks, heading
  links and addresses shown as links; a Latin term matched as a whole phrase, ignoring case,
  a Chinese term as it is. It is found on a page when a result row is that page.
- A card's short name, key or arXiv id is found when a result row opens the card: the card's
  page and ``#<card id>``.

The figures and every miss go to ``build/browser/recall.json`` and the end-of-run summary.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from abp import model

from .conftest import LANGUAGES, ROOT, SUMMARY, write_result

GLOSSARY = ROOT / "docs" / "_data" / "glossary.csv"
NOT_READING = "pre, .highlight, .abp-bibtex, .headerlink, script, style"

RUN_QUERIES = """
(queries) => queries.map((q) => {
  const rows = Search._performSearch(...Search._parseQuery(q));
  return rows.map((row) => [row[0], row[2], row[6]]);
})
"""


def glossary_terms() -> list[dict[str, str]]:
    with GLOSSARY.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def cards() -> tuple[model.Card, ...]:
    return tuple(model.page_cards(ROOT / "docs").values())


@cache
def records() -> dict[str, model.Record]:
    return model.read(ROOT / "references.bib").records


def reading_text(path: Path) -> str:
    html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    main = html.select_one('[role="main"]')
    if main is None:
        return ""
    for block in main.select(NOT_READING):
        block.decompose()
    for link in main.select("a[href]"):
        if link.get_text().strip().startswith(("http://", "https://")):
            link.decompose()  # an address shown as it is: not reading text
    return main.get_text(" ")


def holds(text: str, term: str) -> bool:
    if re.search(r"[A-Za-z]", term) and not re.search(r"[\u3400-\u9fff]", term):
        return re.search(rf"(?<![\w]){re.escape(term)}(?![\w])", text, re.I) is not None
    return term in text


def queries_of(lang: str) -> list[tuple[str, str, object]]:
    """(kind, query, what it should find): glossary terms expect pages (filled in later from
    the built text), card queries expect (docname, "#anchor")."""
    found: list[tuple[str, str, object]] = []
    for row in glossary_terms():
        found.append(("glossary-en", row["en"].strip(), None))
        if lang != "en":
            found.append(("glossary-zh", row["zh"].strip(), None))
    for card in cards():
        target = (card.docname, f"#{card.anchor}")
        if card.short:
            found.append(("card-short", card.short, target))
        found.append(("card-key", card.key, target))
        arxiv = records()[card.key].arxiv_id if card.key in records() else ""
        if arxiv:
            found.append(("card-arxiv", arxiv, target))
    return found


def measure(page, server: str, site: Path, lang: str) -> dict:
    page.goto(f"{server}{lang}/search.html")
    page.wait_for_function("() => typeof Search !== 'undefined' && Search.hasIndex()")
    docnames = page.evaluate("() => Search._index.docnames")
    texts = {doc: reading_text(site / lang / f"{doc}.html") for doc in docnames}
    queries = queries_of(lang)
    results = page.evaluate(RUN_QUERIES, [q for _, q, _ in queries])
    expected = defaultdict(int)
    found = defaultdict(int)
    misses: dict[str, list] = defaultdict(list)
    for (kind, query, target), rows in zip(queries, results, strict=True):
        if kind.startswith("glossary"):
            pages = sorted(doc for doc, text in texts.items() if holds(text, query))
            hit = {row[0] for row in rows}
            missing = [doc for doc in pages if doc not in hit]
            expected[kind] += len(pages)
            found[kind] += len(pages) - len(missing)
            if missing:
                misses[kind].append({"query": query, "pages": missing})
        else:
            expected[kind] += 1
            if any((row[0], row[1]) == target for row in rows):
                found[kind] += 1
            else:
                first = [f"{row[0]}{row[1]}" for row in rows[-3:][::-1]]
                misses[kind].append({"query": query, "want": "".join(target), "got": first})
    return {
        kind: {
            "expected": expected[kind],
            "found": found[kind],
            "recall": round(found[kind] / expected[kind], 4) if expected[kind] else 1.0,
            "misses": misses[kind],
        }
        for kind in expected
    }


@pytest.fixture(scope="module")
def recall(browser, server, site) -> dict:
    figures = {}
    context = browser.new_context()
    try:
        tab = context.new_page()
        for lang in LANGUAGES:
            figures[lang] = measure(tab, server, site, lang)
    finally:
        context.close()
    path = write_result("recall", figures)
    SUMMARY.append(f"search recall ({path.relative_to(ROOT)}):")
    for lang, kinds in figures.items():
        for kind, fig in kinds.items():
            SUMMARY.append(
                f"  {lang:6} {kind:12} {fig['found']:5}/{fig['expected']:<5} "
                f"{100 * fig['recall']:6.2f}%  ({len(fig['misses'])} queries with misses)"
            )
    return figures


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_recall_is_complete(recall, lang):
    kinds = recall[lang]
    short = {kind: f"{fig['found']}/{fig['expected']}" for kind, fig in kinds.items()}
    misses = {kind: fig["misses"][:5] for kind, fig in kinds.items() if fig["misses"]}
    assert all(fig["found"] == fig["expected"] for fig in kinds.values()), (short, misses)
    assert all(fig["expected"] for fig in kinds.values()), short  # every kind was measured


def test_an_entry_result_opens_its_card(page, server):
    """Type a model name in the search page's box, press Enter, open the first entry result:
    the page opens at the card."""
    card = next(card for card in cards() if card.short == "DistilBERT")
    page.goto(f"{server}en/search.html")
    box = page.locator("form[role=search] input[name=q]").locator("visible=true").first
    box.fill(card.short)
    box.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q=DistilBERT"))
    first = page.locator("#search-results ul.search li.kind-object a").first
    first.click()
    page.wait_for_load_state()
    assert page.url.split("#", 1)[-1] == card.anchor, page.url
    assert page.url.split("#")[0].endswith(f"en/{card.docname}.html"), page.url
    target = page.locator(":target")
    assert target.get_attribute("id") == card.anchor
    assert target.evaluate("el => el.classList.contains('abp-card')")
    assert in_view(target)


def in_view(locator) -> bool:
    """The element's top is within the window (it is what the reader sees)."""
    return locator.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight && r.bottom > 0; }"
    )


SNIPPET_SOURCE = """<html><body><div role="main"><div class="abp-card"><p>A card's summary.</p>
<details class="abp-bibtex no-search"><summary>BibTeX</summary><pre>@misc{k, title = {T}}</pre>
</details></div><div class="highlight"><pre>:::{entry} k</pre></div><p>More text.</p>
</div></body></html>"""


def test_snippets_are_made_of_reading_text(page, server):
    """The results page's snippet text (Search.htmlToText, as abp-search.js leaves it) holds
    the page's reading text and none of its BibTeX or code blocks."""
    page.goto(f"{server}en/search.html")
    page.wait_for_function("() => typeof Search !== 'undefined' && Search.hasIndex()")
    text = " ".join(page.evaluate("html => Search.htmlToText(html)", SNIPPET_SOURCE).split())
    assert text == "A card's summary. More text."


@pytest.mark.parametrize("lang", LANGUAGES)
def test_entry_results_are_labelled_in_the_page_language(page, server, lang):
    """An entry result says "entry" in the page's language, not the domain's English name."""
    page.goto(f"{server}{lang}/search.html?q=DistilBERT")
    entry = page.locator("#search-results ul.search li.kind-object").first
    entry.wait_for()
    label = entry.inner_text()
    assert "Annotated BERT Papers" not in label
    assert ("条目" if lang != "en" else "entry") in label, label
