"""Keep sphinxcontrib-bibtex linear in the size of the catalogue.

sphinxcontrib-bibtex 2.7.0 does, for *every* ``bibliography`` directive:

1. ``BibliographyDirective.run`` creates and registers a citation node for every entry of
   the bib files, whether or not the bibliography will show it;
2. ``BibtexDomain.get_filtered_entries`` evaluates the filter for every entry, and for each
   entry scans every citation reference of the project.

3. ``BibtexDomain.env_updated`` formats every cited entry with pybtex again on every build,
   incremental ones included (about 5 ms an entry), and makes a new pybtex style object for
   every bibliography, each of which scans the installed packages' entry points three times
   (about 15 ms a bibliography).

With one bibliography per topic page, (1) and (2) are pages × entries (× citations) work,
which makes the build superlinear as the catalogue grows, and (3) makes a one-page edit cost
as much formatting as a clean build.

4. pybtex 0.26 turns every field and name part into rich text with ``Text.from_latex``, which
   runs the whole latexcodec decoder and the LaTeX parser even on plain words: about 40% of the
   formatting time. The decoder is the slow part (about 0.7 ms a value, the parser 0.03 ms),
   and most values that need the parser only brace words to protect their case
   (``{BERT}``), which the decoder leaves as they are.

5. pybtex's rich-text constructor (``BaseMultipartText.__init__``, behind every ``Text``,
   ``Tag``, ``HRef`` and ``Protected``) chains four generators over its parts, and formatting an
   entry makes hundreds of these objects: about half the formatting time.

The page bibliographies of this site
(``abp_cards.EntryBibliographyDirective``) list their keys explicitly with the filter
``False``, so only those keys can ever appear in them. For such *key-listed* bibliographies
this module restricts (1) and (2) to the listed keys, and keeps each formatted entry in the
environment so that (3) formats only entries whose record, label or style changed, with one
style object per style name. Every other
bibliography is left to the upstream code. For (4), a value in which neither latexcodec nor the
parser would change anything (no ``% \\ { } ~`` or backquote, no ``--``, ``''`` or ``,,``, no
run of whitespace, no leading whitespace) becomes ``Text(value)`` directly, and a value whose
only such characters are braces goes to the parser without the decoder; each is what the full
path returns for it (tests compare both on every field and name part of ``references.bib`` and
on random strings of the characters that matter, and every pair of ASCII characters was checked
to pass the decoder unchanged). For (5), the constructor is the same algorithm as one loop: the
same parts kept, unpacked and merged in the same order, the same error for a bad part (tests
compare both on random nested texts and on every formatted entry of ``references.bib``).
Remove it once the upstreams do this.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pybtex.plugin
from pybtex.markup import LaTeXParser
from pybtex.richtext import BaseMultipartText, BaseText, String, Text, ensure_text
from pybtex.style.template import FieldIsMissing
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.domain import BibtexDomain

_UPSTREAM_FILTERED = BibtexDomain.get_filtered_entries
_UPSTREAM_FORMATTED = BibtexDomain.get_formatted_entries
CACHE = "abp_formatted"  # domain data: key -> (stamp, formatted entry, tooltip entry)
_UPSTREAM_FROM_LATEX = Text.from_latex.__func__  # type: ignore[attr-defined]
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


def is_key_listed(bibliography: Any) -> bool:
    """A bibliography whose filter is the constant ``False``: it shows its listed keys only."""
    body = getattr(bibliography.filter_, "body", None)
    return (
        bool(body)
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and body[0].value.value is False
    )


def get_filtered_entries(self: BibtexDomain, bibliography_key: Any) -> Iterable[tuple[str, Any]]:
    """Upstream behaviour, but only the listed keys for a key-listed bibliography."""
    bibliography = self.bibliographies[bibliography_key]
    if not is_key_listed(bibliography):
        return _UPSTREAM_FILTERED(self, bibliography_key)
    entries = self.bibdata.data.entries
    return [(bibliography.keyprefix + key, entries[key]) for key in bibliography.keys]


def fingerprint(entry: Any) -> str:
    """Everything of a pybtex entry that its formatting depends on."""
    persons = sorted((role, [str(p) for p in people]) for role, people in entry.persons.items())
    return repr((entry.type, sorted(entry.fields.items()), persons))


@functools.cache
def formatting_style(name: str) -> Any:
    """One pybtex style object per name and process: making one looks up plugins (slow)."""
    return pybtex.plugin.find_plugin("pybtex.style.formatting", name)()


def get_formatted_entries(
    self: BibtexDomain,
    bibliography_key: Any,
    docnames: list[str],
    tooltips: bool,
    tooltips_style: str,
) -> Iterator[tuple[Any, Any, Any]]:
    """Upstream behaviour; for a key-listed bibliography, formatted entries are reused."""
    bibliography = self.bibliographies[bibliography_key]
    if not is_key_listed(bibliography):
        yield from _UPSTREAM_FORMATTED(self, bibliography_key, docnames, tooltips, tooltips_style)
        return
    style = formatting_style(bibliography.style)
    tooltip_style = (
        (formatting_style(tooltips_style) if tooltips_style else style) if tooltips else None
    )
    cache = self.data.setdefault(CACHE, {})
    entries = dict(self.get_sorted_entries(bibliography_key, docnames))
    sorted_entries = list(style.sort(entries.values()))
    for label, entry in zip(style.format_labels(sorted_entries), sorted_entries, strict=True):
        full_label = bibliography.labelprefix + label
        stamp = (
            bibliography.style,
            full_label,
            tooltips_style if tooltips else None,
            fingerprint(entry),
        )
        hit = cache.get(entry.key)
        if hit is None or hit[0] != stamp:
            try:
                formatted = style.format_entry(full_label, entry)
                tooltip = tooltip_style.format_entry(full_label, entry) if tooltip_style else None
            except FieldIsMissing:  # let upstream report it, with its location
                yield from _UPSTREAM_FORMATTED(
                    self, bibliography_key, docnames, tooltips, tooltips_style
                )
                return
            hit = cache[entry.key] = (stamp, formatted, tooltip)
        yield entry, hit[1], hit[2]


@contextmanager
def only_entries(domain: BibtexDomain, keys: list[str]) -> Iterator[None]:
    """While a key-listed bibliography directive runs, the bib files hold only its keys."""
    entries = domain.bibdata.data.entries

    def listed(bibfiles: Any) -> Iterator[Any]:
        return (entries[key] for key in keys if key in entries)

    domain.get_entries = listed  # type: ignore[method-assign]
    try:
        yield
    finally:
        del domain.get_entries


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.bibtex")
    BibtexDomain.get_filtered_entries = get_filtered_entries  # type: ignore[method-assign]
    BibtexDomain.get_formatted_entries = get_formatted_entries  # type: ignore[method-assign]
    Text.from_latex = classmethod(from_latex)  # type: ignore[method-assign,assignment]
    BaseMultipartText.__init__ = text_init  # type: ignore[method-assign]
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
