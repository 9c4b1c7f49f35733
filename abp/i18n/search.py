"""Chinese full-text search that finds what the pages say.

A search can only find a word that the index and the query split the same way. Sphinx 9.0's
Chinese search (``sphinx.search.zh``) indexes jieba's segmentation of the pages (words and, for
long words, their dictionary sub-words, dropping single characters) while the browser splits a
query only at spaces and punctuation, so a query is one "word" that the index rarely holds:
预训练 found nothing (the index has 训练 only), 多头注意力 nothing, 模型压缩 one page of 13.
jieba cannot run in the browser, so no query splitting can follow its segmentation.

This language indexes Chinese the way CJK search engines do (Lucene's CJKBigramFilter,
Elasticsearch's ``cjk`` analyzer): every run of Han characters (and kana) is indexed as its
overlapping character bigrams, and as single characters; the query is split into the bigrams
of each run (a one-character run stays one character) by a ``splitQuery`` of the same rules
(:data:`JS_SPLITTER`). Every term of a query must occur on a page for it to match, so a
Chinese word or phrase of any length finds every page whose text holds it, whatever jieba
would have made of it. Latin words, model names among them, are indexed and searched with the
English stemmer on both sides (upstream leaves some short words unstemmed in the index while
the browser stems them), and an arXiv identifier (``1910.01108``) is one term on both sides.

Also fixed here: upstream names a JavaScript stemmer that does not exist
(``window.Stemmer = ChineseStemmer``), so every search on a Chinese site stopped with a
ReferenceError (sphinx-doc/sphinx#14229, fixed by #14416 after 9.0.4). This language loads
the English stemmer and names it.

It is registered only for a Chinese build, in place of ``sphinx.search.zh`` (so jieba is
neither imported nor needed).
"""

from __future__ import annotations

import re
from typing import Any

import snowballstemmer
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.search import SearchLanguage
from sphinx.search._stopwords.en import ENGLISH_STOPWORDS

#: Han (CJK unified ideographs, extensions A and B–F, compatibility) and Japanese kana: the
#: characters of scripts written without spaces between words.
HAN = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
HAN_JS = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}"
#: A query or text token: a modern arXiv identifier, or a run of word characters.
TOKEN = re.compile(r"\d{4}\.\d{4,5}|\w+")
RUNS = re.compile(f"([{HAN}]+)|([^{HAN}]+)")
HAN_CHAR = re.compile(f"[{HAN}]")

#: The browser's half of the same rules (Sphinx puts it in ``language_data.js``).
JS_SPLITTER = """
/* Query splitting of the Chinese site (abp.i18n.search): the same rules as its index. */
function splitQuery(query) {
  const han = /^[HAN]+$/u;
  const terms = [];
  for (const token of query.match(/\\d{4}\\.\\d{4,5}|[\\p{L}\\p{N}_]+/gu) || []) {
    for (const run of token.match(/[HAN]+|[^HAN]+/gu) || []) {
      const chars = [...run];  // code points, as Python counts them
      if (!han.test(run) || chars.length < 2) terms.push(run);
      else for (let i = 0; i + 1 < chars.length; i++) terms.push(chars[i] + chars[i + 1]);
    }
  }
  return terms;
}
""".replace("HAN", HAN_JS)


def han_terms(run: str, *, single: bool) -> list[str]:
    """The bigrams of a run of Han characters (and, with *single*, each character)."""
    if len(run) < 2:
        return [run]
    bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
    return [*run, *bigrams] if single else bigrams


def split(text: str, *, single: bool = True) -> list[str]:
    """The terms of *text*: arXiv ids, Latin words, Han bigrams (and characters with *single*).

    The index splits with ``single=True``; a query (in the browser) as ``single=False``.
    """
    terms: list[str] = []
    for token in TOKEN.findall(text):
        if token[0].isdigit() and "." in token:
            terms.append(token)
            continue
        for run, other in RUNS.findall(token):
            terms.extend(han_terms(run, single=single) if run else [other])
    return terms


class SearchChineseBigrams(SearchLanguage):
    """Chinese by character bigrams, Latin words by the English stemmer (see the module)."""

    lang = "zh"
    language_name = "English"  # only names the JS stemmer that is loaded: f"{name}Stemmer"
    js_stemmer_rawcode = "english-stemmer.js"
    js_splitter_code = JS_SPLITTER
    stopwords = ENGLISH_STOPWORDS

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self.stemmer = snowballstemmer.stemmer("english")

    def split(self, input: str) -> list[str]:
        return split(input)

    def word_filter(self, word: str) -> bool:
        if HAN_CHAR.match(word):
            return True
        return len(word) > 1 and not word.isdigit() and word not in self.stopwords

    def stem(self, word: str) -> str:
        return self.stemmer.stemWord(word.lower())


def register(app: Sphinx, config: Config) -> None:
    if not (config.html_search_language or config.language or "").startswith("zh"):
        return
    app.add_search_language(SearchChineseBigrams)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", register)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
