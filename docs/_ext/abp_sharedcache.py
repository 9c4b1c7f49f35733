"""Reuse one language's bibliography work in the next language's build of the same site.

``nox -s docs`` (``tools/site.py``) builds English, then Chinese, each in a process and an
environment of its own. Two costly results of a build do not depend on its language:

- the parsed bib files (``domain.data["bibdata"]`` of sphinxcontrib-bibtex: pybtex's parser,
  about 0.6 s at 1,000 entries), and
- the formatted entries (``abp_bibtexfast``'s cache in the domain data, about 3 ms an entry).

With ``abp_shared_cache`` set to a folder (relative to the configuration folder;
``tools/site.py`` sets ``<out>/doctrees/shared``), a build that succeeds writes both there, and a
build whose own environment lacks them takes them from there. The checks are those a build makes
of its own cache, and more:

- parsed bib files are taken only if every file has the size, modification time and SHA-256
  digest it had when it was parsed (sphinxcontrib-bibtex's own check is the time alone);
- a formatted entry is kept with the stamp ``abp_bibtexfast`` checks before any use (style,
  label, and every field and name of the record), so an entry whose record changed is formatted
  again;
- each file records the versions of Python, pybtex and sphinxcontrib-bibtex, and a digest of
  this site's formatting code (``abp_bibstyle``, ``abp_bibtexfast``), it was written with; a
  file of other versions or code, or one that cannot be read, is ignored, and the build does the
  work itself.

The validator's analyses (``abp_bibcheck``, keyed by the digest of the text) and the compiled
page templates (``abp_jinjacache``, checked against their source) go to the same folder.

Without ``abp_shared_cache`` (the default, and ``nox -s docs-live``) every build keeps to its
own environment. Deleting the folder, or the whole ``build/``, is always safe.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import sys
from pathlib import Path
from typing import Any

import abp_bibstyle
import abp_bibtexfast
import pybtex
from abp_bibcheck import bib_path
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.bibfile import BibData, is_bibdata_outdated
from sphinxcontrib.bibtex.domain import BibtexDomain

CONFIG = "abp_shared_cache"
BIBDATA = "bibdata.pickle"
FORMATTED = "formatted.pickle"
#: What the shared files depend on besides the records: a file written under other versions, or
#: by other formatting code of this site, is ignored.
VERSIONS = (
    sys.version_info[:2],
    pybtex.__version__,
    importlib.metadata.version("sphinxcontrib-bibtex"),
    hashlib.sha256(
        b"".join(
            Path(module.__file__).read_bytes()  # type: ignore[arg-type]
            for module in (abp_bibstyle, abp_bibtexfast)
        )
    ).hexdigest(),
)
_STATE = "abp_shared_state"  # app attribute: (bib files parsed by this build, stamps before)


def folder(app: Sphinx) -> Path | None:
    """The shared folder of this build, or None when sharing is off (or this module unused)."""
    return configured_folder(app.config, app.confdir)


def configured_folder(config: Any, confdir: str | Path) -> Path | None:
    value = getattr(config, CONFIG, "")
    return (Path(confdir) / value).resolve() if value else None


def file_stamp(path: Path) -> tuple[str, int, int, str]:
    data = path.read_bytes()
    stat = path.stat()
    return (str(path), stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).hexdigest())


def read(path: Path) -> Any:
    """The payload of a shared file, or None if it is missing, unreadable or of other versions."""
    try:
        with path.open("rb") as stream:
            versions, payload = pickle.load(stream)
    except (
        OSError,
        pickle.UnpicklingError,
        EOFError,
        AttributeError,
        ImportError,
        TypeError,
        ValueError,
    ):  # missing, unreadable, or not a (versions, payload) pair
        return None
    return payload if versions == VERSIONS else None


def write(path: Path, payload: Any) -> None:
    """Write atomically, so that a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with partial.open("wb") as stream:
        pickle.dump((VERSIONS, payload), stream, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)


def bibfiles(app: Sphinx) -> list[Path]:
    """The bib files as sphinxcontrib-bibtex names them (resolved, relative to confdir)."""
    return [bib_path(app.confdir, name) for name in app.config.bibtex_bibfiles or []]


def stamps(paths: list[Path]) -> tuple | None:
    try:
        return tuple(file_stamp(path) for path in paths)
    except OSError:
        return None


def formatted_stamps(domain: BibtexDomain) -> dict[str, Any]:
    return {key: hit[0] for key, hit in domain.data.get(abp_bibtexfast.CACHE, {}).items()}


def load(app: Sphinx) -> None:
    """Before sphinxcontrib-bibtex checks its cache: what a new environment lacks, if shared.

    Only a build that would parse the bib files looks for parsed ones, and only a build whose
    environment has no formatted entry yet (a clean build) reads the formatted ones: an
    incremental build has its own.
    """
    shared = folder(app)
    if shared is None:
        return
    domain: BibtexDomain = app.env.get_domain("cite")  # type: ignore[assignment]
    paths = bibfiles(app)
    encoding = app.config.bibtex_encoding
    parse = is_bibdata_outdated(domain.bibdata, paths, encoding)
    if parse:
        stored = read(shared / BIBDATA)
        if (
            isinstance(stored, tuple)
            and len(stored) == 2
            and isinstance(stored[1], BibData)
            and stored[0] == stamps(paths)
            and not is_bibdata_outdated(stored[1], paths, encoding)
        ):
            domain.data["bibdata"] = stored[1]
            parse = False
    if not domain.data.get(abp_bibtexfast.CACHE):
        stored = read(shared / FORMATTED)
        if isinstance(stored, dict):
            domain.data[abp_bibtexfast.CACHE] = stored
    setattr(app, _STATE, (parse, formatted_stamps(domain)))


def save(app: Sphinx, exception: Exception | None) -> None:
    """After a successful build: write what this build made (parsed or formatted) itself."""
    shared = folder(app)
    state = getattr(app, _STATE, None)
    if shared is None or state is None or exception is not None or app.statuscode:
        return
    parsed, formatted_before = state
    domain: BibtexDomain = app.env.get_domain("cite")  # type: ignore[assignment]
    paths = bibfiles(app)
    if parsed and not is_bibdata_outdated(domain.bibdata, paths, app.config.bibtex_encoding):
        current = stamps(paths)
        if current is not None:
            write(shared / BIBDATA, (current, domain.bibdata))
    if formatted_stamps(domain) != formatted_before:
        write(shared / FORMATTED, domain.data[abp_bibtexfast.CACHE])


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.bibtex")
    app.setup_extension("abp_bibtexfast")
    app.add_config_value(CONFIG, "", "", types=frozenset({str}))
    app.connect("builder-inited", load, priority=400)  # sphinxcontrib-bibtex's runs at 500
    app.connect("build-finished", save)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
