"""What a published edition carries: its absolute URLs, hreflang alternates, a 404 page that
works at any depth, one viewport meta tag.

Every absolute URL of the site derives from one value, ``abp_base_url`` (``docs/conf.py`` reads
it from the environment variable ``ABP_BASE_URL``): the root of the published site, which holds
``en/``, ``zh_CN/`` and the root chooser. With it set, at ``config-inited`` each language's build
gets the values the published-site extensions read, for its own folder (the language comes from
``-D language=…``, after ``conf.py`` has run, so ``conf.py`` cannot set them itself):

- ``html_baseurl`` (Sphinx's ``<link rel="canonical">``) and ``ogp_site_url``
  (sphinxext-opengraph's ``og:url``): ``<base>/<lang>/``;
- ``notfound_urls_prefix`` (sphinx-notfound-page): the path of ``<base>/<lang>/``, so the 404
  page's styles, scripts and links work wherever the server shows it;
- ``site_url``, ``sitemap_url_scheme`` and ``sitemap_locales`` (sphinx-sitemap): every
  edition's page listed at ``<base>/<lang>/<page>``, with the other editions as alternates;
- ``ogp_site_name``: ``html_title`` unless ``conf.py`` names one.

On every page (``html-page-context``):

- ``abp_alternates``: the same page in every edition, absolute (``hreflang`` links, rendered
  by ``docs/_templates/page.html``); they are the language switcher's links
  (``abp.i18n``, ``abp_languages``) made absolute, plus ``x-default``: the root chooser for the
  root page, the English page for the others;
- on the 404 page, the switcher's links and ``content_root`` become absolute paths too, and
  so do the links of its text (``doctree-resolved``): the server shows that page at the
  address that was not found, at any depth;
- the ``<meta name="viewport">`` that docutils' HTML5 writer adds is dropped: the theme writes
  its own (Sphinx keeps the writer's tags but the first two, from before the writer added a
  third: sphinx-doc/sphinx#11699).

Without ``abp_base_url`` (the test roots) the pages get no absolute URL, only the viewport fix.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

#: The tag docutils' HTML5 writer adds to every page's meta tags (docutils 0.18 and later).
DOCUTILS_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
#: The edition that ``x-default`` points to (and the root chooser's fallback).
DEFAULT_LANGUAGE = "en"


def base_url(value: str) -> str:
    """*value* as the site's root URL: absolute http(s), ending in ``/``; ``""`` stays ``""``."""
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(
            f"abp_base_url (ABP_BASE_URL) must be an absolute http(s) URL, not {value!r}"
        )
    return value if value.endswith("/") else value + "/"


def edition_url(base: str, language: str) -> str:
    """The URL of one language's folder: ``<base>/<language>/``."""
    return urljoin(base, f"{language}/")


def configure(app: Sphinx, config: Config) -> None:
    """Derive each published-site setting of this language's build from ``abp_base_url``."""
    base = base_url(config.abp_base_url)
    config.abp_base_url = base
    if not base:
        return
    language = config.language or DEFAULT_LANGUAGE
    edition = edition_url(base, language)
    config.html_baseurl = edition
    derived = {
        "ogp_site_url": edition,
        "notfound_urls_prefix": urlsplit(edition).path,
        "site_url": base,
        "sitemap_url_scheme": "{lang}{link}",
        "sitemap_locales": list(config.abp_languages),
    }
    for name, value in derived.items():
        if name in config:  # the extension that reads it is loaded
            setattr(config, name, value)
    if "ogp_site_name" in config and config.ogp_site_name is None:
        config.ogp_site_name = config.html_title


def is_notfound_page(app: Sphinx, pagename: str) -> bool:
    return "notfound_pagename" in app.config and pagename == app.config.notfound_pagename


def page_context(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """The alternates of the page, the 404 page's absolute links, one viewport tag."""
    if "metatags" in context:
        context["metatags"] = context["metatags"].replace(DOCUTILS_VIEWPORT, "")
    base = app.config.abp_base_url
    if not base:
        return
    edition = edition_url(base, app.config.language or DEFAULT_LANGUAGE)
    here = context.get("pageurl") or urljoin(edition, app.builder.get_target_uri(pagename))
    languages = context.get("abp_languages") or []
    urls = {lang["code"]: urljoin(here, lang["url"]) for lang in languages}
    alternates = [{"hreflang": lang["tag"], "href": urls[lang["code"]]} for lang in languages]
    # the root page's: the root chooser, which sends a reader to their language
    default = base if pagename == app.config.root_doc else urls.get(DEFAULT_LANGUAGE)
    if default:
        alternates.append({"hreflang": "x-default", "href": default})
    context["abp_alternates"] = alternates
    if is_notfound_page(app, pagename):
        for lang in languages:
            lang["url"] = urlsplit(urljoin(here, lang["url"])).path
        context["content_root"] = urlsplit(edition).path


def absolute_notfound_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The links of the 404 page's own text, as absolute paths (its images: the extension)."""
    if app.builder.format != "html" or not app.config.abp_base_url:
        return
    if not is_notfound_page(app, docname):
        return
    edition = edition_url(app.config.abp_base_url, app.config.language or DEFAULT_LANGUAGE)
    here = urlsplit(urljoin(edition, app.builder.get_target_uri(docname))).path
    for node in doctree.findall(nodes.reference):
        uri = node.get("refuri")
        if uri and not urlsplit(uri).scheme and not uri.startswith(("/", "#")):
            node["refuri"] = urljoin(here, uri)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("abp_base_url", "", "html", types=[str])
    app.connect("config-inited", configure, priority=800)
    app.connect("html-page-context", page_context, priority=600)  # after abp.i18n's switcher
    app.connect("doctree-resolved", absolute_notfound_links)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
