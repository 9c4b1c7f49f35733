"""abp_bibdeps: a references.bib edit reads again only the pages that use the changed record."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import warnings_of
from sphinx.testing.util import SphinxTestApp

EXTENSIONS = ["myst_parser", "abp_cards", "abp_downloads", "abp_i18n", "abp_bibstyle"]


def build(src: Path, extensions: list[str]) -> tuple[list[str], str]:
    """Build *src* (incrementally if built before); return the pages read and the warnings."""
    read: list[str] = []
    app = SphinxTestApp("html", srcdir=src, confoverrides={"extensions": extensions})
    app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))
    try:
        app.build()
    finally:
        app.cleanup()
    return sorted(read), warnings_of(app)


def edit(bib: Path, old: str, new: str) -> None:
    text = bib.read_text(encoding="utf-8")
    assert old in text
    bib.write_text(text.replace(old, new), encoding="utf-8")
    stat = bib.stat()
    os.utime(bib, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # surely newer


def project(tmp_path: Path) -> Path:
    src = tmp_path / "cards"
    shutil.copytree(Path(__file__).parent / "roots" / "test-cards", src)
    return src


def test_only_pages_using_a_changed_record_are_read(tmp_path) -> None:
    src = project(tmp_path)
    extensions = [*EXTENSIONS, "abp_bibdeps"]
    assert build(src, extensions) == (["index", "lone", "other"], "")
    bib = src / "refs.bib"
    edit(bib, "Lone Entry", "Lone Entry, Revised")  # only its card's page uses it
    assert build(src, extensions) == (["lone"], "")
    # a card on the home page, cited from the other page
    edit(bib, "title = {Tiny Models}", "title = {Tiny Models, Revised}")
    assert build(src, extensions) == (["index", "other"], "")
    home = (src / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "Tiny Models, Revised" in home
    assert "Tiny Models, Revised" in (src / "_build" / "html" / "_bib" / "index.bib").read_text(
        encoding="utf-8"
    )
    # a record that disappears: its card and the links to it say so
    text = bib.read_text(encoding="utf-8")
    tiny = text[text.index("@misc{wang-2019-tiny,") : text.index("@misc{zhou-2021-lone,")]
    edit(bib, tiny, "")
    pages, warnings = build(src, extensions)
    assert pages == ["index", "other"]
    assert "wang-2019-tiny" in warnings


def test_upstream_reads_every_page_with_a_bibliography(tmp_path) -> None:
    src = project(tmp_path)
    assert build(src, EXTENSIONS)[0] == ["index", "lone", "other"]
    edit(src / "refs.bib", "Lone Entry", "Lone Entry, Revised")
    assert build(src, EXTENSIONS)[0] == ["index"]  # the fault the module works around
