"""abp.speedups.templates: templates compiled once are loaded from the cache, with the same
pages."""

from __future__ import annotations

import shutil

import jinja2
from conftest import ROOT, only_speedup, warnings_of
from sphinx.testing.util import SphinxTestApp

CONF = (
    'extensions = ["myst_parser", "abp.speedups"]\n'
    'source_suffix = {".md": "markdown"}\n'
    'html_theme = "furo"\n'
    'templates_path = ["_templates"]\n'
    'html_additional_pages = {"extra": "extra.html"}\n'
)


def site(tmp_path, name: str, cache: bool):
    src = tmp_path / name
    shutil.copytree(ROOT / "tests" / "roots" / "test-nav", src)
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "_templates").mkdir()
    (src / "_templates" / "extra.html").write_text("<p>MARK-1</p>\n", encoding="utf-8")
    overrides = only_speedup("templates" if cache else "none")
    overrides["extensions"] = ["myst_parser", "abp.speedups"]
    return src, overrides


def build(src, overrides, monkeypatch) -> tuple[list[str], object]:
    """Build once in a new application; the names of the templates Jinja compiled."""
    compiled: list[str] = []
    upstream = jinja2.Environment.compile

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return upstream(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    app = SphinxTestApp("html", srcdir=src, confoverrides=overrides)
    try:
        app.build()
    finally:
        app.cleanup()
        monkeypatch.undo()
    assert not warnings_of(app)
    return [name for name in compiled if name], app


def test_second_build_compiles_nothing_and_pages_are_unchanged(tmp_path, monkeypatch) -> None:
    src, on = site(tmp_path, "on", True)
    first, app = build(src, on, monkeypatch)
    assert "page.html" in first and "extra.html" in first
    folder = app.doctreedir / "jinja"
    assert len(list(folder.iterdir())) >= len(set(first))

    page = src / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    second, app = build(src, on, monkeypatch)
    assert second == []  # every template came from the cache
    cached = (app.outdir / "alpha.html").read_text(encoding="utf-8")
    assert "One more line." in cached

    plain_src, off = site(tmp_path, "off", False)
    (plain_src / "alpha.md").write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    upstream, plain = build(plain_src, off, monkeypatch)
    assert "page.html" in upstream and not (plain.doctreedir / "jinja").exists()
    assert (plain.outdir / "alpha.html").read_text(encoding="utf-8") == cached


def test_an_edited_template_is_compiled_again(tmp_path, monkeypatch) -> None:
    src, on = site(tmp_path, "edit", True)
    build(src, on, monkeypatch)
    (src / "_templates" / "extra.html").write_text("<p>MARK-2</p>\n", encoding="utf-8")
    again, app = build(src, on, monkeypatch)
    assert again == ["extra.html"]
    assert "MARK-2" in (app.outdir / "extra.html").read_text(encoding="utf-8")


def test_upstream_has_no_bytecode_cache(tmp_path, monkeypatch) -> None:
    """The fault: Sphinx's Jinja environment compiles every template again in every build."""
    src, off = site(tmp_path, "upstream", False)
    compiled, app = build(src, off, monkeypatch)
    assert app.builder.templates.environment.bytecode_cache is None
    assert "page.html" in compiled
