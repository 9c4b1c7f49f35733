"""Keep the translated pages' doctrees small: translated nodes forget their scratch document.

Sphinx 9.0 translates a page by parsing every msgstr as a small document of its own
(``sphinx.transforms.i18n.Locale``, through MyST here) and moving the parsed nodes into the
page. docutils gives each node a reference to the document it was made in (``_document``), and
the moved nodes keep the one of their scratch document. That document's settings hold the whole
build environment, so every translated page's pickled doctree carried a copy of the
environment: about 1.8 MB a page at 2,000 entries against 0.13 MB in English, growing with the
catalogue, read back page by page when the HTML is written. That made the Chinese build
superlinear in time and disk.

After a page is read (``doctree-read``, after the translation), every node that still points
at another document is pointed back at the page (``Node.document`` then follows the parent).
Remove it once Sphinx resets ``_document`` when it moves translated nodes.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from abp.speedups._workaround import Workaround


def adopt(doctree: nodes.document) -> int:
    """Point every node made in another document at *doctree*; return how many were."""
    moved = 0
    for node in doctree.findall():
        made_in = vars(node).get("_document")
        if made_in is not None and made_in is not doctree:
            node._document = None  # the document is now found through the parent
            moved += 1
    return moved


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    adopt(doctree)


def apply(app: Sphinx) -> None:
    app.connect("doctree-read", on_doctree_read, priority=900)


WORKAROUND = Workaround(
    name="translated_nodes",
    fault="Sphinx's Locale transform moves translated nodes without resetting their _document",
    upstream="no report found upstream (sphinx-doc/sphinx)",
    versions={"sphinx": ("9.0.4",), "docutils": ("0.22.4",)},
    apply=apply,
)
