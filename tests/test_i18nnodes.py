"""abp_i18nnodes: translated pages' doctrees do not carry the build environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_root, warnings_of

BASE = ["myst_parser", "abp_cards", "abp_downloads", "abp_i18n"]


def build(tmp_path_factory, extensions: list[str]) -> tuple[bytes, str]:
    app = build_root(
        "i18n",
        tmp_path_factory,
        confoverrides={"language": "zh_CN", "extensions": extensions},
    )
    try:
        assert warnings_of(app) == ""
        doctree = (Path(app.doctreedir) / "index.doctree").read_bytes()
        html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    finally:
        app.cleanup()
    return doctree, html


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    return build(tmp_path_factory, BASE), build(tmp_path_factory, [*BASE, "abp_i18nnodes"])


def test_upstream_doctree_carries_the_environment(both) -> None:
    (upstream, _), _ = both
    assert b"BuildEnvironment" in upstream  # the fault this module works around


def test_adopted_doctree_is_small_and_the_page_the_same(both) -> None:
    (upstream, html_upstream), (adopted, html_adopted) = both
    assert b"BuildEnvironment" not in adopted
    assert len(adopted) < len(upstream) / 2
    assert html_adopted == html_upstream
