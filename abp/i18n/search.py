"""Chinese full-text search that works in the browser.

Sphinx 9.0's Chinese search (``sphinx.search.zh``) indexes Latin words with the English
stemmer but names the wrong one in ``language_data.js`` (``window.Stemmer =
ChineseStemmer``, which does not exist), so every search on the Chinese site stops with a
ReferenceError. This module registers the same language with its ``language_name`` set to the
stemmer it really ships, so that the generated code assigns ``EnglishStemmer``. Indexing
(jieba for Chinese, the English stemmer for Latin words such as model names) is unchanged.
Reported as sphinx-doc/sphinx#14229 and fixed by sphinx-doc/sphinx#14416 (merged after 9.0.4):
remove this module once the pinned Sphinx includes that fix.

It is registered only for a Chinese build: importing ``sphinx.search.zh`` imports jieba (and
through it ``pkg_resources``), about 0.3 s that an English build does not need.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config


def register(app: Sphinx, config: Config) -> None:
    if not (config.html_search_language or config.language or "").startswith("zh"):
        return
    from sphinx.search.zh import SearchChinese

    class SearchChineseWithEnglishStemmer(SearchChinese):
        """``zh`` search whose JavaScript stemmer is the English one it actually loads."""

        language_name = "English"  # only names the JS stemmer: f"{language_name}Stemmer"

    app.add_search_language(SearchChineseWithEnglishStemmer)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", register)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
