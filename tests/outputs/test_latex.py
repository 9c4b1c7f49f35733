"""The BibTeX downloads work in LaTeX: every ``_bib/`` file the English site writes goes through
BibTeX and through biber without an error or warning, with every entry in the bibliography.
pdfLaTeX typesets the files in Latin script; the files with Chinese titles are typeset with
XeLaTeX and xeCJK, and their Latin-script entries with pdfLaTeX as well."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pybtex.database
import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("pdflatex", "bibtex", "biber")
pytestmark = [
    pytest.mark.site,
    pytest.mark.skipif(
        not all(shutil.which(t) for t in TOOLS),
        reason="needs pdflatex, bibtex and biber (Debian: texlive-latex-base, "
        "texlive-latex-recommended, texlive-bibtex-extra, biber)",
    ),
]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]")
# the CJK fonts the XeLaTeX tests use, in order of preference (Debian packages in the comment)
CJK_FONTS = ("AR PL UMing CN", "Noto Serif CJK SC")  # fonts-arphic-uming, fonts-noto-cjk
BIBLIOGRAPHY = {
    "bibtex": ("", "\\bibliographystyle{plain}\n\\bibliography{references}\n"),
    "biber": (
        "\\usepackage[backend=biber]{biblatex}\n\\addbibresource{references.bib}\n",
        "\\printbibliography\n",
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The English site, built as ``nox -s docs`` builds it."""
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "site.py"), "--lang", "en", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    return out / "html" / "en"


@pytest.fixture(scope="module")
def downloads(site) -> dict[str, Path]:
    """Every .bib file under ``_bib/``, by its path there."""
    base = site / "_bib"
    return {str(p.relative_to(base)): p for p in sorted(base.rglob("*.bib"))}


@pytest.fixture(scope="module")
def cjk_font() -> str:
    """The first of ``CJK_FONTS`` that fontconfig knows (skips without it, XeLaTeX or xeCJK)."""
    missing = [t for t in ("xelatex", "kpsewhich", "fc-list") if not shutil.which(t)]
    if not missing and not run(ROOT, "kpsewhich", "xeCJK.sty").stdout.strip():
        missing.append("xeCJK.sty")
    listed = "" if missing else run(ROOT, "fc-list", ":lang=zh", "family").stdout
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    font = next((f for f in CJK_FONTS if f in families), None)
    if missing or font is None:
        pytest.skip(
            f"needs xelatex, xeCJK and one of the fonts {', '.join(CJK_FONTS)} (Debian: "
            "texlive-xetex, texlive-lang-chinese, fontconfig, fonts-arphic-uming or fonts-noto-cjk)"
        )
    return font


def keys(bib: Path, latin_only: bool) -> list[str]:
    entries = pybtex.database.parse_file(str(bib)).entries
    return [key for key, entry in entries.items() if not latin_only or not CJK.search(text(entry))]


def text(entry: pybtex.database.Entry) -> str:
    people = [str(person) for persons in entry.persons.values() for person in persons]
    return " ".join([*entry.fields.values(), *people])


def has_cjk(bib: Path) -> bool:
    return bool(CJK.search(bib.read_text(encoding="utf-8")))


def run(tmp: Path, *command: str) -> subprocess.CompletedProcess[str]:
    # TeX writes 8-bit bytes of the entries to the terminal as they are: read them leniently
    return subprocess.run(
        command, cwd=tmp, capture_output=True, text=True, errors="replace", timeout=300
    )


def document(tmp: Path, bib: Path, engine: str, backend: str, cites: list[str], font: str) -> None:
    tmp.mkdir(parents=True)
    shutil.copyfile(bib, tmp / "references.bib")
    if engine == "xelatex":
        fonts = "\\usepackage{xeCJK}\n" + "".join(
            f"\\setCJK{family}font{{{font}}}\n" for family in ("main", "sans", "mono")
        )
    else:
        fonts = "\\usepackage[T1]{fontenc}\n"
    preamble, printing = BIBLIOGRAPHY[backend]
    (tmp / "doc.tex").write_text(
        "\\documentclass{article}\n\\tracinglostchars=2\n"
        + fonts
        + "\\usepackage{url}\n"
        + preamble
        + "\\begin{document}\n"
        + "".join(f"\\nocite{{{k}}}\n" for k in cites)
        + printing
        + "\\end{document}\n",
        encoding="utf-8",
    )


