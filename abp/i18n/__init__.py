"""The bilingual edition: label catalogue, untranslated notes, language switcher, lang tag.

- The labels of the local extensions live in their own catalogue, ``abp``
  (``abp/locale/<lang>/LC_MESSAGES/abp.po``), compiled at start-up.
- On a translated build, a paragraph whose translation is missing or fuzzy is shown in
  English with a visible note that its translation is being updated, and the page says so
  at its top; it is never passed off as translated.
- Every page gets links to the same page in the other languages (``abp_languages``).
- The ``lang`` attribute is a BCP 47 tag (``zh-CN``, not ``zh_CN``).
- On a translated build, every ``.po`` of the language (under ``locale_dirs``, and
  ``abp.po``) is checked with ``abp.checks.po`` before Sphinx compiles it. Each problem is an
  error at ``file.po:LINE`` and the file's translations are left out (its ``.mo`` is empty,
  ``abp.po`` is not compiled), so its pages show the English. Results are cached on each
  file's mtime and size. (Sphinx reads ``sphinx.po`` before any extension loads: a bad one
  is reported at once and left out from the next build on.)
"""

from __future__ import annotations

import json
import os
import struct
import time
from pathlib import Path
from typing import Any

import babel
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform
from sphinx.util.logging import getLogger
from sphinx.util.nodes import is_translatable

from abp.checks import po as posyntax

CATALOG = "abp"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
_ = get_translation(CATALOG)
logger = getLogger(__name__)

#: A GNU .mo file with no messages: what a catalogue that fails the syntax check compiles to.
EMPTY_MO = struct.pack("<7I", 0x950412DE, 0, 0, 28, 28, 0, 28)
#: The results of the syntax check, per file, in the doctree folder.
SYNTAX_CACHE = "abp-posyntax.json"

#: Text nodes that, left untranslated, get a visible note.
NOTED = (nodes.paragraph,)
MARKED = (nodes.paragraph, nodes.title, nodes.rubric, nodes.term, nodes.caption)


def bcp47(language: str) -> str:
    """``zh_CN`` -> ``zh-CN`` (the form HTML's lang attribute takes)."""
    return language.replace("_", "-")


def compile_catalogs(source: Path, target: Path) -> Path:
    """Compile every ``abp.po`` under *source* into *target* (only when out of date).

    One that fails the syntax check is not compiled, and its old ``.mo`` is removed.
    """
    for po_path in source.glob(f"*/LC_MESSAGES/{CATALOG}.po"):
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime_ns >= po_path.stat().st_mtime_ns:
            continue
        if posyntax.check(po_path):  # reported by check_catalogs; its labels stay English
            mo_path.unlink(missing_ok=True)
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parts[-3])
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
    return target


def is_translated(config: Config) -> bool:
    return bool(config.language) and config.language != "en"


def catalogs_of(app: Sphinx) -> list[Path]:
    """The .po files of the build's language: those Sphinx compiles, then ``abp.po``."""
    language = app.config.language
    found = []
    for locale_dir in app.config.locale_dirs:
        base = Path(app.srcdir, locale_dir, language, "LC_MESSAGES")
        found += sorted(
            path
            for path in base.rglob("*.po")
            if not any(part.startswith(".") for part in path.relative_to(base).parts[:-1])
        )
    own = own_catalog(language)
    return [*found, own] if own.is_file() else found


def own_catalog(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{CATALOG}.po"


def _checker_id() -> list[Any]:
    module = Path(posyntax.__file__).stat()
    return [babel.__version__, module.st_mtime_ns, module.st_size]


def _leave_out(po_path: Path) -> None:
    """Make the .mo beside *po_path* empty and newer, so Sphinx does not compile the .po."""
    mo_path = po_path.with_suffix(".mo")
    po_mtime = po_path.stat().st_mtime_ns
    if (
        mo_path.is_file()
        and mo_path.stat().st_mtime_ns >= po_mtime
        and mo_path.read_bytes() == EMPTY_MO
    ):
        return
    mo_path.write_bytes(EMPTY_MO)
    stamp = max(time.time_ns(), po_mtime)
    os.utime(mo_path, ns=(stamp, stamp))


def check_catalogs(app: Sphinx) -> None:
    """Report the syntax problems of every .po of a translated build, each at file:line."""
    if not is_translated(app.config) or app.builder.name == "gettext":
        return
    cache_path = Path(app.doctreedir) / SYNTAX_CACHE
    checker = _checker_id()
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    known = cache.get("files", {}) if cache.get("checker") == checker else {}
    results = {}
    for po_path in catalogs_of(app):
        stat = po_path.stat()
        stamp = [stat.st_mtime_ns, stat.st_size]
        key = str(po_path)
        if key in known and known[key][0] == stamp:
            problems = known[key][1]
        else:
            problems = [list(problem) for problem in posyntax.check(po_path)]
        results[key] = [stamp, problems]
        for line, message in problems:
            logger.error(message, location=f"{po_path}:{line}", type="abp", subtype="po_syntax")
        if problems and po_path != own_catalog(app.config.language):  # abp: compile_catalogs
            _leave_out(po_path)
    if results != known:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        cache_path.write_text(json.dumps({"checker": checker, "files": results}), "utf-8")


class MarkUntranslated(SphinxTransform):
    """Flag text left in English on a translated build, and say so on the page."""

    default_priority = 960  # after Sphinx's Locale (20) and AddTranslationClasses (950)

    def apply(self, **kwargs: Any) -> None:
        if not is_translated(self.config) or self.env._builder_cls.name == "gettext":
            return
        pending = 0
        for node in list(self.document.findall(lambda n: isinstance(n, MARKED))):
            if node.get("translated", False) or not is_translatable(node):
                continue
            if "untranslated" not in node["classes"]:
                node["classes"].append("untranslated")
            if isinstance(node, NOTED):
                pending += 1
                note = _("Translation being updated; the English original is shown.")
                node += nodes.inline("", f" [{note}]", classes=["abp-untranslated-note"])
        if pending:
            banner = nodes.container(classes=["abp-untranslated-banner"])
            text = _(
                "Part of this page is awaiting an updated translation "
                "({count} paragraphs shown in English)."
            ).format(count=pending)
            para = nodes.paragraph("", text)
            para["translatable"] = False
            banner += para
            sections = list(self.document.findall(nodes.section))
            if sections and len(sections[0]) > 0:
                sections[0].insert(1, banner)  # after the page title
            else:
                self.document.insert(0, banner)


def page_context(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Set the BCP 47 lang tag and the links to this page in every language."""
    language = app.config.language or "en"
    context["language"] = bcp47(language)
    suffix = app.builder.out_suffix if hasattr(app.builder, "out_suffix") else ".html"
    up = "../" * (pagename.count("/") + 1)  # from this page to the folder holding en/, zh_CN/
    context["abp_languages"] = [
        {
            "code": code,
            "tag": bcp47(code),
            "label": label,
            "current": code == language,
            "url": f"{up}{code}/{pagename}{suffix}",
        }
        for code, label in app.config.abp_languages.items()
    ]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value(
        "abp_languages", {"en": "English", "zh_CN": "简体中文"}, "html", types=[dict]
    )
    compiled = compile_catalogs(LOCALE_DIR, Path(app.doctreedir) / "abp-locale")
    app.add_message_catalog(CATALOG, str(compiled))
    app.setup_extension("abp.assets")  # abp-language.js: the switcher keeps ?q= and #anchor
    app.add_transform(MarkUntranslated)
    app.connect("html-page-context", page_context)
    app.connect("builder-inited", check_catalogs)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
