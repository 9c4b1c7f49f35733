"""Keep the compiled page templates between builds.

Sphinx 9.0 gives the Jinja environment of its HTML builder
(``sphinx.jinja2glue.BuiltinTemplateLoader``) no bytecode cache, so every build, a one-page
rebuild included, compiles furo's templates from source again: about 0.13 s a build on a
2-core machine, a twentieth of a one-page rebuild of this site.

This extension gives that environment Jinja's own ``FileSystemBytecodeCache``, in the folder
``jinja`` of the doctree directory, or of the folder the languages share (``abp_shared_cache``);
either is cleared by ``rm -r`` of the doctrees or a clean build. Jinja stores each template
under its name and checks it against a checksum of the template's source, and its cache format
carries the Python version, so an edited template or a different interpreter compiles again.
Remove this module once Sphinx caches its templates itself."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache
from sphinx.application import Sphinx

from abp.speedups import sharedcache
from abp.speedups._workaround import Workaround

FOLDER = "jinja"


def cache_folder(app: Sphinx) -> Path:
    """``jinja`` in the folder shared by the languages' builds, if any, else in the doctrees."""
    return (sharedcache.folder(app) or Path(app.doctreedir)) / FOLDER


def add_cache(app: Sphinx) -> None:
    """Give the builder's Jinja environment, if it has one, a bytecode cache on disk."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if not isinstance(environment, Environment) or environment.bytecode_cache is not None:
        return
    folder = cache_folder(app)
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def apply(app: Sphinx) -> None:
    app.connect("builder-inited", add_cache)


WORKAROUND = Workaround(
    name="templates",
    fault="Sphinx gives its Jinja environment no bytecode cache: every build compiles the theme",
    upstream="no report found upstream (sphinx-doc/sphinx)",
    versions={"sphinx": ("9.0.4",), "jinja2": ("3.1.6",)},
    apply=apply,
)
