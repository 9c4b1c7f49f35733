"""abp.speedups.bibliography: key-listed bibliographies handle only their keys, and formatted
entries are kept between builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import only_speedup, warnings_of

ON = only_speedup("bibliography")


def looked_at(app, monkeypatch) -> list[str]:
    """The entries the page bibliographies' filtering goes through."""
    from sphinxcontrib.bibtex.domain import BibtexDomain

    seen: list[str] = []
    upstream_entries = BibtexDomain.get_entries

    def entries(self, bibfiles):
        for entry in upstream_entries(self, bibfiles):
            seen.append(entry.key)
            yield entry

    monkeypatch.setattr(BibtexDomain, "get_entries", entries)
    app.build()
    return seen


@pytest.mark.sphinx("html", testroot="cards", srcdir="bibliography-on", confoverrides=ON)
def test_filtering_looks_at_the_listed_keys_only(app, monkeypatch):
    assert looked_at(app, monkeypatch) == []


@pytest.mark.sphinx("html", testroot="cards", srcdir="bibliography-off")
def test_upstream_filtering_goes_through_every_entry_for_every_bibliography(app, monkeypatch):
    """The fault: every bibliography evaluates its filter on every entry of the bib files."""
    seen = looked_at(app, monkeypatch)
    every = set(app.env.get_domain("cite").bibdata.data.entries)
    bibliographies = len(app.env.get_domain("cite").bibliographies)
    assert bibliographies >= 1 and sorted(seen) == sorted(list(every) * bibliographies)


def formatted_keys(app, monkeypatch) -> list[list[str]]:
    """The keys pybtex formats in a clean build, then in a build after a page edit."""
    from pybtex.style.formatting import BaseStyle

    calls: list[str] = []
    upstream = BaseStyle.format_entry
    monkeypatch.setattr(
        BaseStyle,
        "format_entry",
        lambda self, label, entry: calls.append(entry.key) or upstream(self, label, entry),
    )
    app.build()
    first = sorted(set(calls))
    calls.clear()
    other = Path(app.srcdir) / "other.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    app.build()
    assert warnings_of(app) == ""
    return [first, sorted(set(calls))]


@pytest.mark.sphinx("html", testroot="cards", srcdir="bibliography-edit-on", confoverrides=ON)
def test_incremental_build_reuses_formatted_entries(app, monkeypatch):
    first, again = formatted_keys(app, monkeypatch)
    assert first == ["nunez-li-2020-cafe", "wang-2019-tiny", "zhihu-notes"]
    assert again == []


@pytest.mark.sphinx("html", testroot="cards", srcdir="bibliography-edit-off")
def test_upstream_formats_every_entry_on_every_build(app, monkeypatch):
    """The fault: a one-page edit formats every cited entry again."""
    first, again = formatted_keys(app, monkeypatch)
    assert again == first == ["nunez-li-2020-cafe", "wang-2019-tiny", "zhihu-notes"]
