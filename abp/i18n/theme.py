"""The theme's interface in the page's language: site name, furo's fixed labels, the copyright.

- furo 2025.12.19 marks most of its labels for translation ("Back to top", "On this page", ...;
  their Chinese is in ``locale/zh_CN/LC_MESSAGES/sphinx.po``, extracted from furo's templates
  by ``nox -s gettext``), but writes some as fixed English: the accessible names of the
  navigation and contents toggles and the theme switch, the "'s" of the footer credit, and,
  in its navigation code, "Toggle navigation of <page>". :data:`FIXED` lists them; each is
  made a translatable message of the ``sphinx`` catalogue when furo's ``page.html`` is loaded,
  and :func:`translate_navigation` translates the navigation's. Written for the furo release
  below; on another release nothing is changed and a line says so (then check whether furo
  translates them itself).
- The site name (``html_title``, shown in the header, the sidebar and every ``<title>``) is the
  landing page's title in the page's language: translators translate it once, in
  ``index.po``. The copyright line and OpenGraph's site name follow the page's language too.
"""

from __future__ import annotations

import re
from typing import Any

import furo
from markupsafe import escape
from sphinx.application import Sphinx
from sphinx.locale import get_translation
from sphinx.util import logging

from abp.i18n import is_translated

logger = logging.getLogger(__name__)
_ = get_translation("abp")
#: The furo release whose fixed English this module knows.
FURO = "2025.12.19"


def theme_text(message: str) -> str:
    """Marks *message* for extraction into the ``sphinx`` catalogue (``nox -s gettext``)."""
    return message


#: furo's fixed English in ``page.html``: (the template's text, the same made translatable).
FIXED = [
    (
        f'aria-label="{text}"',
        'aria-label="{{ _(' + repr(text) + ')|e }}"',
    )
    for text in (
        theme_text("Toggle site navigation sidebar"),
        theme_text("Toggle table of contents sidebar"),
        theme_text("Toggle Light / Dark / Auto color theme"),
    )
] + [
    (
        """<a class="muted-link" href="https://pradyunsg.me">@pradyunsg</a>'s""",
        '<a class="muted-link" href="https://pradyunsg.me">@pradyunsg</a>'
        + "{{ _("
        + repr(theme_text("'s"))
        + ")|e }}",
    )
]
NAVIGATION = re.compile(r'aria-label="Toggle navigation of ')


def translatable_page_template(source: str) -> str:
    """furo's ``page.html`` with its fixed English made translatable."""
    for fixed, translatable in FIXED:
        source = source.replace(fixed, translatable)
    return source


def install(app: Sphinx) -> None:
    """Rewrite furo's ``page.html`` as it is loaded (translated builds, furo :data:`FURO`)."""
    if not is_translated(app.config) or app.config.html_theme != "furo":
        return
    if furo.__version__ != FURO:
        logger.info("abp.i18n.theme: written for furo %s, not %s", FURO, furo.__version__)
        return
    templates = app.builder.templates
    upstream = templates.get_source

    def get_source(environment: Any, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = upstream(environment, template)
        if filename.replace("\\", "/").endswith("furo/page.html"):
            source = translatable_page_template(source)
        return source, filename, uptodate

    templates.get_source = get_source


def translate_navigation(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """The site name and copyright in the page's language; furo's navigation labels."""
    if not is_translated(app.config):
        return
    root = app.env.titles.get(app.config.root_doc)
    if root is not None:
        name = root.astext()
        context["docstitle"] = escape(name)  # furo writes it unescaped in places
        year = re.match(r"\s*(\d{4}(?:[-–]\d{4})?)", app.config.copyright or "")
        if year:
            context["copyright"] = escape(
                _("{year}, the {site} contributors").format(year=year.group(1), site=name)
            )
    tree = context.get("furo_navigation_tree")
    if tree and furo.__version__ == FURO:
        label = escape(_("Toggle navigation of "))
        context["furo_navigation_tree"] = NAVIGATION.sub(lambda _m: f'aria-label="{label}', tree)


def site_name(app: Sphinx, *args: Any) -> None:
    """OpenGraph's site name (sphinxext-opengraph reads it from the configuration as each page
    is written, after this) in the page's language too. Set while writing only, it is not
    saved with the environment."""
    root = app.env.titles.get(app.config.root_doc)
    if is_translated(app.config) and root is not None and "ogp_site_name" in app.config:
        app.config.ogp_site_name = root.astext()


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", install)
    app.connect("html-page-context", site_name, priority=400)  # before sphinxext-opengraph
    app.connect("html-page-context", translate_navigation, priority=900)  # after furo's
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
