"""abp.speedups.myst_documents: MyST's throwaway documents, with settings equal to upstream's
and independent."""

from __future__ import annotations

from docutils.utils import DependencyList

from abp.speedups.myst_documents import _UPSTREAM, make_document


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


def test_upstream_builds_default_settings_for_every_render(monkeypatch) -> None:
    """The fault: MyST's renderer makes a new document (and its settings) even when it is
    given one, because the default of ``options.get("document", make_document())`` is
    evaluated anyway."""
    from docutils.frontend import get_default_settings
    from myst_parser.config.main import MdParserConfig
    from myst_parser.mdit_to_docutils import base
    from myst_parser.parsers.mdit import create_md_parser

    made: list[str] = []
    monkeypatch.setattr(
        base, "make_document", lambda *a, **k: made.append("x") or _UPSTREAM(*a, **k)
    )
    parser = create_md_parser(MdParserConfig(), base.DocutilsRenderer)
    document = _UPSTREAM("page.md")
    parser.options["document"] = document
    parser.render("Some *text*.")
    assert made  # a throwaway document although one was given
    assert get_default_settings  # (what make_document builds each time)
