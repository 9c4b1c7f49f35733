"""Keep furo's sidebar navigation linear in the size of the site.

furo 2025.12.19 builds the sidebar of *every* page by calling Sphinx's ``toctree(collapse=False,
titles_only=True, maxdepth=-1, includehidden=True)`` and post-processing the HTML with
BeautifulSoup. Two costs grow with the site, on every page:

1. Sphinx (9.0) resolves that global toctree by copying each document's whole table of
   contents, every section of it, and only then, because of ``titles_only``, drops everything
   but document titles and nested toctrees: pages x sections for a build (profiled: 62% of a
   bare furo build at 2,000 entries, where every entry is a section).
2. Even with (1) fixed, each page's sidebar lists every page, and making it (toctree nodes,
   HTML writer, BeautifulSoup) costs about 0.1 ms a listed page: pages x pages for a build.

For (1), furo's navigation sees a view of ``env.tocs`` in which each document's table of
contents is already cut down to what ``titles_only`` keeps: its top-level title entries and the
toctrees below them. Documents whose table of contents uses ``only`` nodes or sets
``tocdepth``, where cutting first could change the result, keep their full one. The local table
of contents ("On this page") still reads the full ``env.tocs``.

For (2), the sidebar is made once per folder, as furo makes it, for a page that is in no
toctree (so nothing is marked current and the relative links are right for that folder). Each
page then gets a copy in which its own link and the items and lists above it are marked the way
Sphinx and furo mark them: ``current`` on the branch, ``current-page`` on the page's item,
``href="#"`` on its link and ``checked`` on the checkboxes that open the branch. A page whose
link is not in the tree exactly once (the root page, generated pages) gets furo's own result.
Tests compare the sidebar of every page with furo's, and the whole site was compared too.

Remove it once Sphinx prunes before copying and furo can reuse one tree (furo's open pull
request pradyunsg/furo#939 reuses one parsed tree per build for the second cost).
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from typing import Any

import furo
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from abp.speedups._workaround import Workaround, patch

logger = logging.getLogger(__name__)
_UPSTREAM = furo._compute_navigation_tree


def titles_only_toc(env: BuildEnvironment, docname: str) -> nodes.Node:
    """*docname*'s table of contents as ``titles_only`` sees it: titles and toctrees."""
    toc = env.tocs[docname]
    if env.metadata[docname].get("tocdepth", 0) or any(toc.findall(addnodes.only)):
        return toc
    cut = toc.copy()
    for top_level in toc.children:
        if not isinstance(top_level, nodes.list_item) or len(top_level) < 2:
            cut += top_level.deepcopy()
            continue
        item = top_level.copy()
        item += top_level[0].deepcopy()
        if subtrees := list(top_level.findall(addnodes.toctree)):
            sublist = top_level[1].copy()
            sublist.extend(subtree.deepcopy() for subtree in subtrees)
            item += sublist
        item += [child.deepcopy() for child in top_level[2:]]
        cut += item
    return cut


class Navigation:
    """What every page of one build shares: the cut tables of contents, and the sidebar of
    each folder before any page is marked (its HTML and where its links sit)."""

    def __init__(self, env: BuildEnvironment) -> None:
        self.env = env
        self.trees: dict[str, tuple[str, Branches]] = {}  # folder's neutral page -> tree
        self._view: dict[str, nodes.Node] | None = None

    @property
    def view(self) -> dict[str, nodes.Node]:
        if self._view is None:
            self._view = {doc: titles_only_toc(self.env, doc) for doc in self.env.tocs}
        return self._view


_BUILD: Navigation | None = None  # the current build's (and writing process's)


def navigation(env: BuildEnvironment) -> Navigation:
    global _BUILD
    if _BUILD is None or _BUILD.env is not env:
        _BUILD = Navigation(env)
    return _BUILD


def reset(app: Sphinx, env: BuildEnvironment) -> None:
    """The documents are read: any earlier view or tree is stale."""
    global _BUILD
    _BUILD = None


_TRACKED = frozenset({"li", "ul", "a", "p", "span", "label", "svg"})  # elements with end tags


