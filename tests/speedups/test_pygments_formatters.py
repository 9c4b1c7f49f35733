"""abp.speedups.pygments_formatters: reused Pygments formatters highlight exactly as new ones do."""

from __future__ import annotations

from sphinx.highlighting import PygmentsBridge

from abp.speedups.pygments_formatters import _UPSTREAM, get_formatter

BLOCKS = [
    ("@misc{a-2020-b,\n  title = {{BERT}: x},\n  year = {2020}\n}\n", "bibtex", {}),
    ("def f(x):\n    return x  # note\n", "python", {"hl_lines": [2]}),
    ('@article{c,\n  author = {Li, Zo{\\"e}}\n}\n', "bibtex", {"linenos": "table"}),
    ("@misc{a-2020-b,\n  title = {{BERT}: x},\n  year = {2020}\n}\n", "bibtex", {}),
]


def highlight_all(get) -> list[str]:
    original = PygmentsBridge.get_formatter
    PygmentsBridge.get_formatter = get
    try:
        out = []
        for style in ("sphinx", "monokai"):
            bridge = PygmentsBridge("html", style)
            out += [bridge.highlight_block(src, lang, **kw) for src, lang, kw in BLOCKS]
        return out
    finally:
        PygmentsBridge.get_formatter = original


def test_same_html_as_upstream() -> None:
    assert highlight_all(get_formatter) == highlight_all(_UPSTREAM)


def test_one_formatter_per_options_and_bridge() -> None:
    light, dark = PygmentsBridge("html", "sphinx"), PygmentsBridge("html", "monokai")
    assert get_formatter(light) is get_formatter(light)
    assert get_formatter(light) is not get_formatter(dark)
    assert get_formatter(light, hl_lines=[2]) is not get_formatter(light)
    assert get_formatter(light, hl_lines=[2]) is get_formatter(light, hl_lines=[2])


def test_upstream_makes_a_formatter_for_every_block() -> None:
    """The fault: Sphinx makes a new formatter, style table included, for every code block."""
    light = PygmentsBridge("html", "sphinx")
    assert _UPSTREAM(light) is not _UPSTREAM(light)
