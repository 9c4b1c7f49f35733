from pathlib import Path

import base_conf
from base_conf import *  # noqa: F403

# the site's published-site extensions and templates (docs/conf.py), under a base URL with a path
extensions = [
    "myst_parser",
    "notfound.extension",
    "sphinx_sitemap",
    "sphinxext.opengraph",
    "abp.safety",
    "abp.i18n",  # the language switcher, whose links the alternates are
    "abp.published",
]
html_theme = "furo"
html_title = "Published test"
# the site's own templates (this root is copied elsewhere to be built; base_conf is not)
templates_path = [str(Path(base_conf.__file__).resolve().parents[2] / "docs" / "_templates")]
abp_base_url = "https://example.org/books"  # no final slash: abp.published adds it
ogp_social_cards = {"enable": False}
sitemap_excludes = ["404.html", "search.html", "genindex.html"]
