extensions = ["myst_parser", "abp_safety", "abp_furonav"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "furo"
