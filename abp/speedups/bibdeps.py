"""After a references.bib edit, read again only the pages that use a changed record.

sphinxcontrib-bibtex 2.7.0 makes every page with a bibliography depend on the whole .bib file,
so editing one record re-read and re-wrote every topic page: about 90% of a clean build. A page
of this site depends on the records of its cards (title, authors, venue, BibTeX source, its
bibliography) and of the entries it links to (``{entry}`` and ``{cite}`` link texts).

This module keeps, for each page, the keys it uses, and keeps a digest of every record's source
text. Pages whose bibliographies are all key-listed (``{entry-bibliography}``, see
``abp.speedups.bibliography``) and which use no footnote citations lose the whole-file
dependency; when the .bib file changes, exactly the pages that use a record whose text changed,
appeared or vanished are read again. Any other page keeps the upstream dependency. The downloads
under ``_bib/`` are written on every build anyway. Remove it once sphinxcontrib-bibtex tracks
records, not files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Set
from pathlib import Path
from typing import Any, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment

from abp.catalogue import bibfiles_of
from abp.speedups._workaround import Workaround
from abp.speedups.bibliography import is_key_listed


class BibDepsDomain(Domain):
    """Which keys each page uses, and a digest of each record as last read."""

    name = "abpbib"
    label = "references.bib dependencies"
    initial_data: dict[str, Any] = {"uses": {}, "stamps": {}}  # noqa: RUF012
    data_version = 1

    @property
    def uses(self) -> dict[str, list[str]]:
        return self.data["uses"]

    def clear_doc(self, docname: str) -> None:
        self.uses.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["uses"]:
                self.uses[docname] = otherdata["uses"][docname]

    def resolve_any_xref(self, *args: Any) -> list:
        return []


def stamps(env: BuildEnvironment) -> dict[str, str]:
    """A digest of each record's source text (the records the cards already use)."""
    found: dict[str, str] = {}
    for bib in bibfiles_of(env):
        for key, record in bib.records.items():
            found.setdefault(key, hashlib.sha256(record.raw.encode("utf-8")).hexdigest())
    return found


def scan(doctree: nodes.document) -> tuple[set[str], bool]:
    """A page's used keys (cards, entry and cite links) and whether it has footnote citations:
    one pass over the doctree."""
    keys: set[str] = set()
    footnotes = False
    for node in doctree.findall(nodes.Element):
        if isinstance(node, addnodes.pending_xref):
            domain = node.get("refdomain")
            if domain == "abp":
                keys.add(node["reftarget"])
            elif domain == "cite":
                keys.update(k.strip() for k in node["reftarget"].split(",") if k.strip())
            elif domain == "footcite":
                footnotes = True
        elif "abp_key" in node:
            keys.add(node["abp_key"])
        elif type(node).__name__ == "footbibliography":
            footnotes = True
    return keys, footnotes


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.docname
    keys, footnotes = scan(doctree)
    cast(BibDepsDomain, env.get_domain("abpbib")).uses[docname] = sorted(keys)
    cite = env.get_domain("cite")
    # the page's own bibliographies, as sphinxcontrib-bibtex registered them (an
    # {entry-bibliography} leaves no node in the doctree: its targets are on the cards)
    own = [b for key, b in cite.bibliographies.items() if key.docname == docname]  # type: ignore[attr-defined]
    if not own or footnotes or not all(is_key_listed(b) for b in own):
        return
    bibfiles = {str(Path(p).resolve()) for p in cite.bibdata.bibfiles}  # type: ignore[attr-defined]
    deps = env.dependencies.get(docname, set())
    for dep in list(deps):
        if str(Path(dep).resolve()) in bibfiles:
            deps.discard(dep)


def on_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> Iterable[str]:
    domain = cast(BibDepsDomain, env.get_domain("abpbib"))
    new = stamps(env)
    old = domain.data["stamps"]
    domain.data["stamps"] = new
    if not old:
        return []
    touched = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
    if not touched:
        return []
    return [
        docname
        for docname, keys in domain.uses.items()
        if docname not in changed and docname not in removed and touched.intersection(keys)
    ]


def apply(app: Sphinx) -> None:
    app.connect("doctree-read", on_doctree_read)
    app.connect("env-get-outdated", on_get_outdated)


def register(app: Sphinx) -> None:
    app.add_domain(BibDepsDomain)


NEEDS = "abp.catalogue"  # the extension whose work it speeds up
WORKAROUND = Workaround(
    name="bibdeps",
    fault="sphinxcontrib-bibtex makes every page with a bibliography depend on the whole .bib file",
    upstream="no report found upstream (searched mcmtroffaes/sphinxcontrib-bibtex issues)",
    versions={"sphinxcontrib-bibtex": ("2.7.0",), "sphinx": ("9.0.4",)},
    apply=apply,
)
