"""The catalogue model: each record's raw text, fields, names, plain text and lines, read once."""

from __future__ import annotations

import textwrap

from abp import model

BIB = textwrap.dedent(
    """\
    @inproceedings{nunez-li-2020-cafe,
      title = {Caf{\\'e} {BERT}},
      author = {N{\\'u}{\\~n}ez, Jos{\\'e} and van der Berg, Anna and Steele, Jr, Guy},
      booktitle = {Proceedings},
      month = jan,
      year = {2020}
    }

    stray text

    @misc{wang-2019-tiny,
      title = "Tiny",
      author = {{王伟}},
      year = 2019,
      eprint = {1901.00002},
      archiveprefix = {arXiv}
    }
    """
)


def test_records_keep_raw_text_fields_names_and_lines():
    bib = model.parse(BIB, "refs.bib")
    cafe, tiny = bib.records["nunez-li-2020-cafe"], bib.records["wang-2019-tiny"]
    assert cafe.raw == BIB.split("\n\n")[0] + "\n"
    assert (cafe.line, tiny.line) == (1, 11)
    assert cafe.fields["title"] == "Caf{\\'e} {BERT}" and cafe.text("title") == "Café BERT"
    assert [f.line for f in cafe.field_list] == [2, 3, 4, 5, 6]
    assert [f.bare for f in cafe.field_list] == [False, False, False, True, False]
    assert [n.full for n in cafe.authors] == ["José Núñez", "Anna van der Berg", "Guy Steele, Jr"]
    assert [n.surname for n in cafe.authors] == ["Núñez", "van der Berg", "Steele"]
    assert [n.full for n in tiny.authors] == ["王伟"]
    assert tiny.fields["year"] == "2019" and tiny.arxiv_id == "1901.00002"
    assert cafe.arxiv_id == ""
    strays = [b for b in bib.blocks if isinstance(b, model.Stray)]
    assert [(s.kind, s.line, s.raw) for s in strays] == [("text", 9, "stray text")]


def test_a_text_is_parsed_once(monkeypatch):
    first = model.parse(BIB, "refs.bib")
    monkeypatch.setattr(model.bibtexparser, "parse_string", None)  # would fail if called
    assert model.parse(BIB, "refs.bib") is first
    assert model.parse(BIB, "other.bib").blocks is first.blocks


def test_an_unreadable_file_says_why(tmp_path):
    missing = model.read(tmp_path / "missing.bib")
    assert missing.blocks == () and "file not found" in missing.unreadable.message
    latin = tmp_path / "latin.bib"
    latin.write_bytes(b"@misc{a-2020-b,\n  title = {Caf\xe9}\n}\n")
    assert model.read(latin).unreadable == model.Problem(
        2, "a-2020-b", "not valid UTF-8: byte 0xe9 (save the file as UTF-8)"
    )


def test_page_cards_and_the_catalogue(tmp_path):
    (tmp_path / "topic.md").write_text(
        ":::{entry} wang-2019-tiny\n:short: Tiny\n:reviewed: no\n:::\n", encoding="utf-8"
    )
    (tmp_path / "_hidden.md").write_text(":::{entry} nunez-li-2020-cafe\n:::\n", "utf-8")
    cards = model.page_cards(tmp_path)
    assert list(cards) == ["wang-2019-tiny"]
    card = cards["wang-2019-tiny"]
    assert (card.docname, card.lineno, card.short, card.reviewed) == ("topic", 1, "Tiny", False)
    catalogue = model.catalogue([model.parse(BIB, "refs.bib")], cards)
    assert [record.key for _, record in catalogue.orphans()] == ["nunez-li-2020-cafe"]
    assert catalogue.where("wang-2019-tiny") == ("refs.bib", 11)
    assert {page: [c.key for c in cs] for page, cs in catalogue.cards_by_page().items()} == {
        "topic": ["wang-2019-tiny"]
    }
