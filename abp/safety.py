"""Untrusted input: no page, translation or record puts markup or a build-machine file on the site.

Pages, ``.po`` files and bib records come from contributors and are published as they build,
so whatever syntax reaches docutils (MyST, ``{eval-rst}``, a msgstr) is held to the same rules:

- docutils' ``raw_enabled`` and ``file_insertion_enabled`` are off in the environment's settings
  (which Sphinx passes to docutils for every page); ``docs/docutils.conf`` says the same, so a
  docutils configuration file elsewhere on the machine is not read;
- the directives and roles that emit raw output or read a file or URL (``raw``, ``include``,
  ``literalinclude``, ``meta``, ``csv-table`` with ``:file:`` or ``:url:``, the ``raw`` and
  ``download`` roles) are replaced by ones that report an error and emit nothing;
- front matter may not set the tags of a page's head (``og:*`` fields, ``description``), which
  sphinxext-opengraph would copy into it;
- every document is then checked, whatever produced its nodes: no raw node, no meta tag, no
  download of a local file, images only from files inside the source folder, and every link
  http(s) or relative. Each offending node is removed and reported with its file and line.

Every report is an error (``abp.unsafe``), so a ``-W`` build fails and names the place.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from docutils import nodes
from docutils.parsers.rst.directives.tables import CSVTable
from docutils.utils import get_source_line
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from abp.urls import CONTROL, unsafe_url

logger = logging.getLogger(__name__)

#: docutils settings that must stay off in every build.
SETTINGS = {"raw_enabled": False, "file_insertion_enabled": False}
#: Directives that emit raw output or read a file, and why each is refused.
BLOCKED_DIRECTIVES = {
    "raw": "emits raw output",
    "include": "reads a file",
    "literalinclude": "reads a file",
    "meta": "writes <meta> tags",
}
BLOCKED_ROLES = {
    "raw": "emits raw output",
    "download": "publishes a local file",
}
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"})
#: MathJax macros that make links, HTML attributes or load code (``\href{javascript:…}``).
MATH_MARKUP = re.compile(r"\\(href|url|class|cssId|style|data|html\w*|require|unicode)\b")


#: Page metadata (front matter) that sphinxext-opengraph turns into tags of the page's head.
METADATA_REFUSED = ("og:", "ogp_", "description")


def report(node: nodes.Node | str, message: str, *args: Any) -> None:
    """Log an ``abp.unsafe`` error at *node* (or a ``file:line``) once.

    Sphinx parses a translated message more than once; the same place is reported once.
    """
    if isinstance(node, nodes.Node):
        source, line = get_source_line(node)
        if source is None:  # a node made without a place, as MyST's front-matter <meta>
            source = node.document["source"] if node.document else "?"
        node = f"{source}:{line or 1}"
    seen = _reported.setdefault(node, set())
    if (message, args) in seen:
        return
    seen.add((message, args))
    logger.error(message, *args, location=node, type="abp", subtype="unsafe")


#: Reports made, by source: cleared for each document read.
_reported: dict[str, set[tuple[Any, ...]]] = {}


def forget_reports(app: Sphinx, docname: str, source: list[str]) -> None:
    _reported.clear()


class BlockedDirective(SphinxDirective):
    """Stands in for a directive that may not be used: an error, and nothing emitted."""

    has_content = True
    optional_arguments = 50
    final_argument_whitespace = True
    option_spec = None  # any option: the directive is refused whatever it is given

    def run(self) -> list[nodes.Node]:
        why = BLOCKED_DIRECTIVES.get(self.name, "is not allowed")
        report(
            self.get_location(),
            "the %r directive is not allowed on this site (it %s)",
            self.name,
            why,
        )
        return []


class SafeCSVTable(CSVTable):
    """``csv-table`` with its data in the page only (``:file:`` and ``:url:`` read files)."""

    def run(self) -> list[nodes.Node]:
        for option in ("file", "url"):
            if option in self.options:
                source, line = self.state_machine.get_source_and_line(self.lineno)
                report(
                    f"{source}:{line}",
                    "csv-table: the ':%s:' option is not allowed on this site (it reads %s);"
                    " put the rows in the page",
                    option,
                    "a file" if option == "file" else "a URL",
                )
                return []
        return super().run()


def blocked_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: dict[str, Any] | None = None,
    content: list[str] | None = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """Stands in for a role that may not be used: an error, and nothing emitted."""
    why = BLOCKED_ROLES.get(name.lower(), "derives from the raw or download role")
    source, line = inliner.reporter.get_source_and_line(lineno)
    report(f"{source}:{line}", "the %r role is not allowed on this site (it %s)", name, why)
    return [], []


def inside(path: Path, folder: Path) -> bool:
    """Whether *path*, with every symbolic link followed, lies inside *folder*."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return False


LINKS = (nodes.reference, nodes.target, addnodes.toctree)
#: What the read-time check looks at, in one pass over the document.
CHECKED = (
    *LINKS,
    nodes.raw,
    addnodes.download_reference,
    nodes.meta,
    nodes.math,
    nodes.math_block,
    nodes.image,
)


