"""The bilingual glossary: ``docs/_data/glossary.csv`` rendered as a table by ``{glossary-table}``.

The same file is the reference the .po checks hold translations to (``load_glossary``).
Columns: ``en`` (the English term), ``zh`` (its Chinese rendering), ``note``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, NamedTuple

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective

_ = get_translation("abp")


class Term(NamedTuple):
    en: str
    zh: str
    note: str
    line: int


def load_glossary(path: str | Path) -> list[Term]:
    """The glossary's terms; a malformed row raises ValueError naming the file and line."""
    path = Path(path)
    terms: list[Term] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["en", "zh", "note"]:
            raise ValueError(f"{path}:1: the header must be en,zh,note")
        for row in reader:
            if not row["en"] or not row["zh"] or None in row:
                raise ValueError(f"{path}:{reader.line_num}: a row needs en and zh, and no more")
            terms.append(
                Term(
                    row["en"].strip(),
                    row["zh"].strip(),
                    (row["note"] or "").strip(),
                    reader.line_num,
                )
            )
    return terms


def _row(*cells: str, header: bool = False) -> nodes.row:
    row = nodes.row()
    for text in cells:
        para = nodes.paragraph("", text)
        para["translatable"] = False
        row += nodes.entry("", para)
    return row


class GlossaryTableDirective(SphinxDirective):
    """The glossary as a three-column table, sorted by the English term."""

    def run(self) -> list[nodes.Node]:
        path = Path(self.config.abp_glossary_file)
        path = path if path.is_absolute() else Path(self.env.srcdir) / path
        self.env.note_dependency(str(path))
        try:
            terms = load_glossary(path)
        except (OSError, ValueError) as err:
            return [self.state.document.reporter.error(str(err), line=self.lineno)]
        table = nodes.table(classes=["abp-glossary"])
        group = nodes.tgroup(cols=3)
        table += group
        for width in (30, 25, 45):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        head += _row(_("English"), _("Chinese"), _("Note"))
        group += head
        body = nodes.tbody()
        for term in sorted(terms, key=lambda t: t.en.lower()):
            body += _row(term.en, term.zh, term.note)
        group += body
        return [table]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("abp_glossary_file", "_data/glossary.csv", "env", types=[str])
    app.add_directive("glossary-table", GlossaryTableDirective)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
