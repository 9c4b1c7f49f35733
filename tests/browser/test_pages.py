"""The pages as a reader uses them: the language switcher keeps the place, the copy button
copies the entry's BibTeX, the phone layout, and an accessibility scan (axe-core)."""

from __future__ import annotations

import bibtexparser
import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import LANGUAGES, OUT, PHONE, ROOT, SUMMARY, write_result

CARD = "sanh-etal-2019-distilbert"  # DistilBERT, on papers/compression
TOPIC = "papers/compression"

IN_VIEW = (
    "el => { const r = el.getBoundingClientRect();"
    " return r.width > 0 && r.top >= 0 && r.top < window.innerHeight && r.bottom > 0"
    " && r.left >= 0 && r.right <= window.innerWidth; }"
)


def other(lang: str) -> str:
    return "zh_CN" if lang == "en" else "en"


def switch(page, to: str) -> None:
    """Click the visible link to the *to* edition of this page."""
    tag = to.replace("_", "-")
    page.locator(f"a.abp-language-link[hreflang='{tag}']").locator("visible=true").first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("start", LANGUAGES)
def test_switcher_keeps_the_card(page, server, start):
    page.goto(f"{server}{start}/{TOPIC}.html#{CARD}")
    switch(page, other(start))
    assert page.url == f"{server}{other(start)}/{TOPIC}.html#{CARD}"
    card = page.locator(":target")
    assert card.get_attribute("id") == CARD
    assert card.evaluate(IN_VIEW)


def test_switcher_follows_a_new_anchor(page, server):
    """The reader moves on within the page (a link to another card): the switcher follows."""
    page.goto(f"{server}en/{TOPIC}.html")
    page.evaluate("id => { window.location.hash = id; }", "jiao-etal-2020-tinybert")
    switch(page, "zh_CN")
    assert page.url == f"{server}zh_CN/{TOPIC}.html#jiao-etal-2020-tinybert"


