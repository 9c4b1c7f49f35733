"""Keep sphinxcontrib-bibtex linear in the size of the catalogue.

sphinxcontrib-bibtex 2.7.0 does, for *every* ``bibliography`` directive:

1. ``BibliographyDirective.run`` creates and registers a citation node for every entry of
   the bib files, whether or not the bibliography will show it;
2. ``BibtexDomain.get_filtered_entries`` evaluates the filter for every entry, and for each
   entry scans every citation reference of the project;
3. ``BibtexDomain.env_updated`` formats every cited entry with pybtex again on every build,
   incremental ones included (about 5 ms an entry), and makes a new pybtex style object for
   every bibliography, each of which scans the installed packages' entry points three times
   (about 15 ms a bibliography).

With one bibliography per topic page, (1) and (2) are pages × entries (× citations) work,
which makes the build superlinear as the catalogue grows, and (3) makes a one-page edit cost
as much formatting as a clean build.

The page bibliographies of this site (``abp.cards.EntryBibliographyDirective``) list their keys
explicitly with the filter ``False``, so only those keys can ever appear in them, and the
directive already gives them citations of their own keys only (which settles (1)). For such
*key-listed* bibliographies this module restricts (2) to the listed keys, in the order upstream
lists them (the bib files' order), and keeps each formatted entry in the environment so that
(3) formats only entries whose record, label or style changed, with one style object per style
name. Every other bibliography is left to the upstream code.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable, Iterator
from typing import Any

import pybtex.plugin
from pybtex.style.template import FieldIsMissing
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.domain import BibtexDomain

from abp.speedups._workaround import Workaround, patch

_UPSTREAM_FILTERED = BibtexDomain.get_filtered_entries
_UPSTREAM_FORMATTED = BibtexDomain.get_formatted_entries
CACHE = "abp_formatted"  # domain data: key -> (stamp, formatted entry, tooltip entry)


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
    order = file_order(self.bibdata)
    listed = sorted((key for key in bibliography.keys if key in entries), key=order.__getitem__)
    return [(bibliography.keyprefix + key, entries[key]) for key in listed]


_ORDER: dict[int, tuple[Any, dict[str, int]]] = {}


def file_order(bibdata: Any) -> dict[str, int]:
    """Each entry's place in the bib files (upstream lists a bibliography in that order)."""
    found = _ORDER.get(id(bibdata))
    if found is None or found[0] is not bibdata:
        found = _ORDER[id(bibdata)] = (bibdata, {k: i for i, k in enumerate(bibdata.data.entries)})
    return found[1]


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


def apply(app: Sphinx) -> None:
    patch(app, BibtexDomain, "get_filtered_entries", get_filtered_entries)
    patch(app, BibtexDomain, "get_formatted_entries", get_formatted_entries)


NEEDS = "abp.catalogue"  # the extension whose work it speeds up
WORKAROUND = Workaround(
    name="bibliography",
    fault="each bibliography directive handles every entry of the bib files, and every build"
    " formats every cited entry again",
    upstream="no report found upstream (searched mcmtroffaes/sphinxcontrib-bibtex issues)",
    versions={"sphinxcontrib-bibtex": ("2.7.0",), "pybtex": ("0.26.1",)},
    apply=apply,
)
