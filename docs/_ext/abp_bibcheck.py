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
from bibtexparser import model
from bibtexparser.middlewares import RemoveEnclosingMiddleware, SeparateCoAuthors, SplitNameParts
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
        return f"{Path(path).name}:{self.line}: {self.key}: {self.message}"


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


def check_entry(entry: model.Entry) -> list[Problem]:
    """Field-level problems of one parsed entry (values without their enclosing)."""
    problems: list[Problem] = []
    enclosing = entry.parser_metadata.get(RemoveEnclosingMiddleware.metadata_key(), {})
    line = entry.start_line + 1
    key = entry.key

    def add(message: str, at: int | None = None) -> None:
        problems.append(Problem(at if at is not None else line, key, message))

    fields = {f.key.lower(): f for f in entry.fields}
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
        if name in ("author", "editor"):
            for part in re.split(r"\s+and\s+", value):
                if part.count(",") > 1 or ";" in part or re.search(r"\s&\s|\\&", part):
                    add(f"field '{name}' must join names with ' and ' (found {part!r})", at)
                    break
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
    """The .bib files of a build, parsed once: each entry's exact source text by key."""

    raw: dict[str, str]


@dataclass(frozen=True)
class Analysis:
    """What a build needs from one .bib text: its problems and each entry's source text."""

    problems: tuple[Problem, ...]
    raw: dict[str, str]


#: Analyses kept between builds, in the doctree folder, keyed by a digest of the .bib text and
#: of this file: a build whose .bib file has not changed does not parse or check it again.
RESULTS_FILE = "abp-bibcheck.pickle"
_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
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
        for entry in library.entries:
            raw.setdefault(entry.key, entry.raw.strip() + "\n")
        found = _RESULTS[key] = Analysis(tuple(check_library(library)), raw)
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
    for path, _mtime, _size in paths:
        for key, text in analyse(Path(path).read_text(encoding="utf-8")).raw.items():
            raw.setdefault(key, text)
    return ParsedBib(raw)


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


def check_library(library: bibtexparser.Library) -> list[Problem]:
    """Every problem of a parsed .bib file, sorted by line."""
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, model.DuplicateBlockKeyBlock):
            first = first_line.get(block.key, "?")
            problems.append(
                Problem(line, block.key, f"duplicate key (first defined on line {first})")
            )
        elif isinstance(block, model.ParsingFailedBlock):
            error = block.error
            reason = getattr(error, "abort_reason", "") or str(error) or type(error).__name__
            problems.append(
                Problem(
                    line,
                    _key_of_raw(block.raw),
                    f"cannot be parsed (unbalanced braces or quotes?): {reason}",
                )
            )
        elif isinstance(block, model.Entry):
            first_line.setdefault(block.key, line)
    seen_ids: dict[tuple[str, str], str] = {}
    previous = ""
    for entry in library.entries:
        problems.extend(check_entry(entry))
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


def check_file(path: str | Path) -> list[Problem]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        line = path.read_bytes()[: err.start].count(b"\n") + 1
        return [Problem(line, "?", f"not valid UTF-8 ({err.reason})")]
    return check_text(text)


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
        if not path.exists():
            messages.append(f"{name}: file not found")
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            messages.extend(p.format(path) for p in check_file(path))
            continue
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


def main(argv: list[str]) -> int:
    status = 0
    for name in argv or ["references.bib"]:
        for problem in check_file(name):
            print(problem.format(name), file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
