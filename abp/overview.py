"""``{catalogue-overview}``: what the site holds, counted from the cards, for the landing page.

A sentence of totals (entries, papers, articles, code repositories, books; how many are
summarised and how many could not be read; how many are in Chinese) and a table with one row
per page that holds cards, in the order of the site's navigation, each linked to its page.

The counts need every page's cards, so the directive leaves a placeholder that is filled in
when the page is written (``doctree-resolved``), and the page holding it is read again
whenever any page is (``env-get-outdated``), so it never shows stale counts.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective

from abp.catalogue import record_of
from abp.model import Card, group_by_page

_ = get_translation("abp")

KINDS = ("paper", "article", "repository", "book")


class catalogue_overview(nodes.General, nodes.Element):
    """Placeholder: replaced by the totals and the table once every page's cards are known."""


def kind_of(card: Card, record: Any) -> str:
    """``paper``, ``article``, ``repository`` or ``book``: what the entry is, for readers."""
    tags = dict(card.options).get("tags", "").split()
    if "repository" in tags or card.key.startswith("gh-"):
        return "repository"
    if "article" in tags:
        return "article"
    if record is not None and record.type == "book":
        return "book"
    return "paper"


def language_of(record: Any) -> str:
    return (record.fields.get("language", "") if record is not None else "").lower()


class OverviewDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        self.env.metadata[self.env.docname]["abp_overview"] = True
        node = catalogue_overview()
        self.set_source_info(node)
        return [node]


def navigation_order(env: BuildEnvironment) -> list[str]:
    """Every page reachable from the root, depth first, as the sidebar lists them."""
    order: list[str] = []

    def visit(docname: str) -> None:
        if docname in order:
            return
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    visit(env.config.root_doc)
    return order


def _cell(*children: nodes.Node) -> nodes.entry:
    return nodes.entry("", nodes.paragraph("", "", *children))


def table_of(app: Sphinx, fromdocname: str, rows: list[tuple[str, Counter]]) -> nodes.table:
    heads = [_("Page"), _("Entries"), _("Papers"), _("Articles"), _("Code"), _("Not reviewed")]
    table = nodes.table(classes=["abp-overview-table"])
    group = nodes.tgroup(cols=len(heads))
    table += group
    for _head in heads:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    group += head
    head += nodes.row("", *(_cell(nodes.Text(str(h))) for h in heads))
    body = nodes.tbody()
    group += body
    for docname, counts in rows:
        title = app.env.titles[docname].astext()
        link = nodes.reference(
            "", title, internal=True, refuri=app.builder.get_relative_uri(fromdocname, docname)
        )
        body += nodes.row(
            "",
            _cell(link),
            *(
                _cell(nodes.Text(str(counts[name])))
                for name in ("entries", "paper", "article", "repository", "unreviewed")
            ),
        )
    return table


def fill(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    placeholders = list(doctree.findall(catalogue_overview))
    if not placeholders:
        return
    env = app.env
    by_page = group_by_page(env.get_domain("abp").cards.values())
    total: Counter = Counter()
    rows = []
    order = navigation_order(env)
    order += sorted(set(by_page) - set(order))  # pages outside the navigation (orphans) last
    for docname in order:
        counts: Counter = Counter()
        for card in by_page.get(docname, []):
            record = record_of(env, card.key)
            counts["entries"] += 1
            counts[kind_of(card, record)] += 1
            counts["unreviewed"] += not card.reviewed
            counts["chinese"] += language_of(record) == "chinese"
        if counts:
            rows.append((docname, counts))
            total += counts
    summary = _(
        "Entries: {entries} (papers: {paper}; articles: {article}; code repositories:"
        " {repository}; books: {book}). Summarised here: {reviewed}; not reviewed (could not"
        " be read, only what is known): {unreviewed}. Written in Chinese: {chinese}."
    ).format(
        entries=total["entries"],
        reviewed=total["entries"] - total["unreviewed"],
        **{name: total[name] for name in (*KINDS, "unreviewed", "chinese")},
    )
    for placeholder in placeholders:
        placeholder.replace_self(
            [
                nodes.paragraph("", str(summary), classes=["abp-overview"]),
                table_of(app, fromdocname, rows),
            ]
        )


def always_update(
    app: Sphinx, env: BuildEnvironment, added: set, changed: set, removed: set
) -> list[str]:
    """The pages with an overview, whenever another page is read again."""
    if not (added or changed or removed):
        return []
    return [doc for doc, meta in env.metadata.items() if meta.get("abp_overview")]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(catalogue_overview)
    app.add_directive("catalogue-overview", OverviewDirective)
    app.connect("doctree-resolved", fill)
    app.connect("env-get-outdated", always_update)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


__all__ = ["kind_of", "navigation_order"]
