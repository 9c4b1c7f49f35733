"""One Pygments formatter per set of options, instead of one per code block.

Sphinx 9.0's ``PygmentsBridge.highlight_block`` makes a new Pygments ``HtmlFormatter`` for every
code block, and each new formatter builds the whole style table of its style: about 0.5 ms a
block. Every card of this site has a BibTeX block, so that was about 1.2 s of a 1,000-entry
build, half of it in formatter set-up.

Formatters are now kept per bridge (light and dark styles stay apart) and per set of options
(``hl_lines``, ``linenos``...), and reused: a formatter holds no state between blocks, and a test
compares the highlighted HTML with and without this module. Remove it once Sphinx reuses them.
"""

from __future__ import annotations

from typing import Any

from pygments.formatter import Formatter
from sphinx.application import Sphinx
from sphinx.highlighting import PygmentsBridge

from abp.speedups._workaround import Workaround, patch

_UPSTREAM = PygmentsBridge.get_formatter


def get_formatter(self: PygmentsBridge, **kwargs: Any) -> Formatter[str]:
    """Upstream's formatter for these options, made once per bridge and options."""
    kwargs.update(self.formatter_args)
    key = repr(sorted(kwargs.items(), key=lambda item: item[0]))
    cache: dict[str, Formatter[str]] = self.__dict__.setdefault("_abp_formatters", {})
    if key not in cache:
        cache[key] = self.formatter(**kwargs)
    return cache[key]


def apply(app: Sphinx) -> None:
    patch(app, PygmentsBridge, "get_formatter", get_formatter)


WORKAROUND = Workaround(
    name="pygments_formatters",
    fault="Sphinx makes a new Pygments HtmlFormatter, style table included, for every code block",
    upstream="no report found upstream (sphinx-doc/sphinx)",
    versions={"sphinx": ("9.0.4",), "pygments": ("2.21.0",)},
    apply=apply,
)
