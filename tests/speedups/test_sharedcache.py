"""abp.speedups.sharedcache: Chinese takes the bib files and entries English parsed and formatted,
and an unchanged .bib file is not parsed or validated again."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from pathlib import Path

import bibtexparser
import pytest
import sphinxcontrib.bibtex.bibfile
from conftest import ROOTS, only_speedup, warnings_of
from pybtex.style.formatting import BaseStyle
from sphinx.testing.util import SphinxTestApp
from sphinx.util.docutils import docutils_namespace

import abp
from abp import catalogue, model
from abp.speedups import sharedcache as abp_sharedcache


@pytest.fixture
def counted(monkeypatch) -> dict[str, int]:
    """How often the bib files are parsed and entries formatted, in this process."""
    counts = {"parsed": 0, "formatted": 0}
    parse, format_entry = sphinxcontrib.bibtex.bibfile.parse_bibdata, BaseStyle.format_entry

    def counting_parse(*args, **kwargs):
        counts["parsed"] += 1
        return parse(*args, **kwargs)

    def counting_format(self, label, entry, *args, **kwargs):
        counts["formatted"] += 1
        return format_entry(self, label, entry, *args, **kwargs)

    monkeypatch.setattr(sphinxcontrib.bibtex.bibfile, "parse_bibdata", counting_parse)
    monkeypatch.setattr(BaseStyle, "format_entry", counting_format)
    return counts


@pytest.fixture
def src(tmp_path) -> Path:
    target = tmp_path / "src"
    shutil.copytree(ROOTS / "test-i18n", target)
    return target


def build(src: Path, out: Path, lang: str, shared: Path | None) -> tuple[str, str]:
    """Build *src* in *lang* into *out*; the index page and the warnings."""
    overrides = only_speedup("sharedcache", "bibliography", language=lang)
    if shared is not None:
        overrides["abp_shared_cache"] = str(shared)
    app = SphinxTestApp("html", srcdir=src, builddir=out, confoverrides=overrides)
    try:
        app.build()
        return (Path(app.outdir) / "index.html").read_text(encoding="utf-8"), warnings_of(app)
    finally:
        app.cleanup()


def test_chinese_after_english_parses_and_formats_nothing(src, tmp_path, counted) -> None:
    shared = tmp_path / "shared"
    build(src, tmp_path / "en", "en", shared)
    english = dict(counted)
    assert english["parsed"] == 1 and english["formatted"] >= 2  # two entries (and tooltips)
    assert {p.name for p in shared.iterdir()} >= {"bibdata.pickle", "formatted.pickle"}
    page, warnings = build(src, tmp_path / "zh", "zh_CN", shared)
    assert warnings == ""
    assert counted == english  # nothing more than English did
    alone, _ = build(src, tmp_path / "zh-alone", "zh_CN", None)
    assert counted == {"parsed": 2, "formatted": 2 * english["formatted"]}
    assert page == alone
    assert "Tiny Models" in page  # the formatted bibliography


def test_an_edited_bib_file_is_parsed_and_its_changed_entry_formatted_again(
    src, tmp_path, counted
) -> None:
    shared = tmp_path / "shared"
    build(src, tmp_path / "en", "en", shared)
    english = dict(counted)
    bib = src / "refs.bib"
    text = bib.read_text(encoding="utf-8")
    assert "Tiny Models" in text
    bib.write_text(text.replace("Tiny Models", "Tiny Networks"), encoding="utf-8")
    page, warnings = build(src, tmp_path / "zh", "zh_CN", shared)
    assert warnings == ""
    # parsed again; of the root's two entries, the edited one formatted again
    assert counted == {"parsed": 2, "formatted": english["formatted"] * 3 // 2}
    assert "Tiny Networks" in page
    alone, _ = build(src, tmp_path / "zh-alone", "zh_CN", None)
    assert page == alone


def test_same_time_and_size_but_other_bytes_is_parsed_again(src, tmp_path, counted) -> None:
    """sphinxcontrib-bibtex trusts the modification time; the shared folder also the digest."""
    shared = tmp_path / "shared"
    build(src, tmp_path / "en", "en", shared)
    bib = src / "refs.bib"
    stat = bib.stat()
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text.replace("Tiny Models", "Tiny Modelz"), encoding="utf-8")
    os.utime(bib, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    page, _ = build(src, tmp_path / "zh", "zh_CN", shared)
    assert counted["parsed"] == 2
    assert "Tiny Modelz" in page


@pytest.mark.parametrize(
    "content",
    [b"", b"not a pickle", pickle.dumps(("other versions", {})), pickle.dumps([1, 2, 3])],
)
def test_read_ignores_unreadable_or_foreign_files(tmp_path, content) -> None:
    path = tmp_path / "file.pickle"
    path.write_bytes(content)
    assert abp_sharedcache.read(path) is None
    assert abp_sharedcache.read(tmp_path / "missing.pickle") is None
    abp_sharedcache.write(path, {"a": 1})
    assert abp_sharedcache.read(path) == {"a": 1}


def test_a_file_written_by_other_formatting_code_is_ignored(tmp_path, monkeypatch) -> None:
    path = tmp_path / "file.pickle"
    abp_sharedcache.write(path, {"a": 1})
    code = sorted(Path(abp.__file__).parent.rglob("*.py"))
    assert (
        abp_sharedcache.VERSIONS[-1]
        == hashlib.sha256(b"".join(path.read_bytes() for path in code)).hexdigest()
    )
    edited = (*abp_sharedcache.VERSIONS[:-1], "digest of edited code")
    monkeypatch.setattr(abp_sharedcache, "VERSIONS", edited)
    assert abp_sharedcache.read(path) is None


def test_a_build_with_a_foreign_shared_folder_does_the_work_itself(src, tmp_path, counted) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / abp_sharedcache.BIBDATA).write_bytes(b"not a pickle")
    (shared / abp_sharedcache.FORMATTED).write_bytes(pickle.dumps(("other versions", {})))
    page, warnings = build(src, tmp_path / "zh", "zh_CN", shared)
    assert warnings == ""
    once = dict(counted)
    assert once["parsed"] == 1 and once["formatted"] >= 2
    alone, _ = build(src, tmp_path / "zh-alone", "zh_CN", None)
    assert counted == {"parsed": 2, "formatted": 2 * once["formatted"]}
    assert page == alone


def test_a_failed_build_leaves_the_folder_alone(src, tmp_path) -> None:
    shared = tmp_path / "shared"
    (src / "refs.bib").write_text("@article{broken,\n  title = {no end\n", encoding="utf-8")
    with docutils_namespace(), pytest.raises(SystemExit):  # restores the node registry
        build(src, tmp_path / "en", "en", shared)
    assert not (shared / abp_sharedcache.BIBDATA).exists()
    assert not (shared / abp_sharedcache.FORMATTED).exists()


def test_an_unchanged_bib_file_is_not_parsed_or_validated_again(src, tmp_path, monkeypatch) -> None:
    shared = tmp_path / "shared"
    build(src, tmp_path / "en", "en", shared)
    assert (shared / abp_sharedcache.MODEL).exists()
    monkeypatch.setattr(model, "PARSED", {})  # the next language's build process
    monkeypatch.setattr(catalogue, "CHECKED", {})

    def refuse(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(bibtexparser, "parse_string", refuse)
    monkeypatch.setattr(catalogue.bibcheck, "validate", refuse)
    page, warnings = build(src, tmp_path / "zh", "zh_CN", shared)
    assert warnings == "" and "Tiny Models" in page
    bib = src / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("Tiny Models", "Tiny Nets"), "utf-8")
    with pytest.raises(Exception, match="parsed again"):  # changed: parsed (Sphinx wraps it)
        build(src, tmp_path / "zh-edited", "zh_CN", shared)


def test_upstream_parses_the_bib_files_in_every_build(src, tmp_path, counted) -> None:
    """The fault: sphinxcontrib-bibtex keeps parsed data only in each build's environment."""
    for lang in ("en", "zh_CN"):
        app = SphinxTestApp(
            "html", srcdir=src, builddir=tmp_path / lang, confoverrides={"language": lang}
        )
        try:
            app.build()
        finally:
            app.cleanup()
    assert counted["parsed"] == 2
