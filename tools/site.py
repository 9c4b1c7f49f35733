"""Build the bilingual site: ``build/html/<lang>/`` for every language, plus the root files.

Used by ``nox -s docs`` and by the whole-site tests, so both build the same way. At the root
(``build/html/``), next to ``en/`` and ``zh_CN/``, it writes what a server or a crawler looks
for there: ``index.html`` (the language chooser), ``404.html`` (the English 404 page, whose
links are absolute paths: GitHub Pages shows it for any missing address), ``sitemap.xml`` (a
sitemap index of the editions' sitemaps) and ``robots.txt`` (naming it). Their absolute URLs
come from ``abp_base_url`` in ``docs/conf.py`` (``ABP_BASE_URL``).

    python tools/site.py [--lang en --lang zh_CN] [--out build]
"""

from __future__ import annotations

import argparse
import html
import json
import runpy
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

from abp.published import base_url, edition_url

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
FLAGS = ["-n", "-W", "--keep-going"]


def sphinx_command(
    lang: str,
    out: Path,
    builder: str = "html",
    *,
    project: Path = ROOT,
    shared: bool = True,
    strict: bool = True,
) -> list[str]:
    """The ``sphinx-build`` command line of one language (``python -m sphinx`` and its arguments).

    ``out/doctrees/<lang>`` holds each language's environment, and ``out/doctrees/shared`` the
    work the languages share (``abp.speedups.sharedcache``): English, built first, parses and
    formats the bibliography once for both. ``shared=False`` leaves the option out (for a
    project without this site's extensions), ``strict=False`` the warnings-are-errors flags.
    """
    return [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        builder,
        *(FLAGS if strict else []),
        "-q",
        "-d",
        str(out / "doctrees" / lang),
        "-D",
        f"language={lang}",
        *(["-D", f"abp_shared_cache={shared_folder(out)}"] if shared else []),
        str(project / "docs"),
        str(out / builder / lang),
    ]


def shared_folder(out: Path) -> Path:
    return (out / "doctrees" / "shared").resolve()


def build(lang: str, out: Path) -> None:
    subprocess.run(sphinx_command(lang, out), check=True)


DESCRIPTION = (
    "An annotated bibliography of BERT, attention, Transformers and pretrained language models, "
    "in English and Simplified Chinese."
)
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def site_base_url(project: Path = ROOT) -> str:
    """The root URL of the published site: ``abp_base_url`` as ``docs/conf.py`` sets it."""
    return base_url(runpy.run_path(str(project / "docs" / "conf.py"))["abp_base_url"])


def hreflang(code: str) -> str:
    return code.replace("_", "-")


def write_root(out: Path, base: str) -> Path:
    """``build/html/index.html``: sends a visitor to their language (English by default)."""
    codes = json.dumps(list(LANGUAGES))
    links = "\n".join(
        f'<li><a href="{code}/index.html" hreflang="{hreflang(code)}">{html.escape(label)}</a></li>'
        for code, label in LANGUAGES.items()
    )
    alternates = "\n".join(
        f'<link rel="alternate" hreflang="{tag}" href="{html.escape(url)}">'
        for tag, url in [
            *((hreflang(code), edition_url(base, code) + "index.html") for code in LANGUAGES),
            ("x-default", base),
        ]
    )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Annotated BERT Papers</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="description" content="{html.escape(DESCRIPTION)}">
<meta http-equiv="refresh" content="3; url=en/index.html">
<link rel="canonical" href="{html.escape(base)}">
{alternates}
<link rel="icon" href="en/_static/favicon.svg" type="image/svg+xml">
<script>
  var codes = {codes};
  var wanted = (navigator.languages || [navigator.language || "en"]).map(function (l) {{
    return l.toLowerCase().indexOf("zh") === 0 ? "zh_CN" : "en"; }});
  var pick = wanted.find(function (c) {{ return codes.indexOf(c) >= 0; }}) || "en";
  window.location.replace(pick + "/index.html");
</script>
</head>
<body>
<h1>Annotated BERT Papers</h1>
<ul>
{links}
</ul>
</body>
</html>
"""
    target = out / "html" / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return target


def write_notfound(out: Path) -> Path | None:
    """``build/html/404.html``: the English 404 page (its switcher leads to the Chinese one)."""
    source = out / "html" / "en" / "404.html"
    if not source.is_file():
        return None
    return Path(shutil.copyfile(source, out / "html" / "404.html"))


def write_sitemap_index(out: Path, base: str) -> Path:
    """``build/html/sitemap.xml``: a sitemap index of every edition's ``sitemap.xml``."""
    ElementTree.register_namespace("", SITEMAP_NS)
    index = ElementTree.Element(f"{{{SITEMAP_NS}}}sitemapindex")
    for code in LANGUAGES:
        if (out / "html" / code / "sitemap.xml").is_file():
            entry = ElementTree.SubElement(index, f"{{{SITEMAP_NS}}}sitemap")
            loc = ElementTree.SubElement(entry, f"{{{SITEMAP_NS}}}loc")
            loc.text = edition_url(base, code) + "sitemap.xml"
    ElementTree.indent(index)
    target = out / "html" / "sitemap.xml"
    ElementTree.ElementTree(index).write(target, encoding="utf-8", xml_declaration=True)
    return target


def write_robots(out: Path, base: str) -> Path:
    """``build/html/robots.txt``: every page may be crawled; where the sitemap is."""
    target = out / "html" / "robots.txt"
    target.write_text(f"User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n", "utf-8")
    return target


def write_root_files(out: Path, base: str) -> None:
    write_root(out, base)
    write_notfound(out)
    write_sitemap_index(out, base)
    write_robots(out, base)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", action="append", choices=list(LANGUAGES))
    parser.add_argument("--out", type=Path, default=ROOT / "build")
    args = parser.parse_args(argv)
    for lang in args.lang or list(LANGUAGES):
        try:
            build(lang, args.out)
        except subprocess.CalledProcessError as err:  # Sphinx has said what went wrong
            print(
                f"site.py: the {lang} build failed (exit status {err.returncode})", file=sys.stderr
            )
            return err.returncode
    write_root_files(args.out, site_base_url())
    return 0


if __name__ == "__main__":
    sys.exit(main())
