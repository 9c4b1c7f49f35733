"""Validate references.bib before Sphinx (and sphinxcontrib-bibtex) reads it.

sphinxcontrib-bibtex stops on an unbalanced brace and silently drops every entry after a
duplicate key, so the file is checked first with a real parser (bibtexparser 2) and every
problem is reported as ``references.bib:LINE: KEY: what is wrong``.

Run on its own: ``python docs/_ext/abp_bibcheck.py references.bib``.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bibtexparser
from abp_safety import unsafe_url
from bibtexparser import model
from bibtexparser.middlewares import RemoveEnclosingMiddleware, SeparateCoAuthors, SplitNameParts
from pybtex.richtext import Protected, Text
from pylatexenc.latex2text import LatexNodes2Text
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging as sphinx_logging
from unidecode import unidecode

#: Fields each entry type must have (alternatives joined by ``|``).
REQUIRED = {
    "article": ("author", "title", "journal", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    "book": ("author|editor", "title", "publisher", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "mastersthesis": ("author", "title", "school", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "misc": ("author|howpublished", "title", "url"),
}
#: Fields that hold URLs or identifiers, where ``& % # _`` are literal.
VERBATIM_FIELDS = {"url", "doi", "eprint", "file"}
MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
#: Title words skipped when a key is formed (the ACL Anthology rule).
STOPWORDS = frozenset(
    (
        "a an and are as at be but by did do does for from has have how in into is it its of on"
        " or our that the this to via we what when where which who why with without you your"
    ).split()
)
#: Fields whose value becomes a link on the site (``eprint`` too, when it is an arXiv id).
LINK_FIELDS = {"url", "doi"}
LINK_MACRO = re.compile(r"\\(?:url|href)\b")
#: A DOI as the DOI Handbook writes it (Crossref's pattern, which matches nearly all of them).
DOI = re.compile(r"10\.\d{4,9}/[-._;()/:a-z0-9<>\[\]]+", re.I)
#: arXiv identifiers, new style (``1810.04805``) and old (``cs.CL/0102007``), with a version.
ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z-]+(\.[a-z]{2})?/\d{7})(v\d+)?", re.I)
#: Words that are proper nouns in any title: they need their capital braced (``{C}hinese``).
PROPER_NOUNS_FILE = Path(__file__).resolve().parent.parent / "_data" / "proper_nouns.txt"
GITHUB = re.compile(r"https?://github\.com/([^/\s]+)/([^/\s#?]+)")
BARE_SPECIAL = re.compile(r"(?<!\\)[&%#_]")
_LATEX = LatexNodes2Text(math_mode="verbatim")
logger = sphinx_logging.getLogger(__name__)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a .bib file (``line`` is 1-based)."""

    line: int
    key: str
    message: str

    def format(self, path: str | Path) -> str:
        where = f"{Path(path).name}:{self.line}" if self.line else Path(path).name
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


@functools.lru_cache(maxsize=65536)
def latex_to_text(value: str) -> str:
    """Plain Unicode text of a BibTeX field value (braces and LaTeX accents resolved).

    Most values only brace words to protect their case; those are unbraced directly, and
    pylatexenc (about 1 ms a call) is used only where a backslash or ``$`` makes it needed.
    """
    if "\\" not in value and "$" not in value and "~" not in value:
        return value.replace("{", "").replace("}", "").strip()
    return _LATEX.latex_to_text(value).strip()


def ascii_word(text: str) -> str:
    """Lowercase ASCII letters and digits only (accents and CJK transliterated)."""
    return re.sub(r"[^a-z0-9]", "", unidecode(text).lower())


def surname(name: Any) -> str:
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


def authors_part(names: list[Any]) -> str:
    """The authors' part of a key: one surname, two joined by '-', or the first and ``etal``."""
    if len(names) == 1:
        return surname(names[0])
    if len(names) == 2:
        return f"{surname(names[0])}-{surname(names[1])}"
    return f"{surname(names[0])}-etal"


