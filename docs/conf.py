"""Sphinx configuration of Annotated BERT Papers.

Declarative settings only; behaviour lives in the ``abp`` package at the repository's root
(``abp/README.md``), which ``nox`` installs. The language is chosen on the command line
(``-D language=zh_CN``) by ``nox -s docs``.
"""

import os

# -- Project -------------------------------------------------------------------
project = "Annotated BERT Papers"
author = "The Annotated BERT Papers contributors"
copyright = "2026, the Annotated BERT Papers contributors"
language = "en"
root_doc = "index"

# -- Extensions ----------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "sphinx_copybutton",
    "notfound.extension",  # 404.html, with absolute links (docs/404.md)
    "sphinx_sitemap",  # sitemap.xml of each edition, with the other edition as alternate
    "sphinxext.opengraph",  # OpenGraph tags and the meta description of every page
    "abp",  # the features: cards, checks, downloads, glossary, i18n, safety
    "abp.speedups",  # build-speed workarounds for upstream faults (removable)
]

# -- Sources -------------------------------------------------------------------
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
templates_path = ["_templates"]
nitpicky = True

# -- MyST ----------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
# No raw HTML from pages or translations: MyST's HTML syntax off here; raw output, file
# insertion and unsafe links off in abp.safety (and in docutils.conf beside this file).
myst_disable_syntax = ["html_block", "html_inline"]
myst_heading_anchors = 3

# -- Bibliography --------------------------------------------------------------
bibtex_bibfiles = ["../references.bib"]
bibtex_default_style = "abp"  # unsrt, labelled by key (abp_bibstyle)
bibtex_reference_style = "author_year"
bibtex_tooltips = False  # the cards show every entry in full; tooltips would format each twice
abp_source_lists = {
    "bert-related-papers": (
        "BERT-related Papers",
        "https://github.com/tomohideshibata/BERT-related-papers",
    ),
    "awesome-bert": ("awesome-bert", "https://github.com/Jiakui/awesome-bert"),
    "awesome-bert-nlp": (
        "Awesome BERT & Transfer Learning in NLP",
        "https://github.com/cedrickchee/awesome-bert-nlp",
    ),
    "atpapers": ("ATPapers", "https://github.com/ZhengZixiang/ATPapers"),
    "ainlp": ("AINLP: BERT相关论文、文章和代码资源汇总", "https://www.zhihu.com/people/ainlp"),
    "bert-family": ("BERT-Family", "https://github.com/KangChou/BERT-Family"),
}

# -- Internationalisation ------------------------------------------------------
locale_dirs = ["../locale/"]
gettext_compact = False
gettext_uuid = False
gettext_location = True
gettext_allow_fuzzy_translations = False
translation_progress_classes = "untranslated"
html_search_language = None  # follows `language`; Chinese: character bigrams (abp.i18n.search)

# -- HTML ----------------------------------------------------------------------
html_theme = "furo"
html_title = "Annotated BERT Papers"
html_static_path = ["_static"]
html_css_files = ["abp.css"]
html_js_files = ["abp-copybutton.js"]  # sphinx-copybutton's Chinese "copied" message, full-width
html_copy_source = False
html_use_index = False  # no index page: the index entries (keys, arXiv ids) serve the search
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "navigation_with_keys": True,
}
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/search.html",
        "abp-language.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/scroll-end.html",
    ],
}

# -- Published site ------------------------------------------------------------
# The root of the published site (it holds en/, zh_CN/ and the root chooser): every absolute
# URL derives from it (abp.published sets html_baseurl, ogp_site_url, notfound_urls_prefix and
# the sitemap's URLs per language; tools/site.py the root sitemap.xml and robots.txt). The
# deployments set ABP_BASE_URL (README "Deploying").
abp_base_url = os.environ.get("ABP_BASE_URL", "https://annotated-bert-papers.github.io/")
html_favicon = "_static/favicon.svg"
ogp_type = "website"
ogp_enable_meta_description = True  # <meta name="description">: from the page's text
ogp_social_cards = {"enable": False}  # no generated images (they need matplotlib and fonts)
# ogp_site_name: html_title, in each language (abp.published)
sitemap_excludes = ["404.html", "search.html", "genindex.html"]  # no content of their own

# -- Checks --------------------------------------------------------------------
suppress_warnings: list[str] = []
