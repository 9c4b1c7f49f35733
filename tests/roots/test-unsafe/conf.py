extensions = ["myst_parser", "abp_safety"]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence"]
myst_disable_syntax = ["html_block", "html_inline"]
exclude_patterns = ["_build"]
html_theme = "basic"
locale_dirs = ["locale/"]
gettext_compact = False
