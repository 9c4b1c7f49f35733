"""The catalogue model: references.bib and the cards, read once, in the middle of everything.

Sources flow one way: the ``.bib`` files are parsed once (bibtexparser 2) into :class:`BibFile`
objects, each a tuple of :class:`Record` (raw text, fields as written, plain-text forms, names,
line numbers) and of what could not be read as a record (:class:`Stray`). The cards are noted
by the ``{entry}`` directive as :class:`Card` (page, line, options). A :class:`Catalogue` joins
the two. Validation (``abp.checks.bib``) is a pure function of a :class:`BibFile`; the cards,
the downloads, the search entries and the tools read the model and never parse a .bib again.

:func:`read` keeps every file it parsed in this process, keyed by the digest of its text
(:data:`PARSED`), so one build parses each file once however many parts ask for it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import bibtexparser
from bibtexparser import model as bpmodel
from bibtexparser.middlewares import RemoveEnclosingMiddleware, SeparateCoAuthors, SplitNameParts

from abp.text import latex_to_text

#: Fields holding people, split into names.
PERSON_FIELDS = ("author", "editor")


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a source file (``line`` is 1-based; 0 when it has none)."""

    line: int
    key: str
    message: str

    def format(self, path: str | Path) -> str:
        where = f"{Path(path).name}:{self.line}" if self.line else Path(path).name
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


@dataclass(frozen=True)
class Name:
    """One person of an author or editor list, split the BibTeX way (text as written)."""

    first: tuple[str, ...] = ()
    von: tuple[str, ...] = ()
    last: tuple[str, ...] = ()
    jr: tuple[str, ...] = ()

    @property
    def full(self) -> str:
        """Plain text in reading order: ``José Núñez``, ``Guy L. Steele, Jr``."""
        name = " ".join(latex_to_text(p) for p in (*self.first, *self.von, *self.last))
        return f"{name}, {latex_to_text(' '.join(self.jr))}" if self.jr else name

    @property
    def surname(self) -> str:
        """Plain text of the "von" and last parts: ``van Schijndel``."""
        return latex_to_text(" ".join((*self.von, *self.last)))


@dataclass(frozen=True)
class Field:
    """One field as written: its value without the enclosing braces or quotes."""

    name: str  # lowercase
    value: str
    line: int
    bare: bool  # written without braces or quotes: a number, a month or an @string macro


@dataclass(frozen=True)
class Record:
    """One entry of a .bib file.

    Its fields and names are kept as plain tuples (``field_data``, ``name_data``: quick to store
    and load) and made into :class:`Field` and :class:`Name` objects when first asked for.
    """

    key: str
    type: str  # lowercase
    line: int
    raw: str  # the entry's exact source text, ending with one newline
    field_data: tuple[tuple[str, str, int, bool], ...]  # name, value, line, bare
    name_data: tuple[tuple[str, tuple[tuple[tuple[str, ...], ...], ...]], ...] = ()

    @functools.cached_property
    def field_list(self) -> tuple[Field, ...]:
        """The fields in the order written."""
        return tuple(Field(*data) for data in self.field_data)

    @functools.cached_property
    def names(self) -> dict[str, tuple[Name, ...]]:
        """The people of each person field (``author``, ``editor``)."""
        return {role: tuple(Name(*parts) for parts in people) for role, people in self.name_data}

    @functools.cached_property
    def fields(self) -> dict[str, str]:
        """Each field's value as written, by lowercase name (the first, if given twice)."""
        found: dict[str, str] = {}
        for name, value, _line, _bare in self.field_data:
            found.setdefault(name, value)
        return found

    def __getstate__(self) -> dict:
        caches = ("field_list", "names", "fields")  # made again when asked for
        return {k: v for k, v in vars(self).items() if k not in caches}

    def text(self, name: str, default: str = "") -> str:
        """The plain text of a field (``{BERT}: Pre-training`` -> ``BERT: Pre-training``)."""
        value = self.fields.get(name)
        return default if value is None else latex_to_text(value)

    @property
    def authors(self) -> tuple[Name, ...]:
        return self.names.get("author", ())

    @property
    def arxiv_id(self) -> str:
        """The arXiv id, when the record is an arXiv eprint."""
        if self.fields.get("archiveprefix", "").strip().lower() == "arxiv":
            return self.fields.get("eprint", "")
        return ""