def expected_key_parts(entry: model.Entry, names: list[Any]) -> tuple[str, list[str]] | None:
    """The fixed prefix of the entry's key and the title words that may follow it.

    Papers and articles: surname(s), year, then title words; an article with no named author
    uses its site (the first word of ``howpublished``) and, when its date is unknown, no year.
    Repositories: ``gh-<owner>-<repo>``.
    """
    fields = entry.fields_dict
    url = fields["url"].value if "url" in fields else ""
    gh = GITHUB.match(url)
    if entry.entry_type == "misc" and gh and "eprint" not in fields:
        return f"gh-{gh.group(1).lower()}-{gh.group(2).lower()}", []
    if "title" not in fields:
        return None
    if not names:
        site = fields["howpublished"].value.split() if "howpublished" in fields else []
        if not site:
            return None
        who = ascii_word(latex_to_text(site[0]))
    else:
        who = authors_part(names)
    year = fields["year"].value.strip() if "year" in fields else ""
    return (f"{who}-{year}" if year else who), title_words(fields["title"].value)


def split_names(value: str) -> list[Any]:
    """An author field's names as bibtexparser ``NameParts``."""
    lib = bibtexparser.Library([model.Entry("misc", "x", [model.Field("author", value)])])
    lib = SplitNameParts().transform(SeparateCoAuthors().transform(lib))
    return list(lib.entries[0].fields_dict["author"].value)


def _parse_names(entry: model.Entry) -> list[Any]:
    """The entry's authors as bibtexparser ``NameParts`` (empty when it has none)."""
    if "author" not in entry.fields_dict:
        return []
    return split_names(entry.fields_dict["author"].value)


@functools.cache
def proper_nouns() -> frozenset[str]:
    """The words of ``docs/_data/proper_nouns.txt`` (one a line; ``#`` starts a comment)."""
    try:
        text = PROPER_NOUNS_FILE.read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    return frozenset(w for line in text.splitlines() if (w := line.split("#")[0].strip()))


#: The middle part of ``Last, Jr, First``.
LINEAGE = re.compile(r"(Jr|Sr)\.?|I{2,3}|IV|V|VI{1,3}", re.I)
#: A given name's initial (``M.``, ``J.-P.``): a surname would not be one.
INITIAL = re.compile(r"[^\W\d_]\.(-[^\W\d_]\.)?|[^\W\d_]")
_WORD = re.compile(r"[^\W\d_][\w'’]*|\d+[^\W\d_][\w'’]*", re.UNICODE)


def title_case_problem(title: str) -> str | None:
    """Which words of a title lose their capitals in a sentence-casing style, or ``None``.

    Styles lowercase every letter outside braces but the first, so acronyms and words with an
    inner capital need braces whole (``{BERT}``, ``{R}o{BERT}a`` or ``{RoBERTa}``) and proper
    nouns their first letter (``{C}hinese``), as the ACL Anthology writes them.
    """
    try:
        parts = Text.from_latex(title).parts
    except Exception as err:  # pybtex reports unbalanced braces as a PybtexSyntaxError
        return f"cannot be read ({err})"
    whole, nouns, first = [], [], True
    for part in parts:
        if isinstance(part, Protected):
            first = False
            continue
        for word in _WORD.findall(str(part)):
            letters = word[1:] if not word[0].isdigit() else word
            if len(word) > 1 and any(c.isupper() for c in letters):
                whole.append(word)
            elif not first and word in proper_nouns():
                nouns.append(word)
            first = False
    problems = []
    if whole:
        shown = ", ".join(f"{{{w}}}" for w in dict.fromkeys(whole))
        problems.append(f"brace these words whole or styles print them lowercased: {shown}")
    if nouns:
        shown = ", ".join(f"{{{w[0]}}}{w[1:]}" for w in dict.fromkeys(nouns))
        problems.append(f"brace the capital of these proper nouns: {shown}")
    return "; ".join(problems) or None


def undefined_macro(value: str, strings: frozenset[str]) -> str | None:
    """The first undefined macro of an unbraced value (numbers, months and @strings are fine)."""
    for part in value.split("#"):
        part = part.strip()
        if not part or part[0] in '{"' or part.isdigit():
            continue
        if part.lower() not in MONTHS and part.lower() not in strings:
            return part
    return None


def identifier_problem(name: str, value: str) -> str | None:
    """Why a url, doi or arXiv eprint value may not become a link, or ``None``."""
    if name == "url":
        why = unsafe_url(value, internal=False)
        return f"has {value!r}: {why}" if why else None
    if name == "doi":
        if DOI.fullmatch(value):
            return None
        return f"has {value!r}: not a DOI (10.NNNN/suffix, without https://doi.org/)"
    if ARXIV_ID.fullmatch(value):
        return None
    return f"has {value!r}: not an arXiv id (like 1810.04805 or cs.CL/0102007)"


