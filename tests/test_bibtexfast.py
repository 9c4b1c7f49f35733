"""abp_bibtexfast: the from_latex fast path returns what pybtex's full path returns."""

from __future__ import annotations

import random

import abp_bibtexfast
import pytest
from abp_bibtexfast import _UPSTREAM_FROM_LATEX, NEEDS_LATEX, from_latex
from conftest import ROOT
from pybtex.database import parse_file
from pybtex.richtext import Text

TRICKY = "ab -'`\"!?,.%\\{}~$&#_^\t\n\u00a0\u3000ü–"


def upstream(value: str) -> Text | str:
    try:
        return _UPSTREAM_FROM_LATEX(Text, value)
    except Exception as err:  # the full path may reject a value; the fast one must then too
        return type(err).__name__


def fast(value: str) -> Text | str:
    try:
        return from_latex(Text, value)
    except Exception as err:
        return type(err).__name__


def test_every_field_of_references_bib() -> None:
    data = parse_file(str(ROOT / "references.bib"))
    values = set()
    for entry in data.entries.values():
        values.update(entry.fields.values())
        for people in entry.persons.values():
            for person in people:
                values.update(person.first_names + person.middle_names + person.last_names)
                values.update(person.prelast_names + person.lineage_names)
    assert len(values) > 1000
    taken = [v for v in values if not NEEDS_LATEX.search(v)]
    assert len(taken) > len(values) / 2  # the fast path is really used
    for value in values:
        assert fast(value) == upstream(value), value


@pytest.mark.parametrize("seed", range(5))
def test_random_strings_of_the_characters_that_matter(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(2000):
        value = "".join(rng.choice(TRICKY) for _ in range(rng.randint(0, 8)))
        assert fast(value) == upstream(value), repr(value)


def test_plain_values_skip_the_decoder(monkeypatch) -> None:
    def refuse(*args):
        raise AssertionError("full path taken")

    monkeypatch.setattr(abp_bibtexfast, "_UPSTREAM_FROM_LATEX", refuse)
    assert from_latex(Text, "Pre-training of Deep Bidirectional Transformers") == Text(
        "Pre-training of Deep Bidirectional Transformers"
    )
    with pytest.raises(AssertionError):
        from_latex(Text, "a -- b")
