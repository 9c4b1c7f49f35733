"""Entry cards: one annotated resource of references.bib, written once on its home page.

Authoring syntax (MyST)::

    :::{entry} sanh-etal-2019-distilbert
    :short: DistilBERT
    :code: https://github.com/huggingface/transformers
    :lists: bert-related-papers atpapers
    :tags: distillation

    The summary, in our own words; related entries are linked with
    {entry}`TinyBERT <jiao-etal-2020-tinybert>`.
    :::

The card shows the title (linked to the paper), authors, venue and year from the bib
record, arXiv / DOI / code links, the source lists, the summary and the entry's BibTeX
with a copy button. It carries an anchor named after the key; ``{entry}`key``` links to it
from any page, and ``{entry-bibliography}`` ends a page with the bibliography of its cards
(so ``{cite}`` roles anywhere reach the entry's home page).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.locale import get_translation
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode
from sphinxcontrib.bibtex.directives import BibliographyDirective, BibliographyKey

from abp.catalogue import record_of
from abp.keys import GITHUB
from abp.model import Card, Record, group_by_page
from abp.search import index_entries
from abp.urls import unsafe_url

_ = get_translation("abp")
logger = logging.getLogger(__name__)

ARXIV_ABS = "https://arxiv.org/abs/"
#: The tags a card may carry, with their (translatable) labels.
TAGS = {
    "distillation": _("distillation"),
    "quantization": _("quantization"),
    "pruning": _("pruning"),
    "parameter-sharing": _("parameter sharing"),
    "architecture-search": _("architecture search"),
    "multilingual": _("multilingual"),
    "text-compression": _("text compression"),
    "probing": _("probing"),
    "attention-analysis": _("attention analysis"),
    "visualization": _("visualization"),
    "efficient-transformer": _("efficient Transformer"),
    "survey": _("survey"),
    "tool": _("tool"),
    "article": _("article"),
    "repository": _("repository"),
}
DOI_ORG = "https://doi.org/"


def authors_of(record: Record) -> str:
    """The authors as the page's language lists them, with the ``abp`` catalogue's patterns:
    ``A and B``, ``A, B, and C`` in English, ``A 和 B``, ``A、B 和 C`` in Chinese. A list
    that ends in BibTeX's ``and others`` ends as ``plain.bst`` writes it: ``A et al.``,
    ``A, B, et al.`` (``A 等``, ``A、B 等``)."""
    people = list(record.authors)
    others = bool(people) and people[-1].full == "others" and not people[-1].first
    names = [name.full for name in (people[:-1] if others else people)]
    if not names:
        return ""
    if others:
        if len(names) == 1:
            return _("{name} et al.").format(name=names[0])
        return _("{names}, et al.").format(names=_series(names))
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return _("{first} and {second}").format(first=names[0], second=names[1])
    return _("{names}, and {last}").format(names=_series(names[:-1]), last=names[-1])


def between(pattern: str, first: str, second: str) -> str:
    """The text a translated *pattern* puts between its ``{first}`` and ``{second}``."""
    return pattern.split("{" + first + "}", 1)[-1].split("{" + second + "}", 1)[0]


def _series(names: list[str]) -> str:
    """``A, B, C``: the names of a list but its last (``A、B、C`` in Chinese)."""
    listed = names[0]
    for name in names[1:]:
        listed = _("{names}, {name}").format(names=listed, name=name)
    return listed


def venue_of(record: Record) -> str:
    for name in ("booktitle", "journal"):
        if name in record.fields:
            return record.text(name)
    if record.arxiv_id and "eprint" in record.fields:
        return str(_("arXiv preprint"))  # the identifier is the card's first link
    return record.text("howpublished")


def default_label(record: Record) -> str:
    """``Sanh et al. (2019)``: the text of an ``{entry}`` link without an explicit title."""
    people = record.authors
    year = record.fields.get("year", "")
    if not people:
        return record.text("title", record.key)
    first = people[0].surname
    if len(people) == 2:
        first = f"{first} and {people[1].surname}"
    elif len(people) > 2:
        first += " et al."
    return f"{first} ({year})" if year else first


def github_label(url: str) -> str:
    path = url.split("github.com/", 1)[-1].strip("/")
    owner_repo = "/".join(path.split("/")[:2])
    return owner_repo if "github.com/" in url else url.split("//", 1)[-1].split("/", 1)[0]


def _para(classes: list[str], *children: nodes.Node) -> nodes.paragraph:
    para = nodes.paragraph("", "", *children, classes=classes)
    para["translatable"] = False
    return para


def _link(text: str, uri: str, classes: Iterable[str] = ()) -> nodes.reference:
    return nodes.reference("", text, refuri=uri, classes=list(classes))


class bibtex_details(nodes.General, nodes.Element):
    """A card's BibTeX, folded: ``<details>`` in HTML, a plain block elsewhere."""