def _unbraced(text: str) -> str:
    """*text* with every braced group emptied (commas and words inside braces are kept whole)."""
    while True:
        shorter = re.sub(r"\{[^{}]*\}", "{}", text)
        if shorter == text:
            return text
        text = shorter


def name_list_problem(value: str) -> str | None:
    """What is wrong with an author or editor list, or ``None``.

    Names are written ``Last, First`` (``Last, Jr, First``), joined by `` and ``; a name of one
    word (a handle) or braced whole (an organisation, a CJK name) has no comma.
    """
    flat = _unbraced(value)
    if re.search(r"(^|\s)and\s*$|^\s*and(\s|$)|\sand\s+and(\s|$)", flat):
        return "a stray 'and' at the start or the end, or 'and and': one 'and' between two names"
    if not flat.strip():
        return "no names"
    for name in (n.strip() for n in re.split(r"\s+and\s+", value)):
        plain = _unbraced(name)
        commas = plain.count(",")
        if commas > 2 or ";" in plain or "&" in plain:
            return f"join names with ' and ', not commas, ';' or '&' (found {name!r})"
        if commas == 0:
            if len(plain.split()) > 1:
                return f"write {name!r} as 'Last, First' (or brace an organisation's name whole)"
            continue
        parts = plain.split(",")
        last, first = parts[0], parts[-1]
        if not last.strip() or not first.strip():
            return f"{name!r} lacks a surname or a first name"
        if commas == 2 and not LINEAGE.fullmatch(parts[1].strip()):
            return f"join names with ' and ', not commas (found {name!r})"
        von = any(w[:1].islower() for w in last.split())
        initials = any(INITIAL.fullmatch(w) for w in first.split())
        if len(last.split()) > 1 and len(first.split()) > 1 and not von and not initials:
            return (
                f"{name!r} looks like two names joined by a comma: join names with ' and '"
                " (brace a surname of several words: {Lopez Kaufman}, Raphaël)"
            )
    return None


def check_entry(entry: model.Entry, strings: frozenset[str] = frozenset()) -> list[Problem]:
    """Field-level problems of one parsed entry (values without their enclosing).

    *strings* are the macros the file defines with ``@string`` (lowercase).
    """
    problems: list[Problem] = []
    enclosing = entry.parser_metadata.get(RemoveEnclosingMiddleware.metadata_key(), {})
    line = entry.start_line + 1
    key = entry.key

    def add(message: str, at: int | None = None) -> None:
        problems.append(Problem(at if at is not None else line, key, message))

    fields = {f.key.lower(): f for f in entry.fields}
    arxiv = "archiveprefix" in fields and fields["archiveprefix"].value.strip().lower() == "arxiv"
    if key != key.lower() or not re.fullmatch(r"[a-z0-9._-]+", key):
        add("key must be lowercase ASCII letters, digits, '-', '_' or '.'")
    required = REQUIRED.get(entry.entry_type.lower())
    if required is None:
        add(f"entry type @{entry.entry_type} is not one of: {', '.join(sorted(REQUIRED))}")
    else:
        for need in required:
            if not any(alt in fields and fields[alt].value.strip() for alt in need.split("|")):
                wanted = "' or '".join(need.split("|"))
                add(f"missing required field '{wanted}' for @{entry.entry_type.lower()}")
    if "author" not in fields and "editor" not in fields and "key" not in fields:
        add("an entry without an author needs a 'key' field (BibTeX styles sort by it)")
    for name, field in fields.items():
        at = field.start_line + 1
        value = field.value.strip()
        if name == "month":
            if value not in MONTHS or enclosing.get(field.key) != "no-enclosing":
                shown = value if enclosing.get(field.key) == "no-enclosing" else "{" + value + "}"
                add(f"month must be a bare macro jan ... dec, not {shown!r}", at)
            continue
        bare = sorted(set(BARE_SPECIAL.findall(value))) if name not in VERBATIM_FIELDS else []
        if bare:
            chars = " ".join(bare)
            add(f"field '{name}' has bare {chars} (escape with a backslash)", at)
        if name in ("author", "editor") and (why := name_list_problem(value)):
            add(f"field '{name}': {why}", at)
        if name in LINK_FIELDS or (name == "eprint" and arxiv):
            if why := identifier_problem(name, value):
                add(f"field '{name}' {why}", at)
        elif name not in VERBATIM_FIELDS and (found := LINK_MACRO.search(value)):
            add(f"field '{name}' has {found.group(0)}: addresses belong in the 'url' field", at)
        if enclosing.get(field.key) == "no-enclosing" and (
            macro := undefined_macro(value, strings)
        ):
            add(
                f"field '{name}' uses the undefined macro '{macro}' (brace text as"
                f" {{{macro}}}, or define it with @string)",
                at,
            )
        if name == "title" and (why := title_case_problem(value)):
            add(f"title: {why}", at)
        if name == "year" and not re.fullmatch(r"\d{4}", value):
            add(f"year must be four digits, not {value!r}", at)
        if name == "pages" and re.search(r"\d-\d", value):
            add(f"pages must use '--' between numbers, not {value!r}", at)
    if problems:
        return problems
    names = _parse_names(entry)
    expected = expected_key_parts(entry, names)
    if expected is not None:
        prefix, words = expected
        if not words:
            if key != prefix:
                add(f"key breaks the key rule: expected '{prefix}'")
        else:
            rest = key[len(prefix) + 1 :].split("-") if key.startswith(prefix + "-") else None
            if rest is None or rest != words[: len(rest)]:
                add(
                    f"key breaks the key rule: expected '{prefix}-{words[0]}'"
                    " (more title words may follow to make it unique)"
                )
    return problems


