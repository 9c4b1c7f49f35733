"""``python -m abp check [--pages DIR] FILE...``: the references.bib validator, without Sphinx.

Every problem of each file, as ``file:LINE: KEY: what is wrong``; with ``--pages``, also every
record that no ``{entry}`` card of the pages under DIR shows. Exit status 1 on any problem.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from abp import model
from abp.checks import bib as bibcheck

DEFAULT_NOUNS = Path("docs/_data/proper_nouns.txt")


def check(files: list[str], pages: Path | None, nouns_file: Path | None) -> int:
    nouns = bibcheck.load_proper_nouns(nouns_file) if nouns_file else frozenset()
    cards = model.page_cards(pages) if pages else None
    status = 0
    for name in files:
        bib = model.read(name)
        problems = bibcheck.validate(bib, nouns)
        if cards is not None and not problems:
            problems = [p for _, p in bibcheck.orphans(model.catalogue([bib], cards))]
        for problem in problems:
            print(problem.format(name), file=sys.stderr)
            status = 1
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m abp", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    checker = commands.add_parser("check", help="validate .bib files")
    checker.add_argument("files", nargs="*", default=["references.bib"])
    checker.add_argument("--pages", type=Path, help="the folder of the pages with the cards")
    checker.add_argument(
        "--proper-nouns",
        type=Path,
        default=DEFAULT_NOUNS if DEFAULT_NOUNS.is_file() else None,
        help=f"the proper-noun list titles are checked against (default: {DEFAULT_NOUNS})",
    )
    args = parser.parse_args(argv)
    return check(args.files, args.pages, args.proper_nouns)


if __name__ == "__main__":
    sys.exit(main())