@dataclass(frozen=True)
class Stray:
    """A block of a .bib file that is not a record: what the parser could not read as one.

    ``kind`` is ``duplicate-key``, ``duplicate-field`` (``fields`` names the repeated ones),
    ``unparsable`` or ``text`` (text outside any entry, comments excepted).
    """

    kind: str
    line: int
    key: str
    raw: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class BibFile:
    """One .bib file, parsed: its blocks in file order and the macros it defines."""

    path: str
    digest: str
    blocks: tuple[Record | Stray, ...]
    strings: frozenset[str]
    unreadable: Problem | None = None  # not found, not UTF-8: nothing else is known

    def __getstate__(self) -> dict:
        return {k: v for k, v in vars(self).items() if k != "records"}  # a cache, made again

    @functools.cached_property
    def records(self) -> dict[str, Record]:
        """Each key's record (the first, where a key is given twice)."""
        found: dict[str, Record] = {}
        for block in self.blocks:
            if isinstance(block, Record):
                found.setdefault(block.key, block)
        return found


class Card(NamedTuple):
    """Where an entry's card lives and what its options say (noted by ``{entry}``).

    A named tuple: the environment keeps one per entry and loads them on every build.
    """

    key: str
    docname: str
    anchor: str
    lineno: int
    short: str = ""
    options: tuple[tuple[str, str], ...] = ()

    def option(self, name: str, default: str = "") -> str:
        return dict(self.options).get(name, default)

    @property
    def reviewed(self) -> bool:
        return self.option("reviewed", "yes").strip() != "no"


@dataclass(frozen=True)
class Catalogue:
    """Every record of the .bib files and every card of the pages."""

    bibfiles: tuple[BibFile, ...]
    cards: dict[str, Card]

    @functools.cached_property
    def records(self) -> dict[str, Record]:
        found: dict[str, Record] = {}
        for bib in self.bibfiles:
            for key, record in bib.records.items():
                found.setdefault(key, record)
        return found

    def where(self, key: str) -> tuple[str, int]:
        """The file and line of a record."""
        for bib in self.bibfiles:
            if key in bib.records:
                return bib.path, bib.records[key].line
        raise KeyError(key)

    def cards_by_page(self) -> dict[str, list[Card]]:
        """Every page's cards, in page order."""
        return group_by_page(self.cards.values())

    def orphans(self) -> Iterator[tuple[str, Record]]:
        """Records no card shows: each with its file's path."""
        for bib in self.bibfiles:
            for key, record in bib.records.items():
                if key not in self.cards:
                    yield bib.path, record


def group_by_page(cards: Iterable[Card]) -> dict[str, list[Card]]:
    """Cards grouped by their page, each page's in the order they stand on it."""
    grouped: dict[str, list[Card]] = {}
    for card in sorted(cards, key=lambda c: c.lineno):
        grouped.setdefault(card.docname, []).append(card)
    return grouped


# -- Reading -----------------------------------------------------------------------------------

#: Every file parsed in this process, by digest of its text (see ``digest``).
PARSED: dict[str, BibFile] = {}
#: Changes whenever the model's shape does: a stored BibFile of another version is not used.
MODEL_VERSION = 1


def digest(text: str) -> str:
    return hashlib.sha256(f"{MODEL_VERSION}\0{text}".encode()).hexdigest()


def _key_of_raw(raw: str) -> str:
    m = re.match(r"\s*@\w+\s*[{(]\s*([^,\s]+)", raw or "")
    return m.group(1) if m else "?"


