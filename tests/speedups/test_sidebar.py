"""abp.speedups.sidebar: furo's sidebar is computed from cut tables of contents, with the same
result."""

from __future__ import annotations

import pytest
from conftest import warnings_of
from docutils import nodes


def sidebars(tmp_path_factory, fast: bool) -> tuple[dict[str, str], object]:
    trees: dict[str, str] = {}

    def collect(app, pagename, templatename, context, doctree) -> None:
        trees[pagename] = context["furo_navigation_tree"]

    from shutil import copytree

    from conftest import ROOTS, only_speedup
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path_factory.mktemp("nav") / "nav"
    copytree(ROOTS / "test-nav", src)
    overrides = only_speedup("sidebar" if fast else "none")
    overrides["extensions"] = ["myst_parser", "abp.safety", "abp.speedups"]
    app = SphinxTestApp("html", srcdir=src, confoverrides=overrides)
    app.connect("html-page-context", collect, priority=900)  # after furo's own handler
    try:
        app.build()
    finally:
        app.cleanup()  # unregisters the nodes and directives, so the next app starts clean
    assert not warnings_of(app)
    return trees, app


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    return sidebars(tmp_path_factory, True), sidebars(tmp_path_factory, False)


def test_same_sidebar_on_every_page(both) -> None:
    (fast, _), (upstream, _) = both
    assert set(fast) >= {"index", "alpha", "guide/index", "guide/one", "guide/two", "hidden"}
    assert "guide/deep/leaf" in fast and fast["guide/deep/leaf"].count("current") >= 6
    assert fast == upstream
    # the sidebar is really there: nested pages, relative links, the current page marked
    assert 'href="../alpha.html"' in fast["guide/one"]
    assert "current-page" in fast["guide/one"] or 'class="current' in fast["guide/one"]
    assert "Hidden page" in fast["index"]
    assert "First card" not in fast["index"]  # titles only, as upstream


def test_view_keeps_titles_and_toctrees_only(both) -> None:
    from abp.speedups.sidebar import navigation

    (_, app), _ = both
    view = navigation(app.env).view
    refs = [r["anchorname"] for r in view["alpha"].findall(nodes.reference)]
    assert refs == [""]  # the page title, no section
    full = [r["anchorname"] for r in app.env.tocs["alpha"].findall(nodes.reference)]
    assert len(full) == 4  # the environment itself is untouched
    # a toctree under a subsection is kept; a page with tocdepth or only nodes is left whole
    assert list(view["guide/index"].findall(lambda n: n.tagname == "toctree"))
    assert view["guide/two"] is app.env.tocs["guide/two"]


def test_local_toc_keeps_sections(both) -> None:
    (_, app), _ = both
    page = (app.outdir / "alpha.html").read_text(encoding="utf-8")
    assert "#a-subsection" in page and "#second-card" in page


def test_one_tree_per_folder(tmp_path_factory, monkeypatch) -> None:
    from abp.speedups import sidebar as abp_furonav

    calls: list[str] = []

    def counting(context):
        calls.append(context["pagename"])
        return upstream_compute(context)

    upstream_compute = abp_furonav._UPSTREAM
    monkeypatch.setattr(abp_furonav, "_UPSTREAM", counting)
    trees, _ = sidebars(tmp_path_factory, True)
    assert len(trees) == 9  # eight pages and the search page (no index page: html_use_index)
    # one tree for each of the three folders; upstream for the root page, which is in no
    # toctree, and for the generated page
    folders = ["_abp_navigation_", "guide/_abp_navigation_", "guide/deep/_abp_navigation_"]
    assert sorted(calls) == sorted([*folders, "index", "search"])


def test_upstream_parses_the_whole_tree_for_every_page(tmp_path_factory, monkeypatch) -> None:
    """The fault: furo parses the full navigation tree's HTML again for every page."""
    import bs4
    from furo.navigation import get_navigation_tree

    get_navigation_tree.cache_clear()  # furo keeps earlier tests' trees
    parsed: list[int] = []
    upstream_init = bs4.BeautifulSoup.__init__

    def counting(self, markup="", *args, **kwargs):
        parsed.append(len(markup) if isinstance(markup, str) else 0)
        upstream_init(self, markup, *args, **kwargs)

    monkeypatch.setattr(bs4.BeautifulSoup, "__init__", counting)
    trees, _ = sidebars(tmp_path_factory, False)
    # one parse of the whole tree for every page whose marking differs, not one per folder
    assert len([n for n in parsed if n]) == len(set(trees.values())) > 3
