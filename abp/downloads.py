"""BibTeX downloads: one .bib per page (the entries carded on it) and the whole references.bib.

``{bibtex-download}`` places the links; the files are written under ``_bib/`` of the HTML
output when the build finishes, from the exact source text of each entry.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, cast

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from abp.cards import AbpDomain
from abp.catalogue import catalogue_of

_ = get_translation("abp")
BIB_DIR = "_bib"
ALL_NAME = "references.bib"


class bibtex_download(nodes.General, nodes.Element):
    """Placeholder for the download links, resolved once the builder is known."""


class BibtexDownloadDirective(SphinxDirective):
    """Links to this page's .bib and to the whole references.bib."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        node = bibtex_download(docname=self.env.docname)
        self.set_source_info(node)
        return [node]


def page_bib_name(docname: str) -> str:
    return f"{BIB_DIR}/{docname}.bib"


def resolve_downloads(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Turn each placeholder into links relative to the page (HTML), or drop it."""
    domain = cast(AbpDomain, app.env.get_domain("abp"))
    for node in list(doctree.findall(bibtex_download)):
        if app.builder.format != "html":
            node.parent.remove(node)
            continue
        here = app.builder.get_target_uri(node["docname"])
        count = len(domain.keys_of(node["docname"]))
        para = nodes.paragraph(classes=["abp-downloads"])
        para["translatable"] = False
        if count:
            text = _("Download the BibTeX of this page ({count} entries)").format(count=count)
            para += nodes.reference(
                "",
                text,
                refuri=relative_uri(here, page_bib_name(node["docname"])),
                classes=["abp-download"],
            )
            para += nodes.Text(" · ")
        para += nodes.reference(
            "",
            _("Download all references (references.bib)"),
            refuri=relative_uri(here, f"{BIB_DIR}/{ALL_NAME}"),
            classes=["abp-download"],
        )
        node.replace_self(para)


def write_bib_files(app: Sphinx, exception: Exception | None) -> None:
    """Write ``_bib/<page>.bib`` for every page with cards, and ``_bib/references.bib``."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir) / BIB_DIR
    out.mkdir(parents=True, exist_ok=True)
    catalogue = catalogue_of(app.env)
    records = catalogue.records
    for docname, cards in sorted(catalogue.cards_by_page().items()):
        target = out / f"{docname}.bib"
        target.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(card.key for card in cards)
        target.write_text("\n".join(records[k].raw for k in keys if k in records), "utf-8")
    sources = [bib.path for bib in catalogue.bibfiles]
    if len(sources) == 1:
        shutil.copyfile(sources[0], out / ALL_NAME)
    else:
        (out / ALL_NAME).write_text(
            "\n".join(Path(p).read_text(encoding="utf-8") for p in sources), encoding="utf-8"
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(bibtex_download)
    app.add_directive("bibtex-download", BibtexDownloadDirective)
    app.connect("doctree-resolved", resolve_downloads)
    app.connect("build-finished", write_bib_files)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
