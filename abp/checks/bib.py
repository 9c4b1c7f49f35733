"""The references.bib validator: every problem of a parsed .bib file, as a pure function.

sphinxcontrib-bibtex stops on an unbalanced brace and silently drops every entry after a
duplicate key, so each file is checked first, on the model (``abp.model.BibFile``, parsed with
bibtexparser 2), and every problem is reported as ``references.bib:LINE: KEY: what is wrong``.
``abp.catalogue`` runs it when a build starts; ``python -m abp check`` runs it on its own.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from pybtex.richtext import Protected, Text

from abp.keys import expected_key_parts
from abp.model import BibFile, Catalogue, Problem, Record, Stray
from abp.urls import unsafe_url

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
#: Fields whose value becomes a link on the site (``eprint`` too, when it is an arXiv id).
LINK_FIELDS = {"url", "doi"}
LINK_MACRO = re.compile(r"\\(?:url|href)\b")
#: A DOI as the DOI Handbook writes it (Crossref's pattern, which matches nearly all of them).
DOI = re.compile(r"10\.\d{4,9}/[-._;()/:a-z0-9<>\[\]]+", re.I)
#: arXiv identifiers, new style (``1810.04805``) and old (``cs.CL/0102007``), with a version.
ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z-]+(\.[a-z]{2})?/\d{7})(v\d+)?", re.I)
BARE_SPECIAL = re.compile(r"(?<!\\)[&%#_]")


@functools.cache
def load_proper_nouns(path: str | Path) -> frozenset[str]:
    """The words of a proper-noun file (``docs/_data/proper_nouns.txt``: one a line, ``#``
    starts a comment): they need their capital braced in a title (``{C}hinese``)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    return frozenset(w for line in text.splitlines() if (w := line.split("#")[0].strip()))


#: The middle part of ``Last, Jr, First``.
LINEAGE = re.compile(r"(Jr|Sr)\.?|I{2,3}|IV|V|VI{1,3}", re.I)
#: A given name's initial (``M.``, ``J.-P.``): a surname would not be one.
INITIAL = re.compile(r"[^\W\d_]\.(-[^\W\d_]\.)?|[^\W\d_]")
_WORD = re.compile(r"[^\W\d_][\w'’]*|\d+[^\W\d_][\w'’]*", re.UNICODE)


def title_case_problem(title: str, proper_nouns: frozenset[str] = frozenset()) -> str | None:
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
            elif not first and word in proper_nouns:
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