def latex(tmp: Path, engine: str) -> None:
    result = run(tmp, engine, "-interaction=nonstopmode", "-halt-on-error", "doc")
    assert result.returncode == 0, result.stdout[-3000:]
    log = (tmp / "doc.log").read_text(encoding="utf-8", errors="replace")
    missing = re.findall(r"^Missing character: .*", log, re.M)
    assert not missing, "\n".join(missing)


def compile_bib(
    tmp: Path, bib: Path, engine: str, backend: str, cites: list[str], font: str = ""
) -> None:
    """LaTeX, then BibTeX or biber (no error or warning, every key in the .bbl), then LaTeX."""
    document(tmp, bib, engine, backend, cites, font)
    latex(tmp, engine)
    result = run(tmp, backend, "doc")
    log = (tmp / "doc.blg").read_text(encoding="utf-8")
    assert result.returncode == 0, log
    bbl = (tmp / "doc.bbl").read_text(encoding="utf-8")
    if backend == "bibtex":
        assert "Warning--" not in log and "error message" not in log, log
        assert sorted(re.findall(r"\\bibitem\{([^}]+)\}", bbl)) == sorted(cites)
    else:
        assert not re.search(r"\] (ERROR|WARN) - ", log), log
        assert sorted(set(re.findall(r"\\entry\{([^}]+)\}", bbl))) == sorted(cites)
    latex(tmp, engine)


def compile_all(
    tmp: Path, jobs: dict[str, tuple[Path, list[str]]], engine: str, backend: str, font: str = ""
) -> None:
    """``compile_bib`` for every file, in parallel; the failure names every failing file."""

    def one(name: str) -> str:
        bib, cites = jobs[name]
        try:
            compile_bib(
                tmp / name.removesuffix(".bib").replace("/", "-"), bib, engine, backend, cites, font
            )
        except AssertionError as err:
            return f"_bib/{name}: {err}"
        return ""

    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        failures = [f for f in pool.map(one, sorted(jobs)) if f]
    assert not failures, "\n\n".join(failures)


def test_every_page_download_is_there(site, downloads):
    carded = {
        str(page.relative_to(site).with_suffix(".bib"))
        for page in site.rglob("*.html")
        if 'class="abp-card ' in page.read_text(encoding="utf-8")
    }
    docs = ROOT / "docs"
    topics = {  # every topic page with cards, task pages included
        str(page.relative_to(docs).with_suffix(".bib"))
        for page in (docs / "papers").rglob("*.md")
        if ":::{entry}" in page.read_text(encoding="utf-8")
    }
    assert topics and topics <= carded
    assert set(downloads) == carded | {"references.bib"}


@pytest.mark.parametrize("backend", ["bibtex", "biber"])
def test_pdflatex(tmp_path, downloads, backend):
    """Every entry of a Latin-script file, and the Latin-script entries of the others."""
    jobs = {name: (bib, keys(bib, latin_only=True)) for name, bib in downloads.items()}
    compile_all(tmp_path, {name: job for name, job in jobs.items() if job[1]}, "pdflatex", backend)


@pytest.mark.parametrize("backend", ["bibtex", "biber"])
def test_xelatex(tmp_path, cjk_font, downloads, backend):
    """Every entry of each file with Chinese text."""
    jobs = {n: (bib, keys(bib, latin_only=False)) for n, bib in downloads.items() if has_cjk(bib)}
    compile_all(tmp_path, jobs, "xelatex", backend, cjk_font)
