"""abp.speedups.richtext: the from_latex fast path returns what pybtex's full path returns."""

from __future__ import annotations

import random

import pytest
from conftest import ROOT
from pybtex.database import parse_file
from pybtex.richtext import Text

from abp.speedups import richtext
from abp.speedups.richtext import _UPSTREAM_FROM_LATEX, NEEDS_DECODER, NEEDS_LATEX, from_latex

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
    braced = [v for v in values if NEEDS_LATEX.search(v) and not NEEDS_DECODER.search(v)]
    assert len(braced) > 100  # and so is the parser-only path
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

    braced = "{BERT}: Pre-training of {Deep} Bidirectional {T}ransformers"
    expected = upstream(braced)
    assert isinstance(expected, Text) and len(expected.parts) > 1  # protected parts

    monkeypatch.setattr(richtext, "_UPSTREAM_FROM_LATEX", refuse)
    assert from_latex(Text, "Pre-training of Deep Bidirectional Transformers") == Text(
        "Pre-training of Deep Bidirectional Transformers"
    )
    assert from_latex(Text, braced) == expected
    with pytest.raises(AssertionError):
        from_latex(Text, "a -- b")
    with pytest.raises(AssertionError):
        from_latex(Text, '{M\\"uller}')


def test_the_decoder_leaves_what_the_parser_only_path_takes_unchanged() -> None:
    """The premise of the parser-only path, for every pair of ASCII characters in context."""
    import codecs
    import itertools

    import latexcodec  # noqa: F401  (registers the codec)

    chars = [chr(c) for c in range(32, 127)] + list("\u00fc\u2013\u00a0\u3000")
    for a, b in itertools.product(chars, repeat=2):
        for value in (a + b, f"x{a}{b}y", f"{{{a}{b}}}", f"{a}{{{b}}}"):
            if not NEEDS_DECODER.search(value):
                assert codecs.decode(value, "ulatex") == value, repr(value)


def recipe(rng: random.Random, depth: int = 0) -> tuple:
    """A random nesting of rich-text constructors and their parts (built twice, compared)."""
    leaves = ["", "a", " ", "Word", ("String", "s"), ("String", ""), ("Symbol", "nbsp")]
    kinds = ["Text", "Tag:em", "Tag:strong", "HRef", "Protected"]
    parts: list = []
    for _ in range(rng.randint(0, 4)):
        if depth < 2 and rng.random() < 0.4:
            parts.append(recipe(rng, depth + 1))
        else:
            parts.append(rng.choice(leaves))
    return (rng.choice(kinds), parts)


def make(node):
    from pybtex.richtext import HRef, Protected, String, Symbol, Tag

    if isinstance(node, str):
        return node
    kind, arg = node
    if kind == "String":
        return String(arg)
    if kind == "Symbol":
        return Symbol(arg)
    parts = [make(part) for part in arg]
    if kind.startswith("Tag:"):
        return Tag(kind[4:], *parts)
    if kind == "HRef":
        return HRef("https://example.org/", *parts)
    return {"Text": Text, "Protected": Protected}[kind](*parts)


def both(monkeypatch, build):
    """What *build* makes with pybtex's rich-text constructor and with the one-loop one."""
    from pybtex.richtext import BaseMultipartText

    made = []
    for init in (richtext._UPSTREAM_TEXT_INIT, richtext.text_init):
        monkeypatch.setattr(BaseMultipartText, "__init__", init)
        made.append(build())
    return made


@pytest.mark.parametrize("seed", range(3))
def test_rich_text_constructor_matches_pybtex_on_random_nestings(monkeypatch, seed) -> None:
    rng = random.Random(seed)
    recipes = [recipe(rng) for _ in range(3000)]
    upstream_texts, fast_texts = both(monkeypatch, lambda: [make(r) for r in recipes])
    from pybtex.backends.html import Backend

    html = Backend()  # render_as("html") would look the backend up each time: slow
    merged = 0
    for node, old, new in zip(recipes, upstream_texts, fast_texts, strict=True):
        assert repr(new) == repr(old), node
        assert len(new) == len(old) and new == old, node
        assert new.render(html) == old.render(html), node
        merged += len(new.parts) < len(node[1])
    assert merged > 300  # merging and dropping of empty parts are really exercised


def test_rich_text_constructor_rejects_what_pybtex_rejects(monkeypatch) -> None:
    from pybtex.richtext import BaseMultipartText

    errors = []
    for init in (richtext._UPSTREAM_TEXT_INIT, richtext.text_init):
        monkeypatch.setattr(BaseMultipartText, "__init__", init)
        with pytest.raises(TypeError) as caught:
            Text("a", 3)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]


def test_every_entry_of_references_bib_formats_the_same(monkeypatch) -> None:
    from abp import bibstyle as abp_bibstyle

    entries = list(parse_file(str(ROOT / "references.bib")).entries.values())
    style = abp_bibstyle.KeyLabelledStyle()
    old, new = both(monkeypatch, lambda: [style.format_entry(e.key, e).text for e in entries])
    assert len(old) == len(entries) > 200
    assert [repr(t) for t in new] == [repr(t) for t in old]
    from pybtex.backends.html import Backend

    html = Backend()
    assert [t.render(html) for t in new] == [t.render(html) for t in old]


def test_upstream_decodes_plain_values(monkeypatch) -> None:
    """The fault: pybtex runs the whole latexcodec decoder on a value that needs none."""
    import codecs

    decoded: list[str] = []
    upstream_decode = codecs.decode

    def counting(data, encoding="utf-8", errors="strict"):
        decoded.append(encoding)
        return upstream_decode(data, encoding, errors)

    monkeypatch.setattr(codecs, "decode", counting)
    _UPSTREAM_FROM_LATEX(Text, "plain words")
    assert any("latex" in name for name in decoded)


def test_upstream_constructor_runs_its_generator_pipeline(monkeypatch) -> None:
    """The fault: every rich-text object is made through a chain of generators
    (ensure_text, the non-empty filter, itertools.chain, the groupby in _merge_similar)."""
    from pybtex.richtext import BaseMultipartText

    merged: list[int] = []
    upstream_merge = BaseMultipartText._merge_similar

    def counting(self, parts):
        merged.append(1)
        return upstream_merge(self, parts)

    monkeypatch.setattr(BaseMultipartText, "_merge_similar", counting)
    monkeypatch.setattr(BaseMultipartText, "__init__", richtext._UPSTREAM_TEXT_INIT)
    Text("plain", " words")
    assert merged == [1]
