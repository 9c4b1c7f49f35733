"""Hostile pages, translations and card options, one case each: the build reports the file and
line as an error, the payload never reaches the HTML, and the rest of the page is kept."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from conftest import ROOT, ROOTS
from sphinx.util.console import strip_colors

from abp.urls import unsafe_url

SECRET = "TOP-SECRET-OF-THE-BUILD-MACHINE"


def build(
    build_edited,
    tmp_path: Path,
    root: str,
    page: str | None = None,
    msgstr: str | None = None,
    prepare=None,
    **kw,
):
    """Build a copy of tests/roots/test-<root>; *page* replaces the line ``Translate me.`` of
    index.md, *msgstr* becomes its Chinese translation. A file outside the source folder holds
    SECRET; *prepare* gets the source folder before the build. Returns the errors and warnings
    (colourless), the HTML of index.html and the output folder."""
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "secret.png").write_text(SECRET, encoding="utf-8")
    overrides = kw.pop("confoverrides", {})
    if msgstr is not None:
        overrides["language"] = "zh_CN"

    def edit(src: Path) -> None:
        if prepare is not None:
            prepare(src)
        if page is not None:
            index = src / "index.md"
            text = index.read_text(encoding="utf-8")
            index.write_text(text.replace("Translate me.", page), encoding="utf-8")
        if msgstr is not None:
            folder = src / "locale" / "zh_CN" / "LC_MESSAGES"
            folder.mkdir(parents=True)
            catalog = polib.POFile()
            catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
            catalog.append(polib.POEntry(msgid="Translate me.", msgstr=msgstr))
            catalog.save(str(folder / "index.po"))

    app, warnings = build_edited(root, edit, confoverrides=overrides, **kw)
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    return warnings, html, Path(app.outdir)


def assert_refused(warnings: str, html: str, outdir: Path, location: str, message: str) -> None:
    errors = [line for line in warnings.splitlines() if "ERROR" in line or "WARNING" in line]
    assert len(errors) == 1, warnings
    assert location in errors[0] and message in errors[0], errors[0]
    assert errors[0].endswith("[abp.unsafe]")
    assert "Kept before." in html and "Kept after." in html  # nothing else lost
    for payload in (SECRET, "alert(", "javascript:", "<script>alert", "http-equiv"):
        assert payload not in html
    assert not (outdir / "_downloads").exists() and not (outdir / "_images").exists()
    assert all(SECRET not in p.read_text(errors="replace") for p in outdir.rglob("*.*"))


PAGES = {
    "raw directive": (
        "```{raw} html\n<script>alert(7)</script>\n```",
        ":5:",
        "the 'raw' directive is not allowed on this site (it emits raw output)",
    ),
    "raw through eval-rst": (
        "```{eval-rst}\n.. raw:: html\n\n   <script>alert(8)</script>\n```",
        ":6:",
        "the 'raw' directive is not allowed",
    ),
    "raw file option": (
        "```{raw} html\n:file: ../secret.txt\n```",
        ":5:",
        "the 'raw' directive is not allowed",
    ),
    "include": (
        "```{include} ../secret.txt\n```",
        ":5:",
        "the 'include' directive is not allowed on this site (it reads a file)",
    ),
    "include through eval-rst": (
        "```{eval-rst}\n.. include:: ../secret.txt\n```",
        ":6:",
        "the 'include' directive is not allowed",
    ),
    "literalinclude": (
        "```{literalinclude} ../secret.txt\n```",
        ":5:",
        "the 'literalinclude' directive is not allowed",
    ),
    "csv-table file": (
        "```{eval-rst}\n.. csv-table::\n   :file: ../secret.txt\n```",
        ":6:",
        "csv-table: the ':file:' option is not allowed on this site (it reads a file)",
    ),
    "csv-table url": (
        "```{eval-rst}\n.. csv-table::\n   :url: https://example.org/x.csv\n```",
        ":6:",
        "csv-table: the ':url:' option is not allowed on this site (it reads a URL)",
    ),
    "meta refresh": (
        "```{eval-rst}\n.. meta::\n   :http-equiv=refresh: 0; url=https://evil.example\n```",
        ":6:",
        "the 'meta' directive is not allowed on this site (it writes <meta> tags)",
    ),
    "raw-based role": (
        "```{eval-rst}\n.. role:: html(raw)\n\n:html:`<script>alert(9)</script>`\n```",
        ":8:",
        "the 'html' role is not allowed on this site (it derives from the raw or download role)",
    ),
    "download role": (
        "{download}`the secret <../secret.txt>`",
        ":5:",
        "the 'download' role is not allowed on this site (it publishes a local file)",
    ),
    "link to a local file": (
        "[the secret](../secret.txt)",
        ":5:",
        "link to the local file '../secret.txt' refused",
    ),
    "image outside the source folder": (
        "![x](../secret.png)",
        ":5:",
        "image '../secret.png' refused: the file is outside the site's source folder",
    ),
    "image not an image": (
        "![x](conf.py)",
        ":5:",
        "image 'conf.py' refused: not an image file",
    ),
    "remote image": (
        "![x](https://tracker.example/pixel.png)",
        ":5:",
        "refused: images must be files of the site's source folder, not addresses",
    ),
    "javascript link in reST": (
        "```{eval-rst}\n`x <javascript:alert(9)>`_\n```",
        ":6:",
        "link to 'javascript:alert(9)' refused: the scheme 'javascript:'",
    ),
    "javascript named target": (
        "```{eval-rst}\n.. _evil: javascript:alert(10)\n```",
        ":6:",
        "link target 'javascript:alert(10)' refused: the scheme 'javascript:'",
    ),
    "tab-split scheme": (
        "```{eval-rst}\n`x <java\tscript:alert(11)>`_\n```",
        ":6:",
        "refused: the scheme 'javascript:'",
    ),
    "math link": (
        "{math}`\\href{javascript:alert(1)}{x}`",
        ":5:",
        "math with \\href refused (MathJax turns it into HTML)",
    ),
    "non-http link": (
        "[x](ftp://example.org/x)",
        ":5:",
        "link to 'ftp://example.org/x' refused: the scheme 'ftp:'",
    ),
}


@pytest.mark.parametrize("case", list(PAGES))
def test_hostile_page(tmp_path, case, build_edited):
    page, line, message = PAGES[case]
    warnings, html, outdir = build(build_edited, tmp_path, "unsafe", page)
    assert_refused(warnings, html, outdir, "index.md" + line, message)


def test_symlink_to_a_machine_file_is_refused(tmp_path, build_edited):
    def link(src: Path) -> None:
        (src / "pic.png").symlink_to(tmp_path / "secret.png")

    warnings, html, outdir = build(build_edited, tmp_path, "unsafe", "![x](pic.png)", prepare=link)
    message = "image 'pic.png' refused: the file is outside the site's source folder"
    assert_refused(warnings, html, outdir, "index.md:5", message)


def test_front_matter_meta_is_refused(tmp_path, build_edited):
    def front(src: Path) -> None:
        index = src / "index.md"
        meta = '---\nmyst:\n  html_meta:\n    "http-equiv=refresh": "0; url=https://evil.example"\n---\n'
        index.write_text(meta + index.read_text(encoding="utf-8"), encoding="utf-8")

    warnings, html, outdir = build(build_edited, tmp_path, "unsafe", prepare=front)
    assert_refused(warnings, html, outdir, "index.md:1:", "<meta> tags refused")


@pytest.mark.parametrize("field", ["og:url", "og:image", "description"])
def test_front_matter_head_tags_are_refused(tmp_path, build_edited, field):
    """sphinxext-opengraph copies a page's og:* and description fields into its head."""

    def front(src: Path) -> None:
        index = src / "index.md"
        meta = f'---\n"{field}": "https://evil.example/x"\n---\n'
        index.write_text(meta + index.read_text(encoding="utf-8"), encoding="utf-8")

    warnings, html, outdir = build(build_edited, tmp_path, "unsafe", prepare=front)
    assert_refused(warnings, html, outdir, "index.md:", f"front matter field {field!r} refused")
    assert "evil.example" not in html


