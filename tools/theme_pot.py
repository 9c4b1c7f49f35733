"""Write ``build/gettext/sphinx.pot``: the interface messages of the templates and the theme.

Sphinx's gettext builder extracts the messages of ``templates_path`` only, so the labels of
furo's templates (and those :mod:`abp.i18n.theme` makes translatable) would turn obsolete in
``sphinx.po`` at every ``nox -s gettext``. This extracts, with Babel, the site's templates,
furo's templates and the ``theme_text(...)`` markers of ``abp/i18n/theme.py``.

    python tools/theme_pot.py build/gettext/sphinx.pot
"""

from __future__ import annotations

import sys
from pathlib import Path

import furo
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parent.parent
JINJA = [("**.html", "jinja2")]


def catalog() -> Catalog:
    messages = Catalog(project="Annotated BERT Papers")
    furo_theme = Path(furo.__file__).parent / "theme" / "furo"
    for folder, shown in ((ROOT / "docs" / "_templates", "docs/_templates"), (furo_theme, "furo")):
        for name, line, message, comments, _context in extract_from_dir(folder, JINJA):
            messages.add(message, locations=[(f"{shown}/{name}", line)], auto_comments=comments)
    theme = ROOT / "abp" / "i18n" / "theme.py"
    for line, message, comments, _context in extract_from_file(
        "python", theme, keywords={"theme_text": None}
    ):
        messages.add(message, locations=[("abp/i18n/theme.py", line)], auto_comments=comments)
    return messages


def main(argv: list[str]) -> int:
    target = Path(argv[0])
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        write_po(handle, catalog(), width=0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
