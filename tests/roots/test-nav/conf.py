from base_conf import *  # noqa: F403

extensions = ["myst_parser", "abp.safety", "abp.speedups"]
html_theme = "furo"
