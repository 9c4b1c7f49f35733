"""abp.speedups.translated_nodes: translated pages' doctrees do not carry the build environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import only_speedup, warnings_of

ON = only_speedup("translated_nodes", language="zh_CN")


def result(app) -> tuple[bytes, str]:
    assert warnings_of(app) == ""
    doctree = (Path(app.doctreedir) / "index.doctree").read_bytes()
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    return doctree, html


@pytest.fixture
def both(make_app, app_params):
    _, kwargs = app_params
    apps = []
    for name, overrides in (("upstream", {"language": "zh_CN"}), ("adopted", ON)):
        src = kwargs["srcdir"].with_name(f"{kwargs['srcdir'].name}-{name}")
        if not src.exists():
            import shutil

            shutil.copytree(kwargs["srcdir"], src)
        app = make_app("html", srcdir=src, confoverrides=overrides, freshenv=True)
        try:
            app.build()
        finally:
            app.cleanup()
        apps.append(result(app))
    return apps


pytestmark = pytest.mark.sphinx("html", testroot="i18n", srcdir="translated-nodes")


def test_upstream_doctree_carries_the_environment(both) -> None:
    (upstream, _), _ = both
    assert b"BuildEnvironment" in upstream  # the fault this module works around


def test_adopted_doctree_is_small_and_the_page_the_same(both) -> None:
    (upstream, html_upstream), (adopted, html_adopted) = both
    assert b"BuildEnvironment" not in adopted
    assert len(adopted) < len(upstream) / 2
    assert html_adopted == html_upstream