def check_record(
    record: Record,
    strings: frozenset[str] = frozenset(),
    proper_nouns: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Field-level problems of one record.

    *strings* are the macros the file defines with ``@string`` (lowercase).
    """
    problems: list[Problem] = []
    line = record.line
    key = record.key

    def add(message: str, at: int | None = None) -> None:
        problems.append(Problem(at if at is not None else line, key, message))

    fields = record.fields
    arxiv = fields.get("archiveprefix", "").strip().lower() == "arxiv"
    if key != key.lower() or not re.fullmatch(r"[a-z0-9._-]+", key):
        add("key must be lowercase ASCII letters, digits, '-', '_' or '.'")
    required = REQUIRED.get(record.type)
    if required is None:
        add(f"entry type @{record.type} is not one of: {', '.join(sorted(REQUIRED))}")
    else:
        for need in required:
            if not any(alt in fields and fields[alt].strip() for alt in need.split("|")):
                wanted = "' or '".join(need.split("|"))
                add(f"missing required field '{wanted}' for @{record.type}")
    if "author" not in fields and "editor" not in fields and "key" not in fields:
        add("an entry without an author needs a 'key' field (BibTeX styles sort by it)")
    seen: set[str] = set()
    for field in record.field_list:
        name = field.name
        if name in seen:
            continue
        seen.add(name)
        at = field.line
        value = field.value.strip()
        if name == "month":
            if value not in MONTHS or not field.bare:
                shown = value if field.bare else "{" + value + "}"
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
        if field.bare and (macro := undefined_macro(value, strings)):
            add(
                f"field '{name}' uses the undefined macro '{macro}' (brace text as"
                f" {{{macro}}}, or define it with @string)",
                at,
            )
        if name == "title" and (why := title_case_problem(value, proper_nouns)):
            add(f"title: {why}", at)
        if name == "year" and not re.fullmatch(r"\d{4}", value):
            add(f"year must be four digits, not {value!r}", at)
        if name == "pages" and re.search(r"\d-\d", value):
            add(f"pages must use '--' between numbers, not {value!r}", at)
    if problems:
        return problems
    expected = expected_key_parts(record)
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


def _field_line(raw: str, start: int, field: str, nth: int) -> int:
    """The line of the *nth* occurrence of ``field =`` in an entry's source text."""
    found = [m.start() for m in re.finditer(rf"(?im)^\s*{re.escape(field)}\s*=", raw)]
    offset = found[nth] if nth < len(found) else 0
    return start + raw[:offset].count("\n")


def _stray_problem(block: Stray, previous: Record | Stray | None, first_line: dict[str, int]):
    """The problem of a block that is not a record, and the record it cut short (if any)."""
    if block.kind == "duplicate-key":
        first = first_line.get(block.key, "?")
        return [Problem(block.line, block.key, f"duplicate key (first defined on line {first})")]
    if block.kind == "duplicate-field":
        return [
            Problem(
                _field_line(block.raw, block.line, name, 1),
                block.key,
                f"field '{name}' is given twice",
            )
            for name in block.fields
        ]
    if block.kind == "unparsable":
        return [
            Problem(
                block.line,
                block.key,
                "cannot be parsed: unbalanced braces or quotes from this line on",
            )
        ]
    lost = re.match(r"(\w+)\s*[{(]\s*([^,\s]+)\s*,", block.raw)
    if lost:
        return [
            Problem(
                block.line,
                lost.group(2),
                f"'{lost.group(1)}{{' without '@' is not an entry (BibTeX skips it"
                " as a comment): write @" + lost.group(1),
            )
        ]
    if isinstance(previous, Record) and re.match(r"[,}]|\w+\s*=", block.raw):
        last = previous.field_list[-1] if previous.field_list else None
        at = last.line if last else previous.line
        return [
            Problem(
                at,
                previous.key,
                f"unbalanced braces: an extra '}}' on line {at} ends the entry early, and"
                " the fields after it are outside any entry",
            )
        ]
    shown = block.raw.splitlines()[0][:60]
    return [
        Problem(block.line, "", f"text outside any entry ({shown!r}): start comment lines with '%'")
    ]


def validate(bib: BibFile, proper_nouns: frozenset[str] = frozenset()) -> list[Problem]:
    """Every problem of a parsed .bib file, sorted by line."""
    if bib.unreadable is not None:
        return [bib.unreadable]
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    cut_short: set[str] = set()  # records an extra closing brace ended early
    previous: Record | Stray | None = None
    records: list[Record] = []
    for block in bib.blocks:
        if isinstance(block, Stray):
            found = _stray_problem(block, previous, first_line)
            if (
                block.kind == "text"
                and isinstance(previous, Record)
                and found
                and found[0].key == previous.key
                and "extra '}'" in found[0].message
            ):
                cut_short.add(previous.key)
            problems.extend(found)
        else:
            first_line.setdefault(block.key, block.line)
            records.append(block)
        previous = block
    if not records and not problems:
        problems.append(Problem(1, "", "the file holds no entries"))
    seen_ids: dict[tuple[str, str], str] = {}
    latest = ""
    for record in records:
        if record.key not in cut_short:
            problems.extend(check_record(record, bib.strings, proper_nouns))
        for name, label in (("eprint", "arXiv id"), ("doi", "DOI")):
            field = next((f for f in record.field_list if f.name == name), None)
            if field is not None:
                ident = field.value.strip().lower()
                other = seen_ids.setdefault((name, ident), record.key)
                if other != record.key:
                    problems.append(
                        Problem(
                            field.line, record.key, f"{label} {ident} is already used by '{other}'"
                        )
                    )
        if record.key < latest:
            problems.append(
                Problem(
                    record.line,
                    record.key,
                    f"entries must be sorted by key (it follows '{latest}')",
                )
            )
        latest = max(latest, record.key)
    return sorted(set(problems))


def orphans(catalogue: Catalogue) -> list[tuple[str, Problem]]:
    """Records that no card shows, each with its file."""
    return [
        (
            path,
            Problem(
                record.line,
                record.key,
                "no card shows this record: add its card to a page, or remove it",
            ),
        )
        for path, record in catalogue.orphans()
    ]