def visit_details_html(self: Any, node: bibtex_details) -> None:
    classes = " ".join(["abp-bibtex", *node["classes"]])
    self.body.append(f'<details class="{classes}">')
    self.body.append(f"<summary>{self.encode(node['summary'])}</summary>")


def depart_details_html(self: Any, node: bibtex_details) -> None:
    self.body.append("</details>")


class card_action(nodes.General, nodes.Inline, nodes.Element):
    """A card's permalink (``kind="permalink"``) or its copy-the-BibTeX button (``"copy"``).

    HTML only: a link ``#`` to the card, always visible, and a real ``<button>`` (reachable by
    keyboard) that ``abp-cards.js`` shows and wires; without JavaScript it stays hidden.
    """


def visit_card_action_html(self: Any, node: card_action) -> None:
    label = self.attval(node["label"])
    if node["kind"] == "permalink":
        self.body.append(
            f'<a class="abp-permalink" href="#{self.attval(node["anchor"])}"'
            f' title="{label}" aria-label="{label}">#</a>'
        )
    else:
        done = self.attval(node["done"])
        self.body.append(
            f'<button type="button" class="abp-copy-bibtex" hidden aria-live="polite"'
            f' data-done="{done}">'
            f"{self.encode(node['label'])}</button>"
        )
    raise nodes.SkipNode


def visit_passthrough(self: Any, node: nodes.Element) -> None:
    pass


def visit_skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


