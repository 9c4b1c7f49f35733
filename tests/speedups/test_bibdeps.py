"""abp.speedups.bibdeps: a references.bib edit reads again only the pages using a changed record."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import only_speedup, warnings_of

ON = only_speedup("bibdeps", "bibliography")


def build(make_app, src: Path, overrides: dict) -> tuple[list[str], str]:
    """Build *src* (incrementally if built before); return the pages read and the warnings."""
    read: list[str] = []
    app = make_app("html", srcdir=src, confoverrides=overrides)
    app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))
    try:
        app.build()
    finally:
        app.cleanup()  # the next application registers its nodes afresh
    return sorted(read), warnings_of(app)


def edit(bib: Path, old: str, new: str) -> None:
    text = bib.read_text(encoding="utf-8")
    assert old in text
    bib.write_text(text.replace(old, new), encoding="utf-8")
    stat = bib.stat()
    os.utime(bib, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # surely newer


@pytest.mark.sphinx("html", testroot="cards", srcdir="bibdeps-on", confoverrides=ON)
def test_only_pages_using_a_changed_record_are_read(app_params, make_app) -> None:
    src = app_params.kwargs["srcdir"]
    extensions = ON
    assert build(make_app, src, extensions) == (["index", "lone", "other"], "")
    bib = src / "refs.bib"
    edit(bib, "Lone Entry", "Lone Entry, Revised")  # only its card's page uses it
    assert build(make_app, src, extensions) == (["lone"], "")
    # a card on the home page, cited from the other page
    edit(bib, "title = {Tiny Models}", "title = {Tiny Models, Revised}")
    assert build(make_app, src, extensions) == (["index", "other"], "")
    home = (src / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "Tiny Models, Revised" in home
    assert "Tiny Models, Revised" in (src / "_build" / "html" / "_bib" / "index.bib").read_text(
        encoding="utf-8"
    )
    # a record that disappears: its card and the links to it say so
    text = bib.read_text(encoding="utf-8")
    tiny = text[text.index("@misc{wang-2019-tiny,") : text.index("@misc{zhou-2021-lone,")]
    edit(bib, tiny, "")
    pages, warnings = build(make_app, src, extensions)
    assert pages == ["index", "other"]
    assert "wang-2019-tiny" in warnings


@pytest.mark.sphinx("html", testroot="cards", srcdir="bibdeps-off")
def test_upstream_reads_every_page_with_a_bibliography(app_params, make_app) -> None:
    """The fault: the pages with a bibliography depend on the whole .bib file, and the pages
    that only show or link to a record do not depend on it at all."""
    src = app_params.kwargs["srcdir"]
    assert build(make_app, src, {})[0] == ["index", "lone", "other"]
    edit(src / "refs.bib", "Lone Entry", "Lone Entry, Revised")
    assert build(make_app, src, {})[0] == ["index"]  # not "lone", whose card shows the record