def _key_of_raw(raw: str) -> str:
    m = re.match(r"\s*@\w+\s*[{(]\s*([^,\s]+)", raw or "")
    return m.group(1) if m else "?"


@functools.lru_cache(maxsize=4)
def parse_text(text: str) -> bibtexparser.Library:
    """bibtexparser's library of a .bib text: values unenclosed, strings unresolved.

    Cached: the validator (config-inited) and the cards' raw entries read the same file in
    one build, and parse it once. Callers must not modify the library.
    """
    splitter_log = logging.getLogger("bibtexparser")
    level = splitter_log.level
    splitter_log.setLevel(logging.CRITICAL)  # its messages are reported as Problems instead
    try:
        return bibtexparser.parse_string(text, parse_stack=[RemoveEnclosingMiddleware()])
    finally:
        splitter_log.setLevel(level)


@dataclass(frozen=True)
class ParsedBib:
    """The .bib files of a build, parsed once: each entry's exact source text and line by key."""

    raw: dict[str, str]
    lines: dict[str, tuple[str, int]]


@dataclass(frozen=True)
class Analysis:
    """What a build needs from one .bib text: its problems, each entry's source text and line."""

    problems: tuple[Problem, ...]
    raw: dict[str, str]
    lines: dict[str, int]


#: Analyses kept between builds, in the doctree folder, keyed by a digest of the .bib text and
#: of this file: a build whose .bib file has not changed does not parse or check it again.
RESULTS_FILE = "abp-bibcheck.pickle"
_CODE = hashlib.sha256(
    b"".join(
        path.read_bytes()
        for path in (Path(__file__), Path(__file__).with_name("abp_safety.py"), PROPER_NOUNS_FILE)
        if path.exists()
    )
).hexdigest()
_RESULTS: dict[str, Analysis] = {}


def digest(text: str) -> str:
    return hashlib.sha256((_CODE + text).encode("utf-8")).hexdigest()


def analyse(text: str) -> Analysis:
    """The analysis of a .bib text: from this process or an earlier build, else made now."""
    key = digest(text)
    found = _RESULTS.get(key)
    if found is None:
        library = parse_text(text)
        raw: dict[str, str] = {}
        lines: dict[str, int] = {}
        for entry in library.entries:
            raw.setdefault(entry.key, entry.raw.strip() + "\n")
            lines.setdefault(entry.key, entry.start_line + 1)
        found = _RESULTS[key] = Analysis(tuple(check_library(library)), raw, lines)
    return found


def load_results(folder: Path) -> None:
    """Earlier builds' analyses (an unreadable file is ignored: everything is checked)."""
    try:
        with (folder / RESULTS_FILE).open("rb") as stream:
            stored = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return
    if isinstance(stored, dict):
        _RESULTS.update(
            (k, v) for k, v in stored.items() if isinstance(v, Analysis) and k not in _RESULTS
        )