def _stray_text(text: str) -> str:
    """What a block of text outside any entry holds besides ``%`` comment lines."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("%")]
    return "\n".join(lines).strip()


def split_names(value: str) -> tuple[Name, ...]:
    """An author field's names (bibtexparser's splitting of ``and`` and of each name)."""
    lib = bibtexparser.Library([bpmodel.Entry("misc", "x", [bpmodel.Field("author", value)])])
    lib = SplitNameParts().transform(SeparateCoAuthors().transform(lib))
    return tuple(
        Name(tuple(n.first), tuple(n.von), tuple(n.last), tuple(n.jr))
        for n in lib.entries[0].fields_dict["author"].value
    )


def _record(entry: bpmodel.Entry) -> Record:
    enclosing = entry.parser_metadata.get(RemoveEnclosingMiddleware.metadata_key(), {})
    fields = tuple(
        (f.key.lower(), f.value, f.start_line + 1, enclosing.get(f.key) == "no-enclosing")
        for f in entry.fields
    )
    names: dict[str, tuple[tuple[tuple[str, ...], ...], ...]] = {}
    for name, value, _line, _bare in fields:
        if name in PERSON_FIELDS and name not in names:
            try:
                names[name] = tuple((n.first, n.von, n.last, n.jr) for n in split_names(value))
            except Exception:  # a malformed list: abp.checks.bib names what is wrong with it
                names[name] = ()
    return Record(
        entry.key,
        entry.entry_type.lower(),
        entry.start_line + 1,
        entry.raw.strip() + "\n",
        fields,
        tuple(names.items()),
    )


def _blocks(library: bibtexparser.Library) -> Iterator[Record | Stray]:
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, bpmodel.DuplicateBlockKeyBlock):
            yield Stray("duplicate-key", line, block.key, block.raw or "")
        elif isinstance(block, bpmodel.DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            yield Stray(
                "duplicate-field", line, entry.key, block.raw, tuple(sorted(block.duplicate_keys))
            )
        elif isinstance(block, bpmodel.ParsingFailedBlock):
            yield Stray("unparsable", line, _key_of_raw(block.raw), block.raw or "")
        elif isinstance(block, bpmodel.ImplicitComment) and (stray := _stray_text(block.raw)):
            yield Stray("text", line, "", stray)
        elif isinstance(block, bpmodel.Entry):
            yield _record(block)


def parse(text: str, path: str = "") -> BibFile:
    """The model of a .bib text (kept in :data:`PARSED`: the same text is parsed once)."""
    key = digest(text)
    found = PARSED.get(key)
    if found is not None and found.path == path:
        return found
    if found is not None:  # the same text at another path
        return PARSED.setdefault(key, BibFile(path, key, found.blocks, found.strings))
    splitter_log = logging.getLogger("bibtexparser")
    level = splitter_log.level
    splitter_log.setLevel(logging.CRITICAL)  # its messages are reported as Problems instead
    try:
        library = bibtexparser.parse_string(text, parse_stack=[RemoveEnclosingMiddleware()])
    finally:
        splitter_log.setLevel(level)
    strings = frozenset(block.key.lower() for block in library.strings)
    bib = PARSED[key] = BibFile(path, key, tuple(_blocks(library)), strings)
    return bib


def decode(data: bytes) -> tuple[str | None, Problem | None]:
    """The text of a .bib file's bytes, or why it is not UTF-8 (line and key of the bad byte)."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        heads = list(re.finditer(rb"@\w+\s*[{(]\s*([^,\s]+)", data[: err.start]))
        key = heads[-1].group(1).decode("ascii", "replace") if heads else ""
        byte = data[err.start : err.start + 1].hex()
        return None, Problem(line, key, f"not valid UTF-8: byte 0x{byte} (save the file as UTF-8)")


def read(path: str | Path) -> BibFile:
    """The model of a .bib file; an unreadable one has no blocks and says why."""
    path = Path(path).resolve()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problem: Problem | None = Problem(0, "", f"file not found ({path})")
    except OSError as err:
        problem = Problem(0, "", f"cannot be read ({err.strerror})")
    else:
        text, problem = decode(data)
        if text is not None:
            return parse(text, str(path))
    return BibFile(str(path), "", (), frozenset(), problem)


def page_cards(folder: str | Path) -> dict[str, Card]:
    """The ``{entry}`` cards of the Markdown pages under *folder*, read with MyST's parser
    (for the tools, which run without Sphinx; a build notes its cards as it reads them)."""
    from docutils.nodes import make_id
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    parser = create_md_parser(MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML)
    folder = Path(folder)
    cards: dict[str, Card] = {}
    for page in sorted(folder.rglob("*.md")):
        if any(part.startswith(("_", ".")) for part in page.relative_to(folder).parts):
            continue
        docname = page.relative_to(folder).with_suffix("").as_posix()
        for token in parser.parse(page.read_text(encoding="utf-8")):
            words = token.info.split() if token.type in ("fence", "colon_fence") else []
            if len(words) == 2 and words[0] == "{entry}":
                line = (token.map[0] + 1) if token.map else 0
                options = tuple(
                    (m.group(1), m.group(2).strip())
                    for m in re.finditer(r"^:([\w-]+):(.*)$", token.content, re.M)
                )
                cards.setdefault(
                    words[1],
                    Card(
                        words[1],
                        docname,
                        make_id(words[1]),
                        line,
                        dict(options).get("short", ""),
                        options,
                    ),
                )
    return cards


def catalogue(bibfiles: Iterable[BibFile], cards: dict[str, Card]) -> Catalogue:
    return Catalogue(tuple(bibfiles), dict(cards))


__all__ = [
    "BibFile",
    "Card",
    "Catalogue",
    "Field",
    "Name",
    "Problem",
    "Record",
    "Stray",
    "parse",
    "read",
]
