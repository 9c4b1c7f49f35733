extensions = ["myst_parser", "abp_safety", "abp_cards"]
source_suffix = {".md": "markdown"}
bibtex_bibfiles = ["refs.bib"]
exclude_patterns = ["_build"]
