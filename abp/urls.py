"""Which addresses may become links: http(s) with a host, or (inside the site) a relative path.

One rule for every place an address comes from: pages and translations (``abp.safety``), card
options (``abp.cards``), bib records (``abp.checks.bib``) and the ``.po`` checks.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

SCHEMES = frozenset({"http", "https"})
CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def unsafe_url(uri: str, *, internal: bool = True) -> str | None:
    """Why *uri* may not be a link, or ``None``: http(s) with a host, or a relative path.

    Browsers ignore tabs, newlines and leading spaces in a URL (``java\\tscript:``), so those
    are removed before the scheme is read. ``internal=False`` refuses relative paths too.
    """
    plain = CONTROL.sub("", uri)
    if not plain:
        return "an empty address"
    try:
        parts = urlsplit(plain)
    except ValueError as err:
        return f"a malformed address ({err})"
    if parts.scheme:
        if parts.scheme.lower() not in SCHEMES:
            return f"the scheme '{parts.scheme}:' (only http and https are allowed)"
        if not parts.hostname:
            return "an address without a host"
        return None
    if plain.startswith(("//", "\\\\", "/\\", "\\/")):
        return "a protocol-relative address (write https://)"
    if not internal:
        return "not an http(s) address"
    return None