def test_markdown_javascript_link_stays_text(tmp_path, build_edited):
    # markdown-it refuses javascript: and data: destinations; the text is shown as written
    warnings, html, _ = build(
        build_edited, tmp_path, "unsafe", "[x](javascript:alert(1)) [y](data:text/html,z)"
    )
    assert warnings == ""
    assert "href" not in html.split("Kept before.")[1].split("Kept after.")[0]


TRANSLATIONS = {
    "raw directive": (
        "```{raw} html\n<script>alert(3)</script>\n```",
        "the 'raw' directive is not allowed",
    ),
    "include": ("```{include} ../secret.txt\n```", "the 'include' directive is not allowed"),
    "literalinclude": (
        "```{literalinclude} ../secret.txt\n```",
        "the 'literalinclude' directive is not allowed",
    ),
    "eval-rst raw": (
        "```{eval-rst}\n.. raw:: html\n\n   <script>alert(4)</script>\n```",
        "the 'raw' directive is not allowed",
    ),
    "download role": (
        "翻译 {download}`秘密 <../secret.txt>`。",
        "the 'download' role is not allowed",
    ),
}


@pytest.mark.parametrize("case", list(TRANSLATIONS))
def test_hostile_translation(tmp_path, case, build_edited):
    msgstr, message = TRANSLATIONS[case]
    warnings, html, outdir = build(build_edited, tmp_path, "unsafe", msgstr=msgstr)
    assert_refused(warnings, html, outdir, "index.md:5:<translated>", message)


