"""The bibliography style of the site: pybtex's ``unsrt`` with the entry's key as its label.

Every topic page ends with its own bibliography. Numeric labels restart on each page and
collide across pages (sphinxcontrib-bibtex warns about duplicate labels); the keys are unique
across references.bib, stable once published and readable (``[devlin-etal-2019-bert]``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pybtex.plugin
from pybtex.database import Entry
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from sphinx.application import Sphinx

STYLE_NAME = "abp"


class KeyLabelStyle(BaseLabelStyle):
    """Label each entry with its bib key."""

    def format_labels(self, sorted_entries: Iterable[Entry]) -> Iterator[str]:
        for entry in sorted_entries:
            yield entry.key


class KeyLabelledStyle(UnsrtStyle):
    """``unsrt`` formatting (entries in citation order), labels from the keys."""

    default_label_style = KeyLabelStyle


def setup(app: Sphinx) -> dict[str, Any]:
    pybtex.plugin.register_plugin("pybtex.style.formatting", STYLE_NAME, KeyLabelledStyle)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
