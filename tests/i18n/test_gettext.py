"""Message extraction: summaries and headings are offered for translation; what the cards take
from references.bib (titles, authors, venues, BibTeX) is not."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from conftest import warnings_of

pytestmark = pytest.mark.sphinx("gettext", testroot="cards", srcdir="cards-gettext")


@pytest.fixture
def pot(built):
    catalog = polib.pofile(str(Path(built.outdir) / "index.pot"))
    return built, {entry.msgid for entry in catalog}


@pytest.mark.sphinx("gettext", testroot="cards", srcdir="cards-gettext", freshenv=True)
def test_no_warnings(pot):
    assert warnings_of(pot[0]) == ""


def test_summaries_and_headings_are_extracted(pot):
    _, msgids = pot
    assert "Cards" in msgids
    assert (
        "A summary that links to {entry}`wang-2019-tiny` and to "
        "{entry}`the tiny one <wang-2019-tiny>`." in msgids
    )


def test_bib_fields_and_labels_are_not_extracted(pot):
    _, text = pot
    joined = "\n".join(text)
    for untranslatable in (
        "Teaching a Transformer",
        "Núñez",
        "Proceedings of the Workshop",
        "@inproceedings",
        "arXiv:2001.00001",
        "Download",
        "Listed in",
    ):
        assert untranslatable not in joined, untranslatable
