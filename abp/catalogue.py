"""The build's catalogue: the configured .bib files read and validated, and the cards noted.

- ``config-inited`` (priority 100): every file of ``bibtex_bibfiles`` is read into the model
  (``abp.model``) and validated (``abp.checks.bib``). Any problem stops the build before
  sphinxcontrib-bibtex sees the file, each logged as ``references.bib:LINE: KEY: what``.
- :func:`catalogue_of` gives every other part the model: the records (read once per file and
  process) and the cards the ``{entry}`` directive noted in the ``abp`` domain.
- ``env-check-consistency``: a record that no card shows is an error at its file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from abp import model
from abp.checks import bib as bibcheck

logger = logging.getLogger(__name__)


def bib_path(confdir: str | Path, name: str) -> Path:
    """A configured bib file's path as sphinxcontrib-bibtex resolves it (from ``confdir``)."""
    return (Path(confdir) / name).resolve()


def bib_paths(config: Config, confdir: str | Path) -> list[Path]:
    return [bib_path(confdir, name) for name in config.bibtex_bibfiles or []]


def proper_nouns(config: Config, confdir: str | Path) -> frozenset[str]:
    name = config.abp_proper_nouns_file
    return bibcheck.load_proper_nouns(Path(confdir) / name) if name else frozenset()


#: The model of each .bib file of the current build, by resolved path (read when it starts).
CURRENT: dict[str, model.BibFile] = {}
#: Problems of each file this process validated: (digest, proper nouns) -> problems.
CHECKED: dict[tuple[str, frozenset[str]], tuple[model.Problem, ...]] = {}


def problems_of(bib: model.BibFile, nouns: frozenset[str]) -> tuple[model.Problem, ...]:
    """``abp.checks.bib.validate`` of a file, once per text and process."""
    if bib.unreadable is not None:
        return (bib.unreadable,)
    key = (bib.digest, nouns)
    if key not in CHECKED:
        CHECKED[key] = tuple(bibcheck.validate(bib, nouns))
    return CHECKED[key]


def validate_config(app: Sphinx, config: Config) -> None:
    """Stop the build, with every problem listed, when a configured .bib file is invalid.

    Each problem is logged as an error and the build exits with status 2. (Raising a
    SphinxError here would make Sphinx 9 print a crash report with a traceback instead.)
    """
    nouns = proper_nouns(config, app.confdir)
    messages = []
    CURRENT.clear()
    for path in bib_paths(config, app.confdir):
        bib = CURRENT[str(path)] = model.read(path)
        messages.extend(p.format(path) for p in problems_of(bib, nouns))
    if messages:
        for message in messages:
            logger.error(message, type="abp", subtype="bib")
        logger.error(
            "the build stopped: fix %s first",
            "the .bib file" if len(config.bibtex_bibfiles) == 1 else "the .bib files",
            type="abp",
            subtype="bib",
        )
        raise SystemExit(2)


def bibfiles_of(env: BuildEnvironment) -> tuple[model.BibFile, ...]:
    """The model of the build's .bib files, as read when the build started."""
    # sphinxcontrib-bibtex's resolved paths: the files the build uses, in the configured order
    paths = env.get_domain("cite").bibdata.bibfiles  # type: ignore[attr-defined]
    return tuple(CURRENT.get(str(path)) or model.read(path) for path in paths)


def catalogue_of(env: BuildEnvironment) -> model.Catalogue:
    """The records and the cards of this build."""
    cards = env.get_domain("abp").cards  # noted by abp.cards' directive  # type: ignore[attr-defined]
    return model.catalogue(bibfiles_of(env), cards)


def record_of(env: BuildEnvironment, key: str) -> model.Record | None:
    for bib in bibfiles_of(env):
        if key in bib.records:
            return bib.records[key]
    return None


def report_orphans(app: Sphinx, env: BuildEnvironment) -> None:
    """An error for each record of the .bib files that no card shows, at its file and line."""
    for path, problem in bibcheck.orphans(catalogue_of(env)):
        logger.error(
            "%s: %s",
            problem.key,
            problem.message,
            location=f"{path}:{problem.line}",
            type="abp",
            subtype="orphan",
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("abp_proper_nouns_file", "_data/proper_nouns.txt", "env", types=[str])
    app.connect("config-inited", validate_config, priority=100)
    app.connect("env-check-consistency", report_orphans)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
