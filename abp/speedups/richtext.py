"""pybtex's rich text without the work that changes nothing.

Formatting an entry (sphinxcontrib-bibtex, for every page bibliography) is mostly pybtex's rich
text:

1. pybtex 0.26 turns every field and name part into rich text with ``Text.from_latex``, which
   runs the whole latexcodec decoder and the LaTeX parser even on plain words: about 40% of the
   formatting time. The decoder is the slow part (about 0.7 ms a value, the parser 0.03 ms),
   and most values that need the parser only brace words to protect their case
   (``{BERT}``), which the decoder leaves as they are.
2. pybtex's rich-text constructor (``BaseMultipartText.__init__``, behind every ``Text``,
   ``Tag``, ``HRef`` and ``Protected``) chains four generators over its parts, and formatting an
   entry makes hundreds of these objects: about half the formatting time.

For (1), a value in which neither latexcodec nor the parser would change anything (no
``% \\ { } ~`` or backquote, no ``--``, ``''`` or ``,,``, no run of whitespace, no leading
whitespace) becomes ``Text(value)`` directly, and a value whose only such characters are braces
goes to the parser without the decoder; each is what the full path returns for it (tests compare
both on every field and name part of ``references.bib`` and on random strings of the characters
that matter). For (2), the constructor is the same algorithm as one loop: the same parts kept,
unpacked and merged in the same order, the same error for a bad part (tests compare both on
random nested texts and on every formatted entry of ``references.bib``).
"""

from __future__ import annotations

import re
from typing import Any

from pybtex.markup import LaTeXParser
from pybtex.richtext import BaseMultipartText, BaseText, String, Text, ensure_text
from sphinx.application import Sphinx

from abp.speedups._workaround import Workaround, patch

_UPSTREAM_FROM_LATEX = Text.from_latex.__func__  # type: ignore[attr-defined]
#: What latexcodec changes.
NEEDS_DECODER = re.compile(r"[%\\~`]|--|''|,,|\s\s|^\s|[^\S ]")  # what latexcodec changes
NEEDS_LATEX = re.compile(NEEDS_DECODER.pattern + r"|[{}]")  # ... and what the parser changes


def from_latex(cls: type[Text], latex: str) -> Text:
    """``Text.from_latex``, without the decoder and parser where they leave a value as it is."""
    if not NEEDS_LATEX.search(latex):
        return cls(latex) if latex else cls()
    if not NEEDS_DECODER.search(latex):  # case-protecting braces only: the parser alone
        return LaTeXParser(latex).parse()
    return _UPSTREAM_FROM_LATEX(cls, latex)


_UPSTREAM_TEXT_INIT = BaseMultipartText.__init__


def text_init(self: BaseMultipartText, *parts: Any) -> None:
    """``BaseMultipartText.__init__`` as one loop: same parts, same merges, same errors."""
    unpacked: list[BaseText] = []
    for part in parts:
        if isinstance(part, str):
            if part:
                unpacked.append(String(part))
        elif isinstance(part, BaseText):
            if part:  # an empty text adds nothing
                unpacked.extend(part._unpack())
        else:
            ensure_text(part)  # raises upstream's TypeError
    merged: list[BaseText] = []
    count, start = len(unpacked), 0
    while start < count:  # runs of parts of one type and parameters become one part
        typeinfo = unpacked[start]._typeinfo()
        end = start + 1
        while end < count and unpacked[end]._typeinfo() == typeinfo:
            end += 1
        cls, info = typeinfo
        if cls and end - start > 1:
            merged.append(cls(*info, *[p for text in unpacked[start:end] for p in text.parts]))
        else:
            merged.extend(unpacked[start:end])
        start = end
    self.parts = merged
    self.length = sum(len(part) for part in merged)


def apply(app: Sphinx) -> None:
    patch(app, Text, "from_latex", classmethod(from_latex))
    patch(app, BaseMultipartText, "__init__", text_init)


WORKAROUND = Workaround(
    name="richtext",
    fault="pybtex decodes every plain value with latexcodec and builds rich text with generators",
    upstream="no report found upstream (pybtex is developed at bitbucket.org/pybtex-devs)",
    versions={"pybtex": ("0.26.1",), "latexcodec": ("3.0.1",)},
    apply=apply,
)
