"""Keep furo's sidebar navigation linear in the size of the catalogue.

furo 2025.12.19 builds the sidebar of *every* page by calling Sphinx's ``toctree(collapse=False,
titles_only=True, maxdepth=-1, includehidden=True)``. Sphinx (9.0) resolves that global toctree
by copying each document's whole table of contents, every section of it, and only then, because
of ``titles_only``, throws away everything but the document titles and nested toctrees. Every
card of this site is a section, so each page's sidebar costs work in proportion to the whole
catalogue: pages × entries for a build, the largest cost of a clean build at a few thousand
entries (profiled: 62% of a bare furo build at 2,000 entries).

This module gives furo's navigation a view of ``env.tocs`` in which each document's table of
contents is already cut down to what ``titles_only`` keeps: its top-level title entries and the
toctrees below them. The result is the same HTML for every page (a test compares them), the
work per page is proportional to the number of documents. The local table of contents ("On this
page") still reads the full ``env.tocs``: the view is swapped in only while furo computes the
navigation. Documents whose table of contents uses ``only`` nodes or sets ``tocdepth``, where
cutting first could change the result, keep their full table of contents in the view.
Set ``abp_fast_navigation = False`` to turn it off. Remove it once Sphinx prunes before copying.
"""

from __future__ import annotations

from typing import Any

import furo
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)
_UPSTREAM = furo._compute_navigation_tree
_VIEW: dict[int, dict[str, nodes.Node]] = {}  # id(env) -> titles-only tables of contents


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


def navigation_view(env: BuildEnvironment) -> dict[str, nodes.Node]:
    """The cut tables of contents, made once per build (and per writing process)."""
    view = _VIEW.get(id(env))
    if view is None:
        _VIEW.clear()
        view = _VIEW[id(env)] = {doc: titles_only_toc(env, doc) for doc in env.tocs}
    return view


def reset(app: Sphinx, env: BuildEnvironment) -> None:
    """The documents are read: any earlier view is stale."""
    _VIEW.clear()


def make_navigation_tree(app: Sphinx):
    def compute_navigation_tree(context: dict[str, Any]) -> str:
        env = app.env
        if not app.config.abp_fast_navigation or env is None:
            return _UPSTREAM(context)
        full = env.tocs
        env.tocs = navigation_view(env)
        try:
            return _UPSTREAM(context)
        finally:
            env.tocs = full

    return compute_navigation_tree


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("abp_fast_navigation", True, "html", types=frozenset({bool}))
    app.connect("env-updated", reset)
    furo._compute_navigation_tree = make_navigation_tree(app)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
