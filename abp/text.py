"""Plain text from BibTeX: field values with their braces and LaTeX accents resolved."""

from __future__ import annotations

import functools
import re

from pylatexenc.latex2text import LatexNodes2Text
from unidecode import unidecode

_LATEX = LatexNodes2Text(math_mode="verbatim")


@functools.lru_cache(maxsize=65536)
def latex_to_text(value: str) -> str:
    """Plain Unicode text of a BibTeX field value (braces and LaTeX accents resolved).

    Most values only brace words to protect their case; those are unbraced directly, and
    pylatexenc (about 1 ms a call) is used only where a backslash or ``$`` makes it needed.
    """
    if "\\" not in value and "$" not in value and "~" not in value:
        return value.replace("{", "").replace("}", "").strip()
    return _LATEX.latex_to_text(value).strip()


def ascii_word(text: str) -> str:
    """Lowercase ASCII letters and digits only (accents and CJK transliterated)."""
    return re.sub(r"[^a-z0-9]", "", unidecode(text).lower())
