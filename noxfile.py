"""Sessions of Annotated BERT Papers: ``nox -l`` lists them, ``nox`` runs ``lint``."""

from __future__ import annotations

import shutil

import nox

nox.options.sessions = ["lint"]
nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True

PYPROJECT = nox.project.load_toml("pyproject.toml")


def install(session: nox.Session, group: str) -> None:
    """The group's pinned dependencies, and the site's own package (``abp/``), editable."""
    session.install(*nox.project.dependency_groups(PYPROJECT, group))
    session.install("--no-deps", "-e", ".")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site in English and Chinese into build/html/en/ and build/html/zh_CN/."""
    install(session, "docs")
    session.run("python", "tools/site.py", *session.posargs)


@nox.session(name="docs-live")
def docs_live(session: nox.Session) -> None:
    """Preview one language with live reload (``nox -s docs-live -- zh_CN``)."""
    install(session, "live")
    lang = session.posargs[0] if session.posargs else "en"
    session.run(
        "sphinx-autobuild",
        "-n",
        "-D",
        f"language={lang}",
        "--watch",
        "references.bib",
        "--watch",
        "locale",
        "--watch",
        "abp",
        "docs",
        f"build/live/{lang}",
    )


@nox.session
def gettext(session: nox.Session) -> None:
    """Extract messages and refresh every locale/zh_CN .po file (changed English turns fuzzy)."""
    install(session, "docs")
    shutil.rmtree("build/gettext", ignore_errors=True)
    session.run(
        "sphinx-build",
        "-q",
        "-b",
        "gettext",
        "-d",
        "build/doctrees/gettext",
        "docs",
        "build/gettext",
    )
    # the interface: the site's templates, furo's and abp.i18n.theme's (Sphinx sees the first only)
    session.run("python", "tools/theme_pot.py", "build/gettext/sphinx.pot")
    session.run(
        "sphinx-intl", "update", "-p", "build/gettext", "-l", "zh_CN", "-d", "locale", "-w", "0"
    )
    session.run("python", "tools/po_check.py", "--normalize")
    # the labels of the local extensions: their own catalogue, "abp"
    session.run(
        "pybabel",
        "-q",
        "extract",
        "--no-location",
        "-k",
        "_",
        "-o",
        "build/gettext/abp.pot",
        "abp",
    )
    session.run(
        "pybabel",
        "-q",
        "update",
        "--no-wrap",
        "-i",
        "build/gettext/abp.pot",
        "-d",
        "abp/locale",
        "-D",
        "abp",
        "-l",
        "zh_CN",
    )


@nox.session
def stats(session: nox.Session) -> None:
    """Per-file counts of translated, fuzzy and untranslated zh_CN messages."""
    install(session, "docs")
    session.run("python", "tools/po_check.py", "--stats")


def run_checks(session: nox.Session) -> None:
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("python", "-m", "abp", "check", "--pages", "docs", "references.bib")
    session.run("python", "tools/po_check.py")


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff, the references.bib validator and the .po checks."""
    install(session, "lint")
    run_checks(session)


@nox.session
def tests(session: nox.Session) -> None:
    """Lint, then the unit tests and the whole-site tests (both languages, zero warnings)."""
    install(session, "test")
    install(session, "lint")
    run_checks(session)
    session.run("pytest", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Build benchmark against a bare-Sphinx floor (``-- --sizes real,1000,5000,10000``)."""
    install(session, "docs")
    session.run("python", "tools/bench.py", *session.posargs)
