"""After a references.bib edit, read again only the pages that use a changed record.

sphinxcontrib-bibtex 2.7.0 makes every page with a bibliography depend on the whole .bib file,
so editing one record re-read and re-wrote every topic page: about 90% of a clean build. A page
of this site depends on the records of its cards (title, authors, venue, BibTeX source, its
bibliography) and of the entries it links to (``{entry}`` and ``{cite}`` link texts).

This module keeps, for each page, the keys it uses, and keeps a digest of every record's source
text. Pages whose bibliographies are all key-listed (``{entry-bibliography}``, see
``abp_bibtexfast``) and which use no footnote citations lose the whole-file dependency; when the
.bib file changes, exactly the pages that use a record whose text changed, appeared or vanished
are read again. Any other page keeps the upstream dependency. The downloads under ``_bib/`` are
written on every build anyway. Remove it once sphinxcontrib-bibtex tracks records, not files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Set
from pathlib import Path
from typing import Any, cast

from abp_bibcheck import analyse
from abp_bibtexfast import is_key_listed
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment


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


def stamps(app: Sphinx) -> dict[str, str]:
    """A digest of each record's source text, for every configured .bib file."""
    found: dict[str, str] = {}
    for name in app.config.bibtex_bibfiles or []:
        text = (Path(app.confdir) / name).read_text(encoding="utf-8")
        for key, raw in analyse(text).raw.items():
            found.setdefault(key, hashlib.sha256(raw.encode("utf-8")).hexdigest())
    return found


def keys_used(doctree: nodes.document) -> set[str]:
    keys = {n["abp_key"] for n in doctree.findall(nodes.container) if "abp_key" in n}
    for ref in doctree.findall(addnodes.pending_xref):
        if ref.get("refdomain") == "abp":
            keys.add(ref["reftarget"])
        elif ref.get("refdomain") == "cite":
            keys.update(k.strip() for k in ref["reftarget"].split(",") if k.strip())
    return keys


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.docname
    cast(BibDepsDomain, env.get_domain("abpbib")).uses[docname] = sorted(keys_used(doctree))
    cite = env.get_domain("cite")
    own = [b for k, b in cite.bibliographies.items() if k.docname == docname]  # type: ignore[attr-defined]
    footnotes = any(
        ref.get("refdomain") == "footcite" for ref in doctree.findall(addnodes.pending_xref)
    ) or any(type(n).__name__ == "footbibliography" for n in doctree.findall(nodes.Element))
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
    new = stamps(app)
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


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("abp_cards")
    app.add_domain(BibDepsDomain)
    app.connect("doctree-read", on_doctree_read)
    app.connect("env-get-outdated", on_get_outdated)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
