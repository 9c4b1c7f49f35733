"""The configuration the test roots share: the site's extension and the settings that matter.

Each root's ``conf.py`` starts with ``from base_conf import *`` (``tests/conftest.py`` puts this
folder on ``sys.path``) and changes only what the root is about.
"""

extensions = ["myst_parser", "abp"]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence"]
myst_disable_syntax = ["html_block", "html_inline"]  # as the site: no raw HTML from pages
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "abp"
abp_source_lists = {"atpapers": ("ATPapers", "https://github.com/ZhengZixiang/ATPapers")}
abp_proper_nouns_file = ""
exclude_patterns = ["_build"]
nitpicky = True
html_theme = "basic"
locale_dirs = ["locale/"]
gettext_compact = False
translation_progress_classes = "untranslated"
html_use_index = False  # as the site: the index entries serve the search