def test_switcher_keeps_the_search(page, server):
    results = "#search-results ul.search li"
    page.goto(f"{server}en/search.html?q=BERT")
    page.locator(results).first.wait_for()
    switch(page, "zh_CN")
    assert page.url == f"{server}zh_CN/search.html?q=BERT"
    page.locator(results).first.wait_for()
    assert page.locator("form.abp-search-page input[name=q]").input_value() == "BERT"
    switch(page, "en")
    assert page.url == f"{server}en/search.html?q=BERT"
    page.locator(results).first.wait_for()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_copy_button_copies_the_entry(new_context, server, lang):
    """Tab from the card's title to its copy button, press Enter: the clipboard holds the card's
    BibTeX, one entry with the card's key."""
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{server}{lang}/{TOPIC}.html")
    cards = page.locator("div.abp-card")
    buttons = page.locator("div.abp-card button.abp-copy-bibtex")
    assert buttons.count() == cards.count() > 0, "every card has a copy button"
    card = page.locator(f"div.abp-card[id='{CARD}']")
    button = card.locator("button.abp-copy-bibtex")
    button.scroll_into_view_if_needed()
    assert button.is_visible(), "the copy button is visible without opening the BibTeX block"
    card.locator(".abp-card-title a").first.focus()
    for _ in range(40):
        if button.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the card's copy button")
    page.keyboard.press("Enter")
    expected = card.locator("details.abp-bibtex pre").text_content()
    page.wait_for_function("() => navigator.clipboard.readText().then((t) => t.length > 0)")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.strip() == expected.strip()
    library = bibtexparser.parse_string(copied)
    assert [entry.key for entry in library.entries] == [CARD]
    assert not library.failed_blocks


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_phone_layout(new_context, server, lang):
    context = new_context(**PHONE)
    page = context.new_page()
    OUT.mkdir(parents=True, exist_ok=True)

    page.goto(f"{server}{lang}/index.html")
    assert not page.locator(".sidebar-drawer").evaluate(IN_VIEW), "the drawer starts closed"
    to_other = page.locator(f"a.abp-language-link[hreflang='{other(lang).replace('_', '-')}']")
    switcher = to_other.locator("visible=true")
    assert switcher.count() >= 1 and switcher.first.evaluate(IN_VIEW), "switcher in view"
    search = page.locator(".mobile-header a[href$='search.html']").locator("visible=true")
    assert search.count() == 1 and search.first.evaluate(IN_VIEW), "search link in view"
    assert no_horizontal_overflow(page), "landing page"
    page.screenshot(path=OUT / f"phone-{lang}-landing.png")

    search.first.click()
    page.wait_for_load_state()
    box = page.locator("form.abp-search-page input[name=q]")
    assert box.evaluate(IN_VIEW), "the search page's own box is in view"
    box.fill("BERT")
    box.press("Enter")
    page.wait_for_function(SEARCH_DONE)
    assert no_horizontal_overflow(page), "search page"
    page.screenshot(path=OUT / f"phone-{lang}-search.png")

    page.goto(f"{server}{lang}/{TOPIC}.html#{CARD}")
    assert no_horizontal_overflow(page), "topic page"
    details = page.locator(f"div.abp-card[id='{CARD}'] details.abp-bibtex")
    details.locator("summary").click()
    pre = details.locator("pre")
    pre.scroll_into_view_if_needed()
    box = pre.evaluate(
        """el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el),
                     outer = el.closest('details').getBoundingClientRect();
                   return {left: r.left, right: r.right, width: window.innerWidth,
                     wraps: el.scrollWidth <= el.clientWidth,
                     scrolls: ['auto', 'scroll'].includes(s.overflowX),
                     tall: el.scrollHeight <= el.clientHeight
                       || ['auto', 'scroll'].includes(s.overflowY),
                     inside: r.left >= outer.left - 1 && r.right <= outer.right + 1}; }"""
    )
    assert box["left"] >= 0 and box["right"] <= box["width"], box  # not cut off by the page
    assert box["inside"], box  # within its block
    assert box["wraps"] or box["scrolls"], box  # long lines wrap, or scroll inside the box
    assert box["tall"], box  # every line shows, or the box scrolls to it
    assert no_horizontal_overflow(page), "topic page, BibTeX open"
    page.screenshot(path=OUT / f"phone-{lang}-topic-bibtex.png")


AXE = Axe()
#: searchtools.js has listed every result and says how many it found.
SEARCH_DONE = "() => document.querySelector('#search-results .search-summary')?.innerText.trim()"
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_results(browser, server) -> dict:
    """axe-core's violations on the landing page, a topic page and the search page (with a
    query), in both languages: {page: [{id, impact, count, help, targets}]}."""
    found = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        for lang in LANGUAGES:
            for name in ("index.html", f"{TOPIC}.html", "search.html?q=BERT"):
                page.goto(f"{server}{lang}/{name}")
                if name.startswith("search"):
                    page.locator("#search-results ul.search li").first.wait_for()
                    page.wait_for_function(SEARCH_DONE)
                result = AXE.run(page, options={"resultTypes": ["violations"]})
                found[f"{lang}/{name}"] = [
                    {
                        "id": v["id"],
                        "impact": v["impact"],
                        "count": len(v["nodes"]),
                        "help": v["help"],
                        "targets": [node["target"] for node in v["nodes"][:5]],
                    }
                    for v in result.response["violations"]
                ]
    finally:
        context.close()
    path = write_result("axe", found)
    SUMMARY.append(f"axe-core violations ({path.relative_to(ROOT)}):")
    for name, violations in found.items():
        listed = ", ".join(f"{v['id']} ({v['impact']}) x{v['count']}" for v in violations)
        SUMMARY.append(f"  {name:32} {listed or 'none'}")
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_serious_accessibility_violations(axe_results, lang):
    blocking = {
        name: [v for v in violations if v["impact"] in BLOCKING]
        for name, violations in axe_results.items()
        if name.startswith(f"{lang}/")
    }
    assert len(blocking) == 3
    assert not any(blocking.values()), {k: v for k, v in blocking.items() if v}
