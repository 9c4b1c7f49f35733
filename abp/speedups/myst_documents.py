"""Make MyST's throwaway documents cheap: default settings are built once, then copied.

myst-parser 5.2 sets up its renderer for every text it renders with
``options.get("document", make_document())``: the default is evaluated even when a document is
given, and ``make_document`` builds docutils' default settings from scratch (an option parser
over every setting: about 2 ms). The English build renders once a page, but the translated
build renders every msgstr on its own (``sphinx.transforms.i18n.Locale``), so the Chinese
build made one throwaway document per message: about 12% of its time.

Here ``make_document`` builds the default settings once per parser class and gives each new
document a deep copy of them, so documents stay independent of each other (a test checks
that). Remove it once MyST makes the document only when none is given.
"""

from __future__ import annotations

import copy
import functools

from docutils import frontend, nodes
from docutils.parsers.rst import Parser as RSTParser
from docutils.utils import new_document
from myst_parser.mdit_to_docutils import base
from sphinx.application import Sphinx

from abp.speedups._workaround import Workaround, patch

_UPSTREAM = base.make_document


@functools.cache
def default_settings(parser_cls: type) -> frontend.Values:
    return frontend.get_default_settings(parser_cls)


def make_document(source_path: str = "notset", parser_cls: type = RSTParser) -> nodes.document:
    """A new docutils document with (a copy of) the parser class's default settings."""
    return new_document(source_path, settings=copy.deepcopy(default_settings(parser_cls)))


def apply(app: Sphinx) -> None:
    patch(app, base, "make_document", make_document)


WORKAROUND = Workaround(
    name="myst_documents",
    fault="MyST's renderer builds docutils' default settings for every text it renders",
    upstream="no report found upstream (executablebooks/MyST-Parser)",
    versions={"myst-parser": ("5.2.0",), "docutils": ("0.22.4",)},
    apply=apply,
)
