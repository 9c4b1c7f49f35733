"""Build-speed workarounds for upstream faults: removable, and never imported by the features.

``extensions = [..., "abp.speedups"]`` enables them; the site builds the same HTML without
them (a test compares the two builds). Each module states the upstream fault it works around
and where it is reported, and declares the package versions it was written for; on any other
version it skips itself with one logged line. ``abp_speedups_off`` (a list of the names below)
leaves some off, as ``nox -s bench -- --speedups-off NAME`` does to measure what each buys.
"""

from __future__ import annotations

import importlib
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from abp.speedups._workaround import redo, undo

logger = logging.getLogger(__name__)

#: The speed-ups, by module name under ``abp.speedups``.
NAMES = (
    "bibliography",  # sphinxcontrib-bibtex: only the listed keys, formatted entries kept
    "richtext",  # pybtex: plain values skip latexcodec; one-loop rich-text constructor
    "bibdeps",  # a .bib edit re-reads only the pages using a changed record
    "sharedcache",  # the Chinese build reuses English's parsed and formatted bibliography
    "sidebar",  # furo: one navigation tree per folder, marked per page
    "gcfreeze",  # CPython's collector kept off the loaded environment
    "translated_nodes",  # translated doctrees without their scratch documents
    "templates",  # compiled Jinja templates kept between builds
    "myst_documents",  # MyST's default docutils settings built once
    "pygments_formatters",  # one Pygments formatter per set of options
)


def module(name: str) -> Any:
    return importlib.import_module(f"{__name__}.{name}")


def enable(app: Sphinx, config: Config, late: bool) -> None:
    off = set(config.abp_speedups_off or ())
    for name in NAMES:
        found = module(name)
        if getattr(found, "LATE", False) != late:
            continue
        needs = getattr(found, "NEEDS", None)
        if needs and needs not in app.extensions:
            continue  # a speed-up of a feature this build does not use
        if name in off:
            logger.info("abp.speedups.%s off (abp_speedups_off)", name)
            continue
        found.WORKAROUND.enable(app)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("abp_speedups_off", [], "", types=[list, tuple])
    for name in NAMES:
        register = getattr(module(name), "register", None)
        if register is not None:  # config values and domains must exist before conf.py's are read
            register(app)
    # early: before the .bib files are validated (abp.catalogue, priority 100); late: after
    app.connect("config-inited", lambda app, config: enable(app, config, False), priority=50)
    app.connect("config-inited", lambda app, config: enable(app, config, True), priority=999)
    app.connect("env-get-outdated", redo, priority=0)
    app.connect("build-finished", undo, priority=1000)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
