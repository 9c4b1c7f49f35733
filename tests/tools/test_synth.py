"""The benchmark's synthetic catalogues: deterministic, valid, and buildable without warnings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import synth
from conftest import check_file

from abp import model


def files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_same_catalogue(tmp_path):
    a = synth.generate(60, tmp_path / "a", seed=7)
    b = synth.generate(60, tmp_path / "b", seed=7)
    c = synth.generate(60, tmp_path / "c", seed=8)
    assert files(a) == files(b)
    assert files(a) != files(c)


def test_catalogue_shape_and_validity(tmp_path):
    out = synth.generate(60, tmp_path / "s", seed=1)
    bib = out / "site" / "references.bib"
    assert check_file(bib) == []
    assert bib.read_text(encoding="utf-8").count("\n@") + 1 == 60
    pages = sorted((out / "site" / "docs" / "papers").glob("*.md"))
    assert len(pages) == 3  # 25 entries a page
    floor_pages = sorted((out / "floor" / "docs" / "papers").glob("*.md"))
    assert [p.name for p in floor_pages] == [p.name for p in pages]
    text = pages[0].read_text(encoding="utf-8")
    assert text.count(":::{entry}") == 25
    assert "{entry}" not in floor_pages[0].read_text(encoding="utf-8")


@pytest.mark.parametrize("project", ["site", "floor"])
def test_catalogue_builds_without_warnings(tmp_path, project):
    out = synth.generate(30, tmp_path / "s", seed=1)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-n",
            "-W",
            "-q",
            "-d",
            str(tmp_path / "dt"),
            str(out / project / "docs"),
            str(tmp_path / "html"),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr


def shape(bib: Path, only=None) -> dict[str, float]:
    """Per record: authors, fields, distinct names, and the share that needs LaTeX decoding
    (of the records whose keys are in *only*, if given)."""
    from pybtex.database import parse_file

    from abp.speedups.richtext import NEEDS_LATEX

    parsed = parse_file(str(bib)).entries
    entries = [e for key, e in parsed.items() if only is None or key in only]
    names = [str(p) for e in entries for people in e.persons.values() for p in people]
    latex = [
        e
        for e in entries
        if any(NEEDS_LATEX.search(v) for v in e.fields.values())
        or any(NEEDS_LATEX.search(str(p)) for people in e.persons.values() for p in people)
    ]
    return {
        "authors": len(names) / len(entries),
        "fields": sum(len(e.fields) for e in entries) / len(entries),
        "distinct names": len(set(names)) / len(names),
        "latex": len(latex) / len(entries),
    }


def test_records_cost_what_real_records_cost(tmp_path):
    """Modelled on references.bib: as many authors and fields, as much LaTeX, few repeats."""
    from conftest import ROOT

    # the records synth.py models: papers and articles with authors (not the repositories)
    modelled = {
        key
        for key, record in model.read(ROOT / "references.bib").records.items()
        if dict(record.fields) in synth.load_source().templates
    }
    assert len(modelled) > 300
    real = shape(ROOT / "references.bib", modelled)
    made = shape(synth.generate(500, tmp_path / "s", seed=1) / "site" / "references.bib")
    for figure in ("authors", "fields", "latex"):
        assert 0.8 * real[figure] <= made[figure] <= 1.25 * real[figure], (figure, made, real)
    assert made["distinct names"] >= real["distinct names"]  # no cheap repeats