CARD_OPTIONS = {
    "code javascript": (":code: javascript:alert(1)", "option :code: has 'javascript:alert(1)'"),
    "blog data": (":blog: data:text/html,alert(1)", "option :blog: has 'data:text/html,alert(1)'"),
    "mirror protocol-relative": (
        ":mirrors: //evil.example/x",
        "option :mirrors: has '//evil.example/x': a protocol-relative address",
    ),
    "code relative": (":code: ../x", "option :code: has '../x': not an http(s) address"),
    "website vbscript": (":website: vbscript:x", "option :website: has 'vbscript:x'"),
}


@pytest.mark.parametrize("case", list(CARD_OPTIONS))
def test_hostile_card_option(tmp_path, case, build_edited):
    option, message = CARD_OPTIONS[case]

    def add_option(src: Path) -> None:
        index = src / "index.md"
        text = index.read_text(encoding="utf-8")
        index.write_text(text.replace(":tags: distillation", f":tags: distillation\n{option}"))

    app, warnings = build_edited("cards", add_option)
    found = [ln for ln in warnings.splitlines() if "ERROR" in ln]
    assert len(found) == 1, warnings
    assert "index.md:6:" in found[0]  # the card's first line
    assert f"entry 'nunez-li-2020-cafe': {message}" in found[0]
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    card = html.split('id="nunez-li-2020-cafe"')[1].split("abp-card-footer")[0]
    assert "javascript:" not in card and "data:text" not in card and "evil.example" not in card
    assert 'href="https://arxiv.org/abs/2001.00001"' in card  # the card's other links are kept


@pytest.mark.parametrize(
    ("uri", "why"),
    [
        ("https://example.org/a?b#c", None),
        ("http://example.org", None),
        ("papers/probing.html#x", None),
        ("#anchor", None),
        ("JavaScript:alert(1)", "the scheme 'javascript:' (only http and https are allowed)"),
        (" \njavascript:alert(1)", "the scheme 'javascript:' (only http and https are allowed)"),
        ("vbscript:x", "the scheme 'vbscript:' (only http and https are allowed)"),
        ("file:///etc/passwd", "the scheme 'file:' (only http and https are allowed)"),
        ("mailto:a@example.org", "the scheme 'mailto:' (only http and https are allowed)"),
        ("//evil.example/x", "a protocol-relative address (write https://)"),
        ("\\\\evil.example\\x", "a protocol-relative address (write https://)"),
        ("https:///nohost", "an address without a host"),
        ("", "an empty address"),
    ],
)
def test_unsafe_url(uri, why):
    assert unsafe_url(uri) == why