def check_link(node: nodes.Element, refused: set[str]) -> None:
    """Remove and report a link whose address is not http(s) or relative."""
    if isinstance(node, addnodes.toctree):
        kept = []
        for title, ref in node["entries"]:
            if ref and (why := unsafe_url(ref)):
                report(node, f"table-of-contents entry {ref!r} refused: {why}")
            else:
                kept.append((title, ref))
        node["entries"] = kept
        return
    uri = node.get("refuri")
    if not uri or not (why := unsafe_url(uri)):  # "": Sphinx's link to the page itself
        return
    if isinstance(node, nodes.reference):
        report(node, f"link to {uri!r} refused: {why}")
        refused.add(uri)
        node.replace_self(nodes.Text(node.astext()))
    else:
        if uri not in refused:  # a named target that no link uses
            report(node, f"link target {uri!r} refused: {why}")
        del node["refuri"]


def walk(root: nodes.Node, types: tuple[type, ...]) -> list[nodes.Node]:
    """The nodes of the given types under *root*, in document order.

    The same as ``list(root.findall(lambda n: isinstance(n, types)))``, in half the time (no
    generator per node); this check runs over every document of every build.
    """
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if isinstance(node, types):
            found.append(node)
        if isinstance(node, nodes.Element):
            stack.extend(reversed(node.children))
    return found


def check_links(document: nodes.document) -> None:
    refused: set[str] = set()
    for node in walk(document, LINKS):
        check_link(node, refused)


class CheckUntrusted(SphinxTransform):
    """Every read document, translated or not: refuse what would carry markup or a file."""

    default_priority = 870  # after Locale (20) and docutils' references (up to 700); before
    # doctree-read (880), where the collectors register images and downloads to copy

    def apply(self, **kwargs: Any) -> None:
        settings = self.document.settings
        for name, wanted in SETTINGS.items():
            if getattr(settings, name, None) != wanted:
                report(
                    self.document,
                    "docutils setting %r is %r, must be %r (a docutils.conf on this machine?)",
                    name,
                    getattr(settings, name, None),
                    wanted,
                )
        for docinfo in self.document.findall(nodes.docinfo):
            for field in list(docinfo.findall(nodes.field)):
                name = field[0].astext()
                if name.lower().startswith(METADATA_REFUSED):
                    report(
                        f"{self.document['source']}:1",  # the front matter opens the page
                        f"front matter field {name!r} refused: the site writes every page's"
                        " OpenGraph tags and description itself",
                    )
                    field.parent.remove(field)
        srcdir = Path(self.env.srcdir)
        refused: set[str] = set()
        for node in walk(self.document, CHECKED):
            if isinstance(node, addnodes.download_reference):  # a reference: ask first
                report(
                    node,
                    f"link to the local file {node.get('reftarget', '')!r} refused: link to a"
                    " page of the site or to an http(s) address",
                )
                node.replace_self(nodes.Text(node.astext()))
            elif isinstance(node, LINKS):
                check_link(node, refused)
            elif isinstance(node, nodes.raw):
                report(node, "raw output refused (raw HTML, LaTeX or other markup)")
                node.parent.remove(node)
            elif isinstance(node, nodes.meta):
                report(node, "<meta> tags refused")
                node.parent.remove(node)
            elif isinstance(node, (nodes.math, nodes.math_block)):
                if found := MATH_MARKUP.search(node.astext()):
                    report(node, f"math with {found.group(0)} refused (MathJax turns it into HTML)")
                    node.parent.remove(node)
            elif why := self.unsafe_image(node.get("uri", ""), srcdir):
                report(node, f"image {node.get('uri', '')!r} refused: {why}")
                node.parent.remove(node)

    def unsafe_image(self, uri: str, srcdir: Path) -> str | None:
        plain = CONTROL.sub("", uri)
        if urlsplit(plain).scheme or plain.startswith("//"):
            return "images must be files of the site's source folder, not addresses"
        if "*" in plain:
            return "name the image file (no wildcards)"
        _rel, full = self.env.relfn2path(plain, self.env.docname)
        path = Path(full)
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            return f"not an image file (allowed: {', '.join(sorted(IMAGE_SUFFIXES))})"
        if not inside(path, srcdir):
            return "the file is outside the site's source folder"
        return None


class CheckResolvedLinks(SphinxPostTransform):
    """Links made after reading (bibliographies, resolved references): http(s) or relative."""

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        check_links(self.document)


def use_safe_settings(app: Sphinx) -> None:
    app.env.settings.update(SETTINGS)


def setup(app: Sphinx) -> dict[str, Any]:
    for name in BLOCKED_DIRECTIVES:
        app.add_directive(name, BlockedDirective, override=True)
    app.add_directive("csv-table", SafeCSVTable, override=True)
    for name in BLOCKED_ROLES:
        app.add_role(name, blocked_role, override=True)
    app.connect("builder-inited", use_safe_settings)
    app.connect("source-read", forget_reports)
    app.add_transform(CheckUntrusted)
    app.add_post_transform(CheckResolvedLinks)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


__all__ = ["SETTINGS", "inside", "unsafe_url"]