def save_results(folder: Path, texts: list[str]) -> None:
    """Keep the analyses of this build's .bib texts for the next build."""
    folder.mkdir(parents=True, exist_ok=True)
    keep = {digest(text): analyse(text) for text in texts}
    with (folder / RESULTS_FILE).open("wb") as stream:
        pickle.dump(keep, stream, protocol=pickle.HIGHEST_PROTOCOL)


@functools.cache
def _parsed(paths: tuple[tuple[str, int, int], ...]) -> ParsedBib:
    raw: dict[str, str] = {}
    lines: dict[str, tuple[str, int]] = {}
    for path, _mtime, _size in paths:
        analysis = analyse(Path(path).read_text(encoding="utf-8"))
        for key, text in analysis.raw.items():
            raw.setdefault(key, text)
            lines.setdefault(key, (path, analysis.lines[key]))
    return ParsedBib(raw, lines)


def parsed_library(paths: Iterable[str | Path]) -> ParsedBib:
    """The given .bib files parsed (cached until a file changes)."""
    stamps = []
    for name in paths:
        path = Path(name).resolve()
        stat = path.stat()
        stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    return _parsed(tuple(stamps))


def check_text(text: str) -> list[Problem]:
    """Every problem of a .bib file's text, sorted by line (the analysis a build makes)."""
    return list(analyse(text).problems)


def _stray_text(text: str) -> str:
    """What a block of text outside any entry holds besides ``%`` comment lines."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("%")]
    return "\n".join(lines).strip()


def _field_line(raw: str, start: int, field: str, nth: int) -> int:
    """The line of the *nth* occurrence of ``field =`` in an entry's source text."""
    found = [m.start() for m in re.finditer(rf"(?im)^\s*{re.escape(field)}\s*=", raw)]
    offset = found[nth] if nth < len(found) else 0
    return start + raw[:offset].count("\n")


