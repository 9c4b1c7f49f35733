"""Shared fixtures: Sphinx's test fixtures over the roots in tests/roots/, the tools on sys.path.

A test builds a root with ``@pytest.mark.sphinx("html", testroot="cards")`` and the ``app``
fixture (``sphinx.testing.fixtures``, enabled in pyproject.toml); the roots share
``roots/base_conf.py``. A test that edits its root names a ``srcdir`` of its own.

``site`` is the whole bilingual site, built once per test run (``tools/site.py``, zero
warnings) and shared by tests/test_site.py and the browser tests (tests/browser/).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.util.console import strip_colors

ROOT = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"
sys.path.insert(0, str(ROOTS))  # base_conf, imported by every root's conf.py
sys.path.insert(0, str(ROOT / "tools"))


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The whole bilingual site, built once per run as ``nox -s docs`` builds it (zero warnings):
    its ``html`` folder, with ``en/``, ``zh_CN/`` and the root files."""
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "site.py"), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr and "ERROR" not in run.stderr, run.stderr
    return out / "html"


def site_tool():
    """``tools/site.py`` as a module (by path: ``site`` is also a module of Python's own)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("abp_site_tool", ROOT / "tools" / "site.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def site_file(site: Path, url: str) -> Path:
    """The file of the built *site* that an absolute URL or path of the published site names
    (``abp_base_url`` as ``docs/conf.py`` sets it: ``ABP_BASE_URL`` or its default); a folder's
    is its ``index.html``, as servers give it."""
    from urllib.parse import urljoin, urlsplit

    base = site_tool().site_base_url()
    absolute = urljoin(base, url)
    assert absolute.startswith(base), f"{url} is outside the site ({base})"
    path = urlsplit(absolute[len(base) :]).path
    return site / (path + "index.html" if path.endswith("/") or not path else path)


def warnings_of(app) -> str:
    """Every warning the build printed, without colours (the tests require none)."""
    return strip_colors(app.warning.getvalue())


@pytest.fixture
def built(app):
    """The ``app`` of the test's ``sphinx`` mark, built."""
    app.build()
    return app


def only_speedup(*names: str, **more) -> dict:
    """confoverrides that enable the named speed-ups and leave every other one off."""
    from abp.speedups import NAMES

    return {
        "extensions": ["myst_parser", "abp", "abp.speedups"],
        "abp_speedups_off": [name for name in NAMES if name not in names],
        **more,
    }


def check_text(text: str) -> list:
    """Every problem of a .bib text, checked against the site's proper nouns."""
    from abp import model
    from abp.checks import bib

    return bib.validate(model.parse(text), bib.load_proper_nouns(PROPER_NOUNS))


def check_file(path) -> list:
    """Every problem of a .bib file (an unreadable one included)."""
    from abp import model
    from abp.checks import bib

    return bib.validate(model.read(path), bib.load_proper_nouns(PROPER_NOUNS))


PROPER_NOUNS = ROOT / "docs" / "_data" / "proper_nouns.txt"


@pytest.fixture
def build_edited(make_app, tmp_path):
    """Build a copy of a root after *edit* changed it: ``build_edited("cards", edit)`` gives the
    application and its warnings (for tests whose root or edit is a parameter)."""
    import shutil

    def build(root: str, edit=None, **kwargs):
        src = tmp_path / f"{root}-edited"
        shutil.copytree(ROOTS / f"test-{root}", src)
        if edit is not None:
            edit(src)
        app = make_app(kwargs.pop("buildername", "html"), srcdir=src, **kwargs)
        try:
            app.build()
        finally:
            app.cleanup()
        return app, warnings_of(app)

    return build
