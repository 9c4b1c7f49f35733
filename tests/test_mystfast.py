"""abp_mystfast: MyST's throwaway documents, with settings equal to upstream's and independent."""

from __future__ import annotations

from abp_mystfast import _UPSTREAM, make_document
from docutils.utils import DependencyList


def comparable(settings) -> dict:
    return {
        key: (value.list, value.file) if isinstance(value, DependencyList) else value
        for key, value in vars(settings).items()
    }


def test_same_settings_as_upstream() -> None:
    assert comparable(make_document().settings) == comparable(_UPSTREAM().settings)
    assert make_document("page.md")["source"] == _UPSTREAM("page.md")["source"]


def test_documents_do_not_share_settings() -> None:
    first, second = make_document(), make_document()
    first.settings.tab_width = 99
    first.settings.record_dependencies.add("x.md")
    assert second.settings.tab_width != 99
    assert second.settings.record_dependencies.list == []
    assert make_document().settings.tab_width != 99