class Branches(HTMLParser):
    """Where each link of a navigation tree sits: its start tag and its li and ul parents'.

    Only offsets into the HTML furo made are recorded; the HTML itself is not rebuilt.
    """

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0]
        for line in html.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.open: list[tuple[str, int, str]] = []  # (tag, offset, start tag as written)
        self.links: dict[str, list[list[tuple[str, int, str]]]] = {}
        self.checkbox: dict[int, tuple[int, str]] = {}  # li offset -> its checkbox input
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        here = (tag, self.line_starts[line - 1] + column, self.get_starttag_text() or "")
        if tag == "a" and (href := dict(attrs).get("href")) is not None:
            chain = [item for item in self.open if item[0] in ("li", "ul")]
            self.links.setdefault(href, []).append([*chain, here])
        elif tag == "input" and self.open and self.open[-1][0] == "li":
            self.checkbox[self.open[-1][1]] = here[1:]
        if tag in _TRACKED:
            self.open.append(here)

    def handle_endtag(self, tag: str) -> None:
        if tag in _TRACKED:
            while self.open and self.open.pop()[0] != tag:
                pass


def add_class(tag: str, name: str, position: int | None = None) -> str:
    """*tag* (a start tag as written) with *name* added to its classes at *position*."""
    match = re.search(r' class="([^"]*)"', tag)
    if match is None:
        head = re.match(r"<\w+", tag).end()  # type: ignore[union-attr]
        return f'{tag[:head]} class="{name}"{tag[head:]}'
    classes = match.group(1).split()
    classes.insert(len(classes) if position is None else position, name)
    return tag[: match.start(1)] + " ".join(classes) + tag[match.end(1) :]


def add_attribute(tag: str, name: str) -> str:
    """*tag* with an empty attribute *name*, in name order as BeautifulSoup writes them."""
    later = [m.start() for m in re.finditer(r" ([\w:-]+)=", tag) if m.group(1) > name]
    cut = later[0] if later else len(tag) - (2 if tag.endswith("/>") else 1)
    return f'{tag[:cut]} {name}=""{tag[cut:]}'


def mark_current(branches: Branches, html: str, href: str) -> str | None:
    """*html*, a navigation tree made for a page outside it, with the page at *href* marked
    current the way Sphinx and furo mark it; None unless that link is there exactly once."""
    chains = branches.links.get(href, [])
    if len(chains) != 1:
        return None
    *parents, (_, link_at, link) = chains[0]
    marked = add_class(link, "current", 0).replace(f'href="{href}"', 'href="#"', 1)
    edits = [(link_at, link, marked)]
    deepest = max(offset for tag, offset, _ in parents if tag == "li")
    for tag, offset, text in parents:
        if tag == "ul":  # Sphinx: the bullet list gets "current" after its classes
            edits.append((offset, text, add_class(text, "current")))
            continue
        new = add_class(text, "current", 1)  # Sphinx: after "toctree-lN"
        if offset == deepest:
            new = add_class(new, "current-page")  # furo: the last current item
        edits.append((offset, text, new))
        if offset in branches.checkbox:  # furo: a current item's children are shown
            box_at, box = branches.checkbox[offset]
            edits.append((box_at, box, add_attribute(box, "checked")))
    for offset, old, new in sorted(edits, reverse=True):
        html = html[:offset] + new + html[offset + len(old) :]
    return html


def make_navigation_tree(app: Sphinx):
    def upstream(context: dict[str, Any]) -> str:
        env = app.env
        full = env.tocs
        env.tocs = navigation(env).view
        try:
            return _UPSTREAM(context)
        finally:
            env.tocs = full

    def compute_navigation_tree(context: dict[str, Any]) -> str:
        env, builder = app.env, app.builder
        pagename = context.get("pagename", "")
        if env is None:
            return _UPSTREAM(context)
        if "toctree" not in context or pagename not in env.all_docs:
            return upstream(context)
        outside = posixpath.join(posixpath.dirname(pagename), "_abp_navigation_")
        trees = navigation(env).trees
        if outside not in trees:
            html = upstream(
                {
                    "pagename": outside,
                    "toctree": lambda **kw: builder._get_local_toctree(outside, **kw),
                }
            )
            trees[outside] = (html, Branches(html))
        html, branches = trees[outside]
        marked = mark_current(branches, html, builder.get_relative_uri(outside, pagename))
        return upstream(context) if marked is None else marked

    return compute_navigation_tree


def apply(app: Sphinx) -> None:
    app.connect("env-updated", reset)
    patch(app, furo, "_compute_navigation_tree", make_navigation_tree(app))


WORKAROUND = Workaround(
    name="sidebar",
    fault="furo remakes and re-parses the whole navigation tree for every page, and Sphinx copies"
    " every section before pruning it to titles",
    upstream="https://github.com/pradyunsg/furo/pull/939 (open: one tree per build)",
    versions={"furo": ("2025.12.19",), "sphinx": ("9.0.4",)},
    apply=apply,
)