class EntryDirective(SphinxDirective):
    """The card of one references.bib entry; the content is the summary."""

    required_arguments = 1
    has_content = True
    option_spec = {  # noqa: RUF012
        "short": directives.unchanged,
        "code": directives.unchanged,
        "mirrors": directives.unchanged,
        "former": directives.unchanged,
        "blog": directives.unchanged,
        "website": directives.unchanged,
        "lists": directives.unchanged,
        "headings": directives.unchanged,
        "tags": directives.unchanged,
        "gloss": directives.unchanged,
        "reviewed": directives.unchanged,
    }

    def warn(self, subtype: str, message: str, *args: Any) -> None:
        """A curator's mistake on this card: a warning at the card's file and line."""
        logger.warning(message, *args, location=self.get_location(), type="abp", subtype=subtype)

    def check_vocabulary(self, key: str, what: str, used: list[str], known: dict) -> None:
        for word in used:
            if word not in known:
                self.warn(
                    f"unknown_{what.replace(' ', '_')}",
                    "entry %r: unknown %s %r (known: %s)",
                    key,
                    what,
                    word,
                    ", ".join(known),
                )

    def addresses(self, key: str, option: str) -> list[str]:
        """The http(s) addresses of a link option; any other is reported and left out."""
        kept = []
        for url in self.options.get(option, "").split():
            why = unsafe_url(url, internal=False)
            if why:
                logger.error(
                    "entry %r: option :%s: has %r: %s",
                    key,
                    option,
                    url,
                    why,
                    location=self.get_location(),
                    type="abp",
                    subtype="unsafe",
                )
            else:
                kept.append(url)
        return kept

    def headings(self, key: str, lists: list[str]) -> dict[str, str]:
        """``:headings: slug=Heading; slug=Heading``: where each list files the entry."""
        found: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in self.options.get("headings", "").split(";"))):
            slug, _eq, heading = (x.strip() for x in part.partition("="))
            if not heading or slug not in lists:
                self.warn(
                    "bad_heading",
                    "entry %r: :headings: wants 'list=heading' for a list of :lists:, not %r",
                    key,
                    part,
                )
                continue
            found[slug] = heading
        return found

    def run(self) -> list[nodes.Node]:
        key = self.arguments[0]
        record = record_of(self.env, key)
        if record is None:
            self.warn(
                "unknown_key",
                "entry card for unknown key %r (not in references.bib)",
                key,
            )
            return []
        known_lists = self.config.abp_source_lists
        lists = self.options.get("lists", "").split()
        self.check_vocabulary(key, "source list", lists, known_lists)
        self.check_vocabulary(key, "tag", self.options.get("tags", "").split(), TAGS)
        reviewed = self.options.get("reviewed", "yes").strip()
        if reviewed not in ("yes", "no"):
            self.warn(
                "bad_reviewed",
                "entry %r: :reviewed: is 'no' (the resource could not be read) or absent, not %r",
                key,
                reviewed,
            )
        elif reviewed == "no" and self.content:
            self.warn(
                "unreviewed_summary",
                "entry %r is marked ':reviewed: no' and so carries no summary: nothing is known"
                " beyond its record and the lists' wording",
                key,
            )
        if not self.content and reviewed != "no":
            self.warn(
                "no_summary",
                "entry %r has no summary",
                key,
            )
        anchor = nodes.make_id(key)
        classes = ["abp-card", "abp-unreviewed"] if reviewed == "no" else ["abp-card"]
        card = nodes.container(classes=classes, ids=[anchor])
        card["abp_key"] = key
        self.set_source_info(card)
        self.state.document.note_explicit_target(card)
        self.env.temp_data.setdefault("abp_card_keys", []).append(key)
        cast(AbpDomain, self.env.get_domain("abp")).note_card(
            Card(
                key,
                self.env.docname,
                anchor,
                self.lineno,
                self.options.get("short", ""),
                tuple(sorted(self.options.items())),
            ),
            self.get_location(),
        )

        fields = record.fields
        title = record.text("title", key)
        paper_url = fields.get("url") or (DOI_ORG + fields["doi"] if "doi" in fields else "")
        head = _para(["abp-card-title"])
        head += _link(title, paper_url) if paper_url else nodes.strong("", title)
        if "gloss" in self.options and not self.config.language.startswith("zh"):
            head += nodes.Text(" ")
            head += nodes.emphasis("", f"({self.options['gloss']})", classes=["abp-gloss"])
        head += nodes.Text(" ")
        head += card_action(kind="permalink", anchor=anchor, label=str(_("Link to this entry")))
        card += head
        # the key and the arXiv id find the card in the search (abp.search), in either language
        card += addnodes.index(
            entries=index_entries(key, anchor, record.arxiv_id, self.options.get("former", ""))
        )

        meta = _para(["abp-card-meta"])
        who = authors_of(record)
        if who:
            meta += nodes.inline("", who, classes=["abp-authors"])
        venue, year = venue_of(record), fields.get("year", "")
        where = (
            _("{venue}, {year}").format(venue=venue, year=year) if venue and year else venue or year
        )
        if where:
            if who:  # "A and B. Venue, 2019"; in Chinese "A 和 B。Venue，2019"
                meta += nodes.Text(between(_("{authors}. {venue}"), "authors", "venue"))
            meta += nodes.inline("", where, classes=["abp-venue"])
        card += meta

        links: list[nodes.Node] = []
        if record.arxiv_id:
            links.append(_link(f"arXiv:{record.arxiv_id}", ARXIV_ABS + record.arxiv_id))
        if "doi" in fields:
            links.append(_link(f"DOI:{fields['doi']}", DOI_ORG + fields["doi"]))
        for url in self.addresses(key, "code"):
            links.append(_link(_("Code: {name}").format(name=github_label(url)), url, ["abp-code"]))
        for url in self.addresses(key, "website"):
            host = url.split("//", 1)[-1].split("/", 1)[0]
            links.append(_link(_("Website: {name}").format(name=host), url, ["abp-website"]))
        for url in self.addresses(key, "blog"):
            host = url.split("//", 1)[-1].split("/", 1)[0]
            links.append(_link(_("Blog post: {name}").format(name=host), url, ["abp-blog"]))
        for url in self.addresses(key, "mirrors"):
            links.append(
                _link(_("Also at: {name}").format(name=github_label(url)), url, ["abp-mirror"])
            )
        for url in self.addresses(key, "former"):  # a moved or renamed repository's old home
            links.append(
                _link(_("Formerly: {name}").format(name=github_label(url)), url, ["abp-former"])
            )
        if links:
            row = _para(["abp-card-links"])
            for i, link in enumerate(links):
                if i:
                    row += nodes.Text(" · ")
                row += link
            card += row

        if reviewed == "no":
            note = _(
                "Not reviewed: this resource could not be read, so it has no summary. The title"
                " is the list's wording; only the address and where the lists file it are known."
            )
            card += _para(["abp-unreviewed-note"], nodes.Text(str(note)))
        else:
            summary = nodes.container(classes=["abp-summary"])
            summary += self.parse_content_to_nodes(allow_section_headings=False)
            domain = cast(AbpDomain, self.env.get_domain("abp"))
            domain.links[key] = tuple(
                ref["reftarget"]
                for ref in summary.findall(addnodes.pending_xref)
                if ref.get("refdomain") == "abp"
            )
            card += summary

        footer = _para(["abp-card-footer"])
        headings = self.headings(key, lists)
        if lists:
            footer += nodes.inline("", _("Listed in:"), classes=["abp-label"])
            for i, slug in enumerate(lists):
                name, url = known_lists.get(slug, (slug, ""))
                footer += nodes.Text(between(_("{names}, {name}"), "names", "name") if i else "")
                footer += _link(name, url) if url else nodes.Text(name)
                if slug in headings:  # the list's own wording, not translated
                    footer += nodes.inline("", f" ({headings[slug]})", classes=["abp-heading"])
        for tag in self.options.get("tags", "").split():
            footer += nodes.Text(" ")
            footer += nodes.inline("", str(TAGS.get(tag, tag)), classes=["abp-tag"])
        if len(footer):
            card += footer

        raw = record.raw
        # "no-search": the search index keeps the card's words, not the BibTeX field names
        card += _para(
            ["abp-card-actions"],
            card_action(kind="copy", label=str(_("Copy BibTeX")), done=str(_("Copied"))),
        )
        details = bibtex_details(summary=str(_("BibTeX")), classes=["no-search"])
        block = nodes.literal_block(raw, raw, language="bibtex", classes=["abp-bibtex-code"])
        block["translatable"] = False
        details += block
        card += details
        return [card]


