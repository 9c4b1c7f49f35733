"""The landing page's overview counts what the cards hold, and follows every page's edits."""

from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import ROOTS, warnings_of


def overview(app) -> tuple[str, list[list[str]]]:
    soup = BeautifulSoup(
        (Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    rows = [
        [cell.get_text(strip=True) for cell in row.find_all(["td", "th"])]
        for row in soup.select(".abp-overview-table tr")
    ]
    return soup.select_one(".abp-overview").get_text(), rows


def test_overview_counts_the_cards_and_follows_edits(make_app, tmp_path):
    src = tmp_path / "cards"
    shutil.copytree(ROOTS / "test-cards", src)
    index = src / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n```{catalogue-overview}\n```\n")
    app = make_app("html", srcdir=src)
    app.build()
    assert warnings_of(app) == ""
    text, rows = overview(app)
    assert text == (
        "Entries: 4 (papers: 4; articles: 0; code repositories: 0; books: 0). Summarised here: 3;"
        " not reviewed (could not be read, only what is known): 1. Written in Chinese: 0."
    )
    assert rows == [
        ["Page", "Entries", "Papers", "Articles", "Code", "Not reviewed"],
        ["Cards", "3", "3", "0", "0", "1"],
        ["A page of one card", "1", "1", "0", "0", "0"],
    ]
    lone = src / "lone.md"  # another page changes: the overview follows on the next build
    lone.write_text(
        lone.read_text(encoding="utf-8").replace(
            ":::{entry} zhou-2021-lone\n", ":::{entry} zhou-2021-lone\n:tags: article\n"
        )
    )
    again = make_app("html", srcdir=src)
    again.build()
    assert overview(again)[1][2] == ["A page of one card", "1", "0", "1", "0", "0"]
