"""Annotated BERT Papers: the site's Sphinx extension.

``extensions = [..., "abp"]`` in ``conf.py`` sets up every feature; ``"abp.speedups"`` adds the
build-speed workarounds, which the features never import (see ``abp/README.md``).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

__version__ = "1.0"

#: The feature modules, in the order they are set up.
FEATURES = (
    "abp.safety",  # no raw output, file insertion or unsafe link from any source
    "abp.catalogue",  # the .bib files read and validated; the model for every other part
    "abp.bibstyle",  # the bibliography style: labels are the keys
    "abp.cards",  # {entry} cards, {entry} links, {entry-refs}, {entry-bibliography}
    "abp.downloads",  # {bibtex-download} and the .bib files under _bib/
    "abp.glossary",  # {glossary-table}
    "abp.overview",  # {catalogue-overview}: what the site holds, for the landing page
    "abp.i18n",  # labels catalogue, .po syntax check, untranslated notes, language switcher
    "abp.i18n.theme",  # the theme's interface in the page's language
    "abp.i18n.search",  # Chinese search: the index and the query split alike
    "abp.search",  # what the cards give the search (objects, keys, arXiv ids), its snippets
    "abp.published",  # absolute URLs from abp_base_url, hreflang, the 404 page's links
)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.bibtex")
    for name in FEATURES:
        app.setup_extension(name)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
