"""The key rule: the key a record's authors (or site), year and title call for.

Papers and articles follow the ACL Anthology rule (``devlin-etal-2019-bert``); repositories are
``gh-<owner>-<repo>``. ``abp.checks.bib`` holds every key to it; ``tools/synth.py`` makes keys
with it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from unidecode import unidecode

from abp.text import ascii_word, latex_to_text

if TYPE_CHECKING:
    from abp.model import Name, Record

#: Title words skipped when a key is formed (the ACL Anthology rule).
STOPWORDS = frozenset(
    (
        "a an and are as at be but by did do does for from has have how in into is it its of on"
        " or our that the this to via we what when where which who why with without you your"
    ).split()
)
GITHUB = re.compile(r"https?://github\.com/([^/\s]+)/([^/\s#?]+)")


def surname(name: Name) -> str:
    """The key form of one author's surname: its "von" and last parts, hyphen-joined, as the
    ACL Anthology writes them (``van Schijndel`` -> ``van-schijndel``)."""
    words = (name.von + name.last) if name.last else name.first
    plain = latex_to_text(" ".join(words))
    if re.fullmatch(r"[\u3400-\u9fff]+", plain):  # a CJK name braced whole: family name first
        return ascii_word(plain[0])
    return "-".join(w for w in (ascii_word(part) for part in plain.split()) if w)


def title_words(title: str) -> list[str]:
    spaced = re.sub(r"([\u3400-\u9fff])", r" \1 ", latex_to_text(title))  # one word per CJK char
    words = re.split(r"[^a-z0-9]+", unidecode(spaced).lower())
    return [w for w in words if w and w not in STOPWORDS]


def authors_part(names: list[Name] | tuple[Name, ...]) -> str:
    """The authors' part of a key: one surname, two joined by '-', or the first and ``etal``."""
    if len(names) == 1:
        return surname(names[0])
    if len(names) == 2:
        return f"{surname(names[0])}-{surname(names[1])}"
    return f"{surname(names[0])}-etal"


def expected_key_parts(record: Record) -> tuple[str, list[str]] | None:
    """The fixed prefix of the record's key and the title words that may follow it.

    Papers and articles: surname(s), year, then title words; an article with no named author
    uses its site (the first word of ``howpublished``) and, when its date is unknown, no year.
    Repositories: ``gh-<owner>-<repo>``.
    """
    fields = record.fields
    gh = GITHUB.match(fields.get("url", ""))
    if record.type == "misc" and gh and "eprint" not in fields:
        return f"gh-{gh.group(1).lower()}-{gh.group(2).lower()}", []
    if "title" not in fields:
        return None
    names = record.names.get("author", ())
    if not names:
        site = fields.get("howpublished", "").split()
        if not site:
            return None
        who = ascii_word(latex_to_text(site[0]))
    else:
        who = authors_part(names)
    year = fields.get("year", "").strip()
    return (f"{who}-{year}" if year else who), title_words(fields["title"])
