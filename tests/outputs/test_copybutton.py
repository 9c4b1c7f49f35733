"""The copy button's Chinese message ends in a full-width "！": docs/_static/abp-copybutton.js,
run after sphinx-copybutton's own script as the built page loads them (Node.js runs both)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not shutil.which("node"), reason="needs Node.js (Debian: nodejs)")

#: The page's scripts in a context with the little of a browser they touch while the page loads
#: (the buttons are added once it has loaded); prints the messages of the page's language,
#: which the tooltip shows on a copy, and the title of the "copied" icon.
RUNNER = """
const vm = require("vm");
const fs = require("fs");
const [lang, ...scripts] = process.argv.slice(1);
const context = vm.createContext({
  document: {documentElement: {lang}, readyState: "loading", addEventListener: () => {}},
  DOCUMENTATION_OPTIONS: {URL_ROOT: ""},
});
for (const path of scripts) vm.runInContext(fs.readFileSync(path, "utf8"), context);
console.log(JSON.stringify(vm.runInContext(
  "({locale, messages: messages[locale], title: /<title>(.*)<\\\\/title>/.exec(iconCheck)[1]})",
  context,
)));
"""


def scripts_of(app) -> list[Path]:
    """The page's own scripts from copybutton.js on, in the order the page loads them."""
    out = Path(app.outdir)
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    names = [s["src"].split("?")[0] for s in soup.select("script[src]")]
    names = names[names.index("_static/copybutton.js") :]
    return [out / name for name in names if not name.startswith("_static/translations")]


def seen(app, lang: str) -> dict:
    run = subprocess.run(
        ["node", "-e", RUNNER, lang, *map(str, scripts_of(app))],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


SITE = {
    "extensions": ["myst_parser", "abp", "sphinx_copybutton"],
    "html_static_path": [str(ROOT / "docs" / "_static")],
    "html_js_files": ["abp-copybutton.js"],
}


@pytest.mark.sphinx("html", testroot="i18n", confoverrides={**SITE, "language": "zh_CN"})
def test_chinese_copy_message_is_full_width(built):
    assert [p.name for p in scripts_of(built)] == ["copybutton.js", "abp-copybutton.js"]
    shown = seen(built, "zh-CN")
    assert shown["locale"] == "zh-CN"
    assert shown["messages"]["copy_success"] == "复制成功！"
    assert shown["title"] == "复制成功！"
    assert shown["messages"]["copy"] == "复制"  # the rest as sphinx-copybutton has it


@pytest.mark.sphinx("html", testroot="i18n", confoverrides={**SITE, "language": "en"})
def test_english_copy_message_is_unchanged(built):
    shown = seen(built, "en")
    assert shown["messages"]["copy_success"] == "Copied!"
    assert shown["title"] == "Copied!"


def test_upstream_chinese_message_still_ends_in_an_ascii_mark():
    """sphinx-copybutton's own Chinese message still ends in an ASCII "!"; if this fails, a
    fixed version is installed and abp-copybutton.js can go."""
    import sphinx_copybutton

    template = Path(sphinx_copybutton.__file__).parent / "_static" / "copybutton.js_t"
    assert "'copy_success': '复制成功!'," in template.read_text(encoding="utf-8")
