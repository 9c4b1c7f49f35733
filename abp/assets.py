"""The features' scripts (``abp/static/``), added to ``html_static_path`` (copied to ``_static``).

Each feature with a script sets this up (``app.setup_extension("abp.assets")``), so it works
whichever of them a project loads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

STATIC = Path(__file__).resolve().parent / "static"


def add_static(app: Sphinx, config: Config) -> None:
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", add_static)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
