"""Shared fixtures: Sphinx test roots under tests/roots/, the local extensions on sys.path."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
sys.path.insert(0, str(ROOT / "tools"))


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent / "roots"


def warnings_of(app) -> str:
    """Every warning the build printed (the tests require none)."""
    return app.warning.getvalue() if hasattr(app, "warning") else app._warning.getvalue()


def build_root(name: str, tmp_path_factory, **kwargs):
    """Copy tests/roots/test-<name> to a temporary folder and build it (module-scoped use)."""
    import shutil

    from sphinx.testing.util import SphinxTestApp

    src = tmp_path_factory.mktemp(name) / name
    shutil.copytree(Path(__file__).parent / "roots" / f"test-{name}", src)
    app = SphinxTestApp(kwargs.pop("buildername", "html"), srcdir=src, **kwargs)
    app.build()
    return app


def build_copy(name: str, src: Path, prepare=None, **kwargs):
    """Copy tests/roots/test-<name> to *src*, let *prepare* edit it, build it once.

    Returns the app (cleaned up) and its warnings without colours.
    """
    import io
    import shutil

    from sphinx.testing.util import SphinxTestApp
    from sphinx.util.console import strip_colors
    from sphinx.util.docutils import docutils_namespace

    shutil.copytree(Path(__file__).parent / "roots" / f"test-{name}", src)
    if prepare is not None:
        prepare(src)
    warnings = io.StringIO()
    with docutils_namespace():
        app = SphinxTestApp(
            kwargs.pop("buildername", "html"), srcdir=src, warning=warnings, **kwargs
        )
        try:
            app.build()
        finally:
            app.cleanup()
    return app, strip_colors(warnings.getvalue())