def check_library(library: bibtexparser.Library) -> list[Problem]:
    """Every problem of a parsed .bib file, sorted by line."""
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    strings = frozenset(block.key.lower() for block in library.strings)
    cut_short: set[str] = set()  # entries an extra closing brace ended early
    previous_block: model.Block | None = None
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, model.DuplicateBlockKeyBlock):
            first = first_line.get(block.key, "?")
            problems.append(
                Problem(line, block.key, f"duplicate key (first defined on line {first})")
            )
        elif isinstance(block, model.DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            for field in sorted(block.duplicate_keys):
                at = _field_line(block.raw, line, field, 1)
                problems.append(Problem(at, entry.key, f"field '{field}' is given twice"))
        elif isinstance(block, model.ParsingFailedBlock):
            problems.append(
                Problem(
                    line,
                    _key_of_raw(block.raw),
                    "cannot be parsed: unbalanced braces or quotes from this line on",
                )
            )
        elif isinstance(block, model.ImplicitComment) and (stray := _stray_text(block.raw)):
            lost = re.match(r"(\w+)\s*[{(]\s*([^,\s]+)\s*,", stray)
            if lost:
                problems.append(
                    Problem(
                        line,
                        lost.group(2),
                        f"'{lost.group(1)}{{' without '@' is not an entry (BibTeX skips it"
                        " as a comment): write @" + lost.group(1),
                    )
                )
            elif isinstance(previous_block, model.Entry) and re.match(r"[,}]|\w+\s*=", stray):
                entry = previous_block
                last = entry.fields[-1] if entry.fields else None
                at = last.start_line + 1 if last else entry.start_line + 1
                cut_short.add(entry.key)
                problems.append(
                    Problem(
                        at,
                        entry.key,
                        f"unbalanced braces: an extra '}}' on line {at} ends the entry early, and"
                        " the fields after it are outside any entry",
                    )
                )
            else:
                shown = stray.splitlines()[0][:60]
                problems.append(
                    Problem(
                        line,
                        "",
                        f"text outside any entry ({shown!r}): start comment lines with '%'",
                    )
                )
        elif isinstance(block, model.Entry):
            first_line.setdefault(block.key, line)
        previous_block = block
    if not library.entries and not problems:
        problems.append(Problem(1, "", "the file holds no entries"))
    seen_ids: dict[tuple[str, str], str] = {}
    previous = ""
    for entry in library.entries:
        if entry.key not in cut_short:
            problems.extend(check_entry(entry, strings))
        fields = entry.fields_dict
        for field, label in (("eprint", "arXiv id"), ("doi", "DOI")):
            if field in fields:
                ident = fields[field].value.strip().lower()
                other = seen_ids.setdefault((field, ident), entry.key)
                if other != entry.key:
                    problems.append(
                        Problem(
                            fields[field].start_line + 1,
                            entry.key,
                            f"{label} {ident} is already used by '{other}'",
                        )
                    )
        if entry.key < previous:
            problems.append(
                Problem(
                    entry.start_line + 1,
                    entry.key,
                    f"entries must be sorted by key (it follows '{previous}')",
                )
            )
        previous = max(previous, entry.key)
    return sorted(set(problems))


def orphans(lines: dict[str, int], carded: Iterable[str]) -> list[Problem]:
    """Records that no card shows (*lines*: each record's key and line)."""
    shown = set(carded)
    return [
        Problem(line, key, "no card shows this record: add its card to a page, or remove it")
        for key, line in sorted(lines.items(), key=lambda kv: kv[1])
        if key not in shown
    ]


def page_card_keys(folder: str | Path) -> set[str]:
    """The keys of every ``{entry}`` card in the Markdown pages under *folder* (MyST's parser)."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    parser = create_md_parser(MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML)
    keys: set[str] = set()
    for page in sorted(Path(folder).rglob("*.md")):
        if any(part.startswith(("_", ".")) for part in page.relative_to(folder).parts):
            continue
        for token in parser.parse(page.read_text(encoding="utf-8")):
            words = token.info.split() if token.type in ("fence", "colon_fence") else []
            if len(words) == 2 and words[0] == "{entry}":
                keys.add(words[1])
    return keys


def read_problem(path: str | Path) -> Problem | None:
    """Why a .bib file cannot be read as UTF-8 text, or ``None``."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Problem(0, "", f"file not found ({path.resolve()})")
    except OSError as err:
        return Problem(0, "", f"cannot be read ({err.strerror})")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        heads = list(re.finditer(rb"@\w+\s*[{(]\s*([^,\s]+)", data[: err.start]))
        key = heads[-1].group(1).decode("ascii", "replace") if heads else ""
        byte = data[err.start : err.start + 1].hex()
        return Problem(line, key, f"not valid UTF-8: byte 0x{byte} (save the file as UTF-8)")
    return None


def check_file(path: str | Path) -> list[Problem]:
    problem = read_problem(path)
    if problem is not None:
        return [problem]
    return check_text(Path(path).read_text(encoding="utf-8"))


def bib_path(confdir: str | Path, name: str) -> Path:
    """A configured bib file's path as sphinxcontrib-bibtex resolves it (from ``confdir``)."""
    return (Path(confdir) / name).resolve()


def validate_config(app: Sphinx, config: Config) -> None:
    """Stop the build, with every problem listed, when a configured .bib file is invalid.

    Each problem is logged as an error and the build exits with status 2. (Raising a
    SphinxError here would make Sphinx 9 print a crash report with a traceback instead.)
    """
    messages, texts = [], []
    import abp_sharedcache  # here: the command-line check runs without Sphinx's extensions

    results = abp_sharedcache.configured_folder(config, app.confdir) or Path(app.doctreedir)
    load_results(results)
    for name in config.bibtex_bibfiles or []:
        path = bib_path(app.confdir, name)
        if (problem := read_problem(path)) is not None:
            messages.append(problem.format(path))
            continue
        text = path.read_text(encoding="utf-8")
        texts.append(text)
        messages.extend(p.format(path) for p in analyse(text).problems)
    if not messages:
        save_results(results, texts)
    if messages:
        for message in messages:
            logger.error(message, type="abp", subtype="bib")
        logger.error(
            "the build stopped: fix %s first",
            "the .bib file" if len(config.bibtex_bibfiles) == 1 else "the .bib files",
            type="abp",
            subtype="bib",
        )
        raise SystemExit(2)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", validate_config, priority=100)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str] | None = None) -> int:
    """``abp_bibcheck.py [--pages DIR] FILE...``: every problem of the files, and, with
    ``--pages``, every record that no card of the pages under DIR shows."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=["references.bib"])
    parser.add_argument("--pages", type=Path, help="the folder of the pages with the cards")
    args = parser.parse_args(argv)
    status = 0
    carded = page_card_keys(args.pages) if args.pages else None
    for name in args.files:
        problems = check_file(name)
        if carded is not None and not problems:
            problems = orphans(analyse(Path(name).read_text(encoding="utf-8")).lines, carded)
        for problem in problems:
            print(problem.format(name), file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
