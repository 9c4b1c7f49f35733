"""Keep the compiled page templates between builds.

Sphinx 9.0 gives the Jinja environment of its HTML builder
(``sphinx.jinja2glue.BuiltinTemplateLoader``) no bytecode cache, so every build, a one-page
rebuild included, compiles furo's templates from source again: about 0.13 s a build on a
2-core machine, a twentieth of a one-page rebuild of this site.

This extension gives that environment Jinja's own ``FileSystemBytecodeCache``, in the folder
``jinja`` of the doctree directory, or of the folder the languages share (``abp_shared_cache``);
either is cleared by ``rm -r`` of the doctrees or a clean build.
Jinja stores each template under its name and checks it against a checksum of the template's
source, and its cache format carries the Python version, so an edited template or a different
interpreter compiles again. Set ``abp_template_cache = False`` to turn it off. Remove this
module once Sphinx caches its templates itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import abp_sharedcache
from jinja2 import Environment, FileSystemBytecodeCache
from sphinx.application import Sphinx

FOLDER = "jinja"


def cache_folder(app: Sphinx) -> Path:
    """``jinja`` in the folder shared by the languages' builds, if any, else in the doctrees."""
    return (abp_sharedcache.folder(app) or Path(app.doctreedir)) / FOLDER


def add_cache(app: Sphinx) -> None:
    """Give the builder's Jinja environment, if it has one, a bytecode cache on disk."""
    if not app.config.abp_template_cache:
        return
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if not isinstance(environment, Environment) or environment.bytecode_cache is not None:
        return
    folder = cache_folder(app)
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("abp_template_cache", True, "", types=frozenset({bool}))
    app.connect("builder-inited", add_cache)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
