"""Build the bilingual site: ``build/html/<lang>/`` for every language, plus a root page.

Used by ``nox -s docs`` and by the whole-site tests, so both build the same way.

    python tools/site.py [--lang en --lang zh_CN] [--out build]
"""

from __future__ import annotations

import argparse
import html
import json
import subprocess
import sys
from pathlib import Path

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


def write_root(out: Path) -> Path:
    """``build/html/index.html``: sends a visitor to their language (English by default)."""
    codes = json.dumps(list(LANGUAGES))
    links = "\n".join(
        f'<li><a href="{code}/index.html" hreflang="{code.replace("_", "-")}">'
        f"{html.escape(label)}</a></li>"
        for code, label in LANGUAGES.items()
    )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Annotated BERT Papers</title>
<meta http-equiv="refresh" content="3; url=en/index.html">
<link rel="alternate" hreflang="en" href="en/index.html">
<link rel="alternate" hreflang="zh-CN" href="zh_CN/index.html">
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
    write_root(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