class EntryRole(XRefRole):
    """``{entry}`key``` (or ``{entry}`text <key>```): a link to the entry's card."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        self.name = "abp:entry"  # resolved by AbpDomain wherever the card lives
        return super().run()


class EntryRefsDirective(SphinxDirective):
    """Short cross-references to cards that live on other pages: one bib key per line.

    Used where a source list files an entry under another heading than its home. With
    ``:anchors:``, each line carries the key as its anchor, so that links to a card's old home
    (``page.html#key``) land on the line that leads to its new one.
    """

    has_content = True
    option_spec = {"anchors": directives.flag}  # noqa: RUF012

    def run(self) -> list[nodes.Node]:
        items = nodes.bullet_list(classes=["abp-entry-refs"])
        for offset, line in enumerate(self.content):
            key = line.strip()
            if not key:
                continue
            record = record_of(self.env, key)
            if record is None:
                logger.warning(
                    "cross-reference to unknown key %r (not in references.bib)",
                    key,
                    location=(self.env.docname, self.content_offset + offset + 1),
                    type="abp",
                    subtype="unknown_key",
                )
                continue
            title = record.text("title", key)
            ref = addnodes.pending_xref(
                "",
                nodes.inline(title, title),
                refdomain="abp",
                reftype="entry",
                reftarget=key,
                refexplicit=True,
                refdoc=self.env.docname,
            )
            para = _para(["abp-entry-ref-line"], ref, nodes.Text(f" — {default_label(record)}"))
            item = nodes.list_item("", para)
            if "anchors" in self.options:
                item["ids"].append(nodes.make_id(key))
            items += item
        return [items]


@contextmanager
def only_entries(domain: Any, keys: list[str]) -> Iterator[None]:
    """While a page's bibliography is made, the bib files seem to hold only the page's entries.

    sphinxcontrib-bibtex gives a bibliography directive a citation of every entry of the bib
    files, shown or not: each page would hold a hidden target for every entry, and a ``{cite}``
    could resolve to any page. With this, an entry's only citation is on its card's page.
    """
    entries = domain.bibdata.data.entries

    def listed(bibfiles: Any) -> Iterator[Any]:
        return (entries[key] for key in keys if key in entries)

    domain.get_entries = listed
    try:
        yield
    finally:
        del domain.get_entries


class EntryBibliographyDirective(BibliographyDirective):
    """Makes the cards above it (on the same page) the page's bibliography.

    A ``{cite}`` role (sphinxcontrib-bibtex) needs a bibliography holding the entry. The
    cards already show every entry in full, so this one is not printed again: each citation's
    target is put on its card, and a ``{cite}`` from any page opens the card.
    """

    required_arguments = 0
    optional_arguments = 0
    has_content = False
    option_spec = {}  # noqa: RUF012

    def run(self) -> list[nodes.Node]:
        keys = list(self.env.temp_data.get("abp_card_keys", []))
        self.content = StringList(keys)
        self.options = {"filter": "False"}  # key-listed: it shows exactly these keys
        domain = self.env.get_domain("cite")
        with only_entries(domain, keys):
            (bibliography,) = super().run()
        document = self.state.document
        value = domain.bibliographies[BibliographyKey(self.env.docname, bibliography["ids"][0])]
        for key, citation in value.citation_nodes.items():
            card = document.ids.get(nodes.make_id(key))
            if card is not None:
                for target in citation["ids"]:
                    card["ids"].append(target)
                    document.ids[target] = card
        return []


class AbpDomain(Domain):
    """Holds every card's location so that ``{entry}`` links resolve across pages."""

    name = "abp"
    label = "Annotated BERT Papers"
    object_types = {"entry": ObjType(_("entry"), "entry")}  # noqa: RUF012
    roles = {"entry": XRefRole(innernodeclass=nodes.inline)}  # noqa: RUF012
    initial_data: dict[str, Any] = {"cards": {}, "links": {}}  # noqa: RUF012
    data_version = 3

    @property
    def links(self) -> dict[str, tuple[str, ...]]:
        """The keys each card's summary links to (``{entry}``), by the card's key."""
        return self.data["links"]

    @property
    def cards(self) -> dict[str, Card]:
        return self.data["cards"]

    def note_card(self, card: Card, location: str) -> None:
        key = card.key
        if (key in self.cards and self.cards[key].docname != card.docname) or (
            key in self.cards and self.cards[key].lineno != card.lineno
        ):
            other = self.cards[key]
            logger.warning(
                "entry %r already has a card at %s:%d",
                key,
                other.docname,
                other.lineno,
                location=location,
                type="abp",
                subtype="duplicate_card",
            )
            return
        self.cards[key] = card
        self._by_doc = None

    def keys_of(self, docname: str) -> list[str]:
        """The keys carded on *docname*, in page order."""
        return self.keys_by_doc().get(docname, [])

    def keys_by_doc(self) -> dict[str, list[str]]:
        """Every page's keys in page order, grouped once per change (not once per page)."""
        if getattr(self, "_by_doc", None) is None:
            self._by_doc = {
                docname: [card.key for card in cards]
                for docname, cards in group_by_page(self.cards.values()).items()
            }
        return self._by_doc

    def clear_doc(self, docname: str) -> None:
        for key in [k for k, c in self.cards.items() if c.docname == docname]:
            del self.cards[key]
            self.links.pop(key, None)
        self._by_doc = None

    def merge_domaindata(self, docnames: set[str], otherdata: dict[str, Any]) -> None:
        for key, card in otherdata["cards"].items():
            if card.docname in docnames:
                self.cards[key] = card
                if key in otherdata["links"]:
                    self.links[key] = otherdata["links"][key]
        self._by_doc = None

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        card = self.cards.get(target)
        if card is None:
            return None
        if not node.get("refexplicit"):
            record = record_of(env, target)
            text = card.short or (default_label(record) if record is not None else target)
            contnode = nodes.inline(text, text, classes=["abp-entry-ref"])
        return make_refnode(builder, fromdocname, card.docname, card.anchor, contnode, title=target)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        ref = self.resolve_xref(env, fromdocname, builder, "entry", target, node, contnode)
        return [("abp:entry", ref)] if ref is not None else []

    def get_type_name(self, type: ObjType, primary: bool = False) -> str:
        """The type's name in the page's language (upstream prefixes the domain's label)."""
        return str(type.lname)

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for key, card in self.cards.items():
            yield key, card.short or key, "entry", card.docname, card.anchor, 1


def repository_of(url: str) -> str:
    """``owner/repo`` (lower case) of a GitHub address, ``""`` for any other address."""
    found = GITHUB.match(url)
    return f"{found.group(1)}/{found.group(2)}".lower() if found else ""


def check_code_links(app: Sphinx, env: BuildEnvironment) -> None:
    """A card that lists a repository as its code, where the repository has a card of its own,
    is linked from that card: the paper and its code reach each other."""
    domain = cast(AbpDomain, env.get_domain("abp"))
    carded: dict[str, str] = {}  # owner/repo -> the key of its card (its former homes too)
    for key, card in domain.cards.items():
        record = record_of(env, key)
        if record is not None and key.startswith("gh-"):
            for url in [record.fields.get("url", ""), *card.option("former", "").split()]:
                if repository_of(url):
                    carded[repository_of(url)] = key
    for key, card in sorted(domain.cards.items()):
        for url in card.option("code", "").split():
            repo = carded.get(repository_of(url))
            if repo and repo != key and key not in domain.links.get(repo, ()):
                logger.warning(
                    "entry %r lists %s as its code, but the card of %r does not link back to it:"
                    " add {entry}`%s` to that card's summary",
                    key,
                    url,
                    repo,
                    key,
                    location=(card.docname, card.lineno),
                    type="abp",
                    subtype="code_backlink",
                )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("abp_source_lists", {}, "env", types=[dict])
    app.connect("env-check-consistency", check_code_links)
    app.add_domain(AbpDomain)
    app.setup_extension("abp.assets")
    app.add_js_file("abp-cards.js")
    plain = (visit_passthrough, visit_passthrough)
    skip = (visit_skip, None)
    app.add_node(
        bibtex_details,
        html=(visit_details_html, depart_details_html),
        latex=plain,
        text=plain,
        man=plain,
        texinfo=plain,
    )
    app.add_node(
        card_action,
        html=(visit_card_action_html, None),
        latex=skip,
        text=skip,
        man=skip,
        texinfo=skip,
    )
    app.add_role("entry", EntryRole(innernodeclass=nodes.inline))
    app.add_directive("entry", EntryDirective)
    app.add_directive("entry-refs", EntryRefsDirective)
    app.add_directive("entry-bibliography", EntryBibliographyDirective)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        "env_version": 4,
    }


__all__ = ["AbpDomain", "EntryDirective", "authors_of", "default_label", "venue_of"]
