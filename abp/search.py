"""What the cards give the site's search, in both languages, and the results page's snippets.

- Each card is a search object named by its short name (``DistilBERT``): a result opens the
  card itself. Sphinx writes an object's anchor in a compressed form (``""`` when the anchor
  equals the object's *name*), which the browser expands from the *display name* instead
  (sphinx-doc/sphinx#10380, open): every card whose anchor is its key came out as
  ``#DistilBERT``, an anchor that does not exist. :func:`exact_entry_anchors` writes the
  entries' anchors in full (checked against the versions below; it does nothing to other
  domains' objects).
- Each card carries index entries of its bib key and arXiv identifier (``single`` entries on
  the card's anchor): Sphinx's search matches a query against index entries as a whole, so
  ``sanh-etal-2019-distilbert`` or ``1910.01108`` finds the card on either site. The site
  has no general index page (``html_use_index = False``), so these entries show only in search.
  Upstream keeps in the search index only the index entries of the pages written in the
  current build (sphinx-doc/sphinx#12599, open): after an edit of one page, every other
  page's keys and ids would be gone. :func:`keep_entry_index_entries` puts back the cards'
  entries of the pages that were not written.
- The entry type is called "entry" in the page's language.
- The results page builds each snippet from the page's reading text: ``abp-search.js`` leaves
  out blocks marked ``no-search`` (a card's BibTeX) and code blocks, which the search index
  already leaves out.
"""

from __future__ import annotations

import html
from typing import Any

import sphinx
from sphinx.application import Sphinx
from sphinx.util import logging

from abp.catalogue import record_of

logger = logging.getLogger(__name__)

#: The Sphinx releases whose search index compresses anchors as described above.
WRITTEN_FOR = ("9.0",)


def compressed(anchor: str, shown: str, objtype: str) -> str:
    """How the browser must receive *anchor* to expand it to itself (see searchtools.js)."""
    if anchor == shown:
        return ""
    if anchor == f"{objtype}-{shown}":
        return "-"
    return anchor


def exact_entry_anchors(indexer: Any, env: Any) -> None:
    """Make *indexer* (an ``IndexBuilder``) write every card's anchor so the browser finds it."""
    upstream = indexer.get_objects

    def get_objects(fn2index: dict[str, int]) -> dict[str, list[tuple]]:
        objects = upstream(fn2index)
        typeindex = indexer._objtypes.get(("abp", "entry"))
        if typeindex is None:
            return objects
        wanted: dict[str, list[str]] = {}  # per prefix, in upstream's order
        for _name, shown, objtype, docname, anchor, prio in sorted(
            env.get_domain("abp").get_objects()
        ):
            if docname in fn2index and prio >= 0:
                prefix, _, _last = html.escape(shown).rpartition(".")
                wanted.setdefault(prefix, []).append(
                    compressed(anchor, html.escape(shown), objtype)
                )
        for prefix, rows in objects.items():
            anchors = iter(wanted.get(prefix, ()))
            rows[:] = [
                (*row[:3], next(anchors), row[4]) if row[1] == typeindex else row for row in rows
            ]
        return objects

    indexer.get_objects = get_objects


def index_entries(key: str, anchor: str, arxiv_id: str | None, former: str = "") -> list[tuple]:
    """A card's index entries (``addnodes.index`` form): its key, its arXiv id, and the
    ``owner/repo`` of each former address of a moved repository (``:former:``), so that the
    address the lists give still finds the card."""
    moved = [
        "/".join(url.split("github.com/", 1)[1].strip("/").split("/")[:2])
        for url in former.split()
        if "github.com/" in url
    ]
    return [("single", name, anchor, "", None) for name in (key, arxiv_id, *moved) if name]


def keep_entry_index_entries(indexer: Any, env: Any) -> None:
    """The cards' index entries of every page that this build did not write (and so feed)."""
    fed = indexer._index_entries  # docname -> [(entry, anchor, main)] of the pages fed
    cards = env.get_domain("abp").cards
    missing = {card.docname for card in cards.values()} - set(fed)
    for key, card in cards.items():
        if card.docname in missing:
            record = record_of(env, key)
            entries = index_entries(
                key, card.anchor, record.arxiv_id if record else None, card.option("former")
            )
            fed.setdefault(card.docname, []).extend(
                (name, anchor, main) for _type, name, anchor, main, _ in entries
            )
    for docname in missing:
        fed[docname].sort()


def fix_index(app: Sphinx, *args: Any) -> list:
    """At ``html-collect-pages`` (before the search index is written), fix its entries."""
    indexer = getattr(app.builder, "indexer", None)
    if indexer is not None and not getattr(indexer, "_abp_exact_anchors", False):
        if not sphinx.__version__.startswith(WRITTEN_FOR):
            logger.info("abp.search: written for Sphinx %s", ", ".join(WRITTEN_FOR))
        exact_entry_anchors(indexer, app.env)
        indexer._abp_exact_anchors = True
        keep_entry_index_entries(indexer, app.env)
    return []


def search_page_script(app: Sphinx, pagename: str, *args: Any) -> None:
    if pagename == "search":
        app.add_js_file("abp-search.js")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("abp.assets")
    app.connect("html-page-context", search_page_script)
    app.connect("html-collect-pages", fix_index)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
