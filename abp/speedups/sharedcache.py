"""Reuse one language's bibliography work in the next language's build of the same site.

``nox -s docs`` (``tools/site.py``) builds English, then Chinese, each in a process and an
environment of its own. Two costly results of a build do not depend on its language:

- the parsed bib files (``domain.data["bibdata"]`` of sphinxcontrib-bibtex: pybtex's parser,
  about 0.6 s at 1,000 entries), and
- the formatted entries (``abp.speedups.bibliography``'s cache in the domain data, about 3 ms
  an entry), and
- the catalogue model of each .bib file and its validation (``abp.model`` and
  ``abp.checks.bib``, keyed by the digest of the file's text).

With ``abp_shared_cache`` set to a folder (relative to the configuration folder;
``tools/site.py`` sets ``<out>/doctrees/shared``), a build that succeeds writes both there, and a
build whose own environment lacks them takes them from there. The checks are those a build makes
of its own cache, and more:

- parsed bib files are taken only if every file has the size, modification time and SHA-256
  digest it had when it was parsed (sphinxcontrib-bibtex's own check is the time alone);
- a formatted entry is kept with the stamp ``abp.speedups.bibliography`` checks before any use
  (style, label, and every field and name of the record), so an entry whose record changed is
  formatted again;
- each file records the versions of Python, pybtex and sphinxcontrib-bibtex, and a digest of
  this site's code (the ``abp`` package's files), it was written with; a
  file of other versions or code, or one that cannot be read, is ignored, and the build does the
  work itself.

The compiled page templates (``abp.speedups.templates``, checked against their source) go to
the same folder. Without this module every build parses and validates its .bib files itself.

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

import pybtex
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinxcontrib.bibtex.bibfile import BibData, is_bibdata_outdated
from sphinxcontrib.bibtex.domain import BibtexDomain

import abp
from abp import catalogue, model
from abp.speedups import bibliography
from abp.speedups._workaround import Workaround

CONFIG = "abp_shared_cache"
BIBDATA = "bibdata.pickle"
FORMATTED = "formatted.pickle"
MODEL = "model.pickle"
#: What the shared files depend on besides the records: a file written under other versions, or
#: by other formatting code of this site, is ignored.
VERSIONS = (
    sys.version_info[:2],
    pybtex.__version__,
    importlib.metadata.version("sphinxcontrib-bibtex"),
    hashlib.sha256(
        b"".join(path.read_bytes() for path in sorted(Path(abp.__file__).parent.rglob("*.py")))
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
    return catalogue.bib_paths(app.config, app.confdir)


def stamps(paths: list[Path]) -> tuple | None:
    try:
        return tuple(file_stamp(path) for path in paths)
    except OSError:
        return None


def formatted_stamps(domain: BibtexDomain) -> dict[str, Any]:
    return {key: hit[0] for key, hit in domain.data.get(bibliography.CACHE, {}).items()}


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
    if not domain.data.get(bibliography.CACHE):
        stored = read(shared / FORMATTED)
        if isinstance(stored, dict):
            domain.data[bibliography.CACHE] = stored
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
        write(shared / FORMATTED, domain.data[bibliography.CACHE])


def model_folder(app: Sphinx) -> Path:
    """Where the catalogue models go: the shared folder, else the doctree folder."""
    return folder(app) or Path(app.doctreedir)


#: app attribute: the keys of the models and problems the shared file held when the build began.
_MODEL_KEYS = "_abp_shared_model_keys"


def load_model(app: Sphinx, config: Config) -> None:
    """Before the .bib files are validated: the models and problems earlier builds made."""
    setattr(app, _MODEL_KEYS, None)
    stored = read(model_folder(app) / MODEL)
    if not isinstance(stored, tuple) or len(stored) != 2:
        return
    parsed, checked = stored
    if isinstance(parsed, dict) and isinstance(checked, dict):
        for key, bib in parsed.items():
            if isinstance(bib, model.BibFile):
                model.PARSED.setdefault(key, bib)
        catalogue.CHECKED.update((k, v) for k, v in checked.items() if k not in catalogue.CHECKED)
        setattr(app, _MODEL_KEYS, (set(parsed), set(checked)))


def save_model(app: Sphinx, exception: Exception | None) -> None:
    """After a build: the models and problems of this build's .bib files, if new."""
    if exception is not None:
        return
    used = [catalogue.CURRENT.get(str(path)) for path in bibfiles(app)]  # as this build read them
    if not all(bib is not None and bib.digest for bib in used):
        return
    digests = {bib.digest for bib in used}
    parsed = {k: v for k, v in model.PARSED.items() if k in digests}
    checked = {k: v for k, v in catalogue.CHECKED.items() if k[0] in digests}
    if getattr(app, _MODEL_KEYS, None) == (set(parsed), set(checked)):
        return  # the file already holds them
    write(model_folder(app) / MODEL, (parsed, checked))


def apply(app: Sphinx) -> None:
    load_model(app, app.config)
    app.connect("builder-inited", load, priority=400)  # sphinxcontrib-bibtex's runs at 500
    app.connect("build-finished", save)
    app.connect("build-finished", save_model)


def register(app: Sphinx) -> None:
    app.add_config_value(CONFIG, "", "", types=frozenset({str}))


NEEDS = "abp.catalogue"  # the extension whose work it speeds up
WORKAROUND = Workaround(
    name="sharedcache",
    fault="each language's build parses and formats the same bibliography again, and every build"
    " parses and validates an unchanged .bib file again",
    upstream="no report found upstream (sphinxcontrib-bibtex keeps parsed data per environment)",
    versions={"sphinxcontrib-bibtex": ("2.7.0",), "pybtex": ("0.26.1",)},
    apply=apply,
)