def sphinx_build(src: Path, out: Path) -> str:
    """``sphinx-build`` as the site runs it (it reads a docutils.conf beside conf.py)."""
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOTS)},  # base_conf
    )
    return strip_colors(run.stderr)


def test_a_docutils_conf_that_turns_raw_on_is_an_error(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-unsafe", src)
    (src / "docutils.conf").write_text("[general]\nraw_enabled: true\n", encoding="utf-8")
    (src / "index.md").write_text("# T\n\n```{raw} html\n<script>alert(1)</script>\n```\n")
    warnings = sphinx_build(src, tmp_path / "out")
    assert "docutils setting 'raw_enabled' is True, must be False" in warnings
    assert "the 'raw' directive is not allowed" in warnings
    assert "alert(" not in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_the_docutils_conf_of_the_site_keeps_both_settings_off(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-unsafe", src)
    shutil.copy(ROOT / "docs" / "docutils.conf", src / "docutils.conf")
    assert sphinx_build(src, tmp_path / "out") == ""


def site_copy(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(ROOT, site, ignore=shutil.ignore_patterns("build", ".nox", ".git"))
    return site


def site_build(site: Path, lang: str, out: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(site / "tools" / "site.py"), "--lang", lang, "--out", str(out)]
    return subprocess.run(command, capture_output=True, text=True)


@pytest.mark.site
def test_hostile_page_stops_the_site_build(tmp_path):
    site = site_copy(tmp_path)
    page = site / "docs" / "papers" / "compression.md"
    text = page.read_text(encoding="utf-8")
    payload = "```{eval-rst}\n.. raw:: html\n\n   <script>alert(7)</script>\n```\n\n"
    page.write_text(text.replace("\n## ", "\n" + payload + "## ", 1), encoding="utf-8")
    line = text[: text.index("\n## ")].count("\n") + 3
    run = site_build(site, "en", tmp_path / "out")
    assert run.returncode != 0
    stderr = strip_colors(run.stderr)
    assert f"compression.md:{line}: ERROR: the 'raw' directive is not allowed" in stderr
    assert "Traceback" not in stderr
    built = tmp_path / "out" / "html" / "en" / "papers" / "compression.html"
    assert not built.exists() or "alert(7)" not in built.read_text(encoding="utf-8")


@pytest.mark.site
def test_hostile_translation_stops_the_site_build(tmp_path):
    site = site_copy(tmp_path)
    po_path = site / "locale" / "zh_CN" / "LC_MESSAGES" / "papers" / "compression.po"
    catalog = polib.pofile(str(po_path), wrapwidth=0)
    entry = next(e for e in catalog if e.msgid.startswith("Most earlier work distilled BERT"))
    entry.msgstr = "```{include} ../../../../../../../../etc/passwd\n```"
    catalog.save(str(po_path))
    run = site_build(site, "zh_CN", tmp_path / "out")
    assert run.returncode != 0
    stderr = strip_colors(run.stderr)
    assert (
        "compression.md:" in stderr and "<translated>:1: ERROR: the 'include' directive" in stderr
    )
    assert "Traceback" not in stderr
    for page in (tmp_path / "out" / "html").rglob("*.html"):
        assert "root:x:0:0" not in page.read_text(encoding="utf-8")


def test_walk_finds_what_findall_finds(tmp_path):
    from docutils.core import publish_doctree

    from abp.safety import CHECKED, walk

    text = "A `link <https://example.org>`_ and *x* [#]_.\n\n.. [#] note `b <https://b.org>`_\n"
    doc = publish_doctree(text * 3, settings_overrides={"report_level": 5})
    assert walk(doc, CHECKED) == list(doc.findall(lambda n: isinstance(n, CHECKED)))
    assert len(walk(doc, CHECKED)) == 12
